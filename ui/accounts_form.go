package ui

import (
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/compose"
	"stamp/smtpclient"
)

// The Accounts window's form: its layout, its pickers, and reading it
// into an account.

// choice is one option of a picker: the value it stands for and its words.
type choice[T comparable] struct {
	value T
	label string
}

// securityChoices are the security modes in the order the picker shows them
// (smtpclient.SecurityModes, the one definition).
var securityChoices = func() (c []choice[account.Security]) {
	for _, m := range smtpclient.SecurityModes() {
		c = append(c, choice[account.Security]{account.Security(m.Name), m.Label})
	}
	return c
}()

// authChoices are the login mechanisms in the order the picker shows them
// (smtpclient.LoginMethods, the one definition).
var authChoices = func() (c []choice[account.AuthMechanism]) {
	for _, m := range smtpclient.LoginMethods() {
		c = append(c, choice[account.AuthMechanism]{account.AuthMechanism(m.Name), m.Label})
	}
	return c
}()

func labels[T comparable](choices []choice[T]) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = choiceText(c.label)
	}
	return out
}

// pick selects the option of sel that stands for v.
func pick[T comparable](sel *widget.Select, choices []choice[T], v T) {
	for _, c := range choices {
		if c.value == v {
			sel.SetSelected(choiceText(c.label))
		}
	}
}

// picked is the value of sel's selected option (the zero value if none).
func picked[T comparable](sel *widget.Select, choices []choice[T]) T {
	for _, c := range choices {
		if choiceText(c.label) == sel.Selected {
			return c.value
		}
	}
	var zero T
	return zero
}

func (w *AccountsWindow) setSecurity(s account.Security) { pick(w.Security, securityChoices, s) }

func (w *AccountsWindow) setAuth(m account.AuthMechanism) { pick(w.Auth, authChoices, m) }

// layout puts the widgets in place: what a person knows first (address,
// name, then the password or the provider's sign-in), the server settings
// folded below, and the buttons fixed at the bottom at any window height.
func (w *AccountsWindow) layout(add, chooseCA *widget.Button) {
	w.passwordBox = container.NewVBox(w.Password, w.sign.useSignIn, w.sign.noIDNote, w.PasswordWhere)
	w.secretItem = widget.NewFormItem(lang.X("accounts.password", "Password"), container.NewVBox(w.passwordBox, w.sign.box))
	w.secretForm = widget.NewForm(
		widget.NewFormItem(lang.X("accounts.address", "Address"), w.Address),
		widget.NewFormItem("", w.disc.box),
		widget.NewFormItem(lang.X("accounts.name", "Your name"), w.Name),
		w.secretItem,
	)
	server := widget.NewForm(
		widget.NewFormItem(lang.X("accounts.login_with", "Log in with"), w.LoginWith),
		widget.NewFormItem(lang.X("accounts.server", "Server"), w.Host),
		widget.NewFormItem(lang.X("accounts.port", "Port"), w.Port),
		widget.NewFormItem(lang.X("accounts.security", "Security"), w.Security),
		widget.NewFormItem(lang.X("accounts.login", "Login"), w.Username),
		widget.NewFormItem(lang.X("accounts.login_method", "Login method"), w.Auth),
		widget.NewFormItem(lang.X("accounts.ca_file", "CA file"), container.NewBorder(nil, nil, nil, chooseCA, w.CAFile)),
	)
	w.ServerSettings = widget.NewAccordion(widget.NewAccordionItem(lang.X("accounts.server_settings", "Server settings"),
		container.NewVBox(server, w.trustRow)))
	more := widget.NewForm(
		widget.NewFormItem(lang.X("accounts.label", "Label"), w.Label),
		widget.NewFormItem(lang.X("accounts.signature", "Signature"), w.Signature),
		widget.NewFormItem("", w.SaveSent),
	)
	w.body = container.NewVBox(w.secretForm, w.ServerSettings, more, w.Notes, w.Status)
	// The form scrolls; the buttons stay below it, visible at any height.
	buttons := container.NewHBox(w.SaveButton, w.TestButton, layout.NewSpacer(), w.DefaultButton, w.RemoveButton)
	right := container.NewBorder(nil, container.NewPadded(buttons), nil, nil, container.NewVScroll(w.body))
	left := container.NewBorder(nil, container.NewVBox(w.ResetButton, add), nil, nil, w.list)
	split := container.NewHSplit(left, right)
	split.Offset = 0.28
	w.Window.SetContent(split)
	w.Window.Resize(fyne.NewSize(900, 640))
}

// formAccount reads the form into an account (ID: the one being edited).
func (w *AccountsWindow) formAccount() (account.Account, error) {
	a := account.Account{
		ID:        w.current,
		Label:     strings.TrimSpace(w.Label.Text),
		Name:      strings.TrimSpace(w.Name.Text),
		Address:   strings.TrimSpace(w.Address.Text),
		Host:      strings.TrimSpace(w.Host.Text),
		Username:  strings.TrimSpace(w.Username.Text),
		CAFile:    strings.TrimSpace(w.CAFile.Text),
		SaveSent:  w.SaveSent.Checked,
		Signature: compose.NormalizeSignature(w.Signature.Text),

		PinnedSHA256: w.pinned,
		OAuth:        w.formSignIn(),
	}
	if p := strings.TrimSpace(w.Port.Text); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return a, errors.New(lang.X("accounts.port_not_number", "port: {{.Port}} is not a number", map[string]any{"Port": strconv.Quote(p)}))
		}
		a.Port = n
	}
	a.Security = picked(w.Security, securityChoices)
	a.Auth = picked(w.Auth, authChoices)
	if a.ID == "" {
		id, err := w.store.SuggestID(a.Address)
		if err != nil {
			return a, err
		}
		a.ID = id
	}
	return a, nil
}
