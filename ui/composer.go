package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Composer is the main window: the form a person writes a message in.
type Composer struct {
	Window fyne.Window

	From    *widget.Select
	To      *widget.Entry
	Cc      *widget.Entry
	Bcc     *widget.Entry
	Subject *widget.Entry
	Body    *widget.Entry
	Send    *widget.Button
}

// NewComposer creates the composer window on a (running or test) app.
func NewComposer(a fyne.App) *Composer {
	a.SetIcon(Icon)
	w := a.NewWindow(Title)
	w.SetIcon(Icon)

	c := &Composer{Window: w}
	c.From = widget.NewSelect([]string{"Sandbox (local test server)"}, nil)
	c.From.SetSelectedIndex(0)
	c.To = widget.NewEntry()
	c.To.SetPlaceHolder("Name <someone@example.com>, other@example.com")
	c.Cc = widget.NewEntry()
	c.Bcc = widget.NewEntry()
	c.Subject = widget.NewEntry()
	c.Body = widget.NewMultiLineEntry()
	c.Body.Wrapping = fyne.TextWrapWord
	c.Body.SetPlaceHolder("Write your message…")
	c.Send = widget.NewButton("Send", nil)
	c.Send.Importance = widget.HighImportance

	form := widget.NewForm(
		widget.NewFormItem("From", c.From),
		widget.NewFormItem("To", c.To),
		widget.NewFormItem("Cc", c.Cc),
		widget.NewFormItem("Bcc", c.Bcc),
		widget.NewFormItem("Subject", c.Subject),
	)
	w.SetContent(container.NewBorder(form, container.NewHBox(c.Send), nil, nil, c.Body))
	w.Resize(fyne.NewSize(720, 560))
	return c
}
