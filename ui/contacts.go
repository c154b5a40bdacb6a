package ui

import (
	"net/mail"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/compose"
	"stamp/contacts"
	"stamp/i18n"
)

// learnRecipients records the To, Cc and Bcc of a message that went out
// in the contacts, on a goroutine (the file write may take a moment with a
// big book) counted for the app's exit. It is the one place a send teaches
// the contacts: Composer.SendFinished calls it for the Sent outcome.
func (c *Composer) learnRecipients(d draft) {
	book := c.opts.Contacts
	if book == nil {
		return
	}
	list := func(field, text string) []mail.Address {
		if strings.TrimSpace(text) == "" {
			return nil
		}
		parsed, _ := compose.ParseAddressList(field, text) // the form was valid when sent
		out := make([]mail.Address, 0, len(parsed))
		for _, a := range parsed {
			out = append(out, mail.Address{Name: a.Name, Address: a.Addr})
		}
		return out
	}
	to, cc, bcc := list("To", d.To), list("Cc", d.Cc), list("Bcc", d.Bcc)
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		if err := book.Learn(to, cc, bcc); err != nil {
			runOnUI(func() {
				if c.closed {
					return
				}
				c.Notify(lang.X("contacts.learn_failed", "The message was sent, but the contacts could not be updated: {{.Error}}",
					map[string]any{"Error": err.Error()}))
			})
		}
	}()
}

// ContactsWindow lists, searches, edits, deletes, imports and exports the
// contacts.
type ContactsWindow struct {
	Window  fyne.Window
	book    *contacts.Store
	Search  *widget.Entry
	List    *widget.List
	Name    *widget.Entry
	Address *widget.Entry
	Info    *widget.Label // uses, last use, sent with
	Save    *widget.Button
	Forget  *widget.Button
	Status  *widget.Label

	shown    []contacts.Contact
	selected string // the address being edited; "" for a new contact
}

// ShowContacts opens the contacts window on a.
func ShowContacts(a fyne.App, book *contacts.Store) *ContactsWindow {
	w := &ContactsWindow{Window: a.NewWindow(lang.X("contacts.title", "Contacts — Stamp")), book: book}
	w.Search = widget.NewEntry()
	w.Search.SetPlaceHolder(lang.X("contacts.search", "Search names and addresses"))
	w.Search.OnChanged = func(string) { w.reload() }
	w.List = widget.NewList(func() int { return len(w.shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(w.shown) {
				o.(*widget.Label).SetText(w.shown[id].String())
			}
		})
	w.List.OnSelected = func(id widget.ListItemID) {
		if id < len(w.shown) {
			w.edit(w.shown[id])
		}
	}
	w.Name = widget.NewEntry()
	w.Address = widget.NewEntry()
	w.Info = widget.NewLabel("")
	w.Info.Wrapping = fyne.TextWrapWord
	w.Status = widget.NewLabel("")
	w.Status.Wrapping = fyne.TextWrapWord
	w.Save = widget.NewButtonWithIcon(lang.X("contacts.save", "Save"), theme.DocumentSaveIcon(), w.save)
	w.Save.Importance = widget.HighImportance
	w.Forget = widget.NewButtonWithIcon(lang.X("contacts.forget", "Forget this address"), theme.DeleteIcon(), w.forget)
	newBtn := widget.NewButtonWithIcon(lang.X("contacts.new", "New"), theme.ContentAddIcon(), func() {
		w.List.UnselectAll()
		w.edit(contacts.Contact{})
	})
	importBtn := widget.NewButtonWithIcon(lang.X("contacts.import", "Import vCard…"), theme.FolderOpenIcon(), w.chooseImport)
	exportBtn := widget.NewButtonWithIcon(lang.X("contacts.export", "Export vCard…"), theme.DocumentSaveIcon(), w.chooseExport)

	form := widget.NewForm(
		widget.NewFormItem(lang.X("contacts.name", "Name"), w.Name),
		widget.NewFormItem(lang.X("contacts.address", "Address"), w.Address))
	detail := container.NewVBox(form, w.Info, container.NewHBox(w.Forget, layout.NewSpacer(), w.Save))
	top := container.NewVBox(container.NewHBox(newBtn, importBtn, exportBtn), w.Search)
	split := container.NewHSplit(w.List, container.NewVScroll(detail))
	split.Offset = 0.45
	w.Window.SetContent(container.NewBorder(top, w.Status, nil, nil, split))
	w.Window.Resize(fyne.NewSize(760, 480))
	w.edit(contacts.Contact{})
	w.reload()
	if err := book.Err(); err != nil {
		w.Status.SetText(err.Error())
	}
	w.Window.Show()
	w.Window.Canvas().Focus(w.Search)
	return w
}

// reload shows the contacts matching the search, ranked as completion
// ranks them.
func (w *ContactsWindow) reload() {
	w.shown = w.book.Search(w.Search.Text, 0)
	w.List.UnselectAll()
	w.List.Refresh()
	if w.Search.Text == "" {
		w.Status.SetText(i18n.N("contacts.count", "{{.Count}} address", "{{.Count}} addresses", len(w.shown)))
	} else {
		w.Status.SetText(lang.X("contacts.matches", "{{.Count}} matching", map[string]any{"Count": len(w.shown)}))
	}
}

// edit puts c in the form ("" address: a new contact).
func (w *ContactsWindow) edit(c contacts.Contact) {
	w.selected = c.Address
	w.Name.SetText(c.Name)
	w.Address.SetText(c.Address)
	if c.Address == "" {
		w.Forget.Disable()
		w.Info.SetText(lang.X("contacts.new_hint", "A new contact: type a name and an address, then Save."))
		return
	}
	w.Forget.Enable()
	info := lang.X("contacts.never_sent", "Never sent to from Stamp.")
	if c.Uses > 0 {
		info = i18n.N("contacts.uses", "Sent once, last on {{.Date}}.", "Sent {{.Count}} times, last on {{.Date}}.", c.Uses,
			map[string]any{"Date": i18n.Date(c.LastUsed)})
	}
	if with := w.book.SentWith(c.Address); len(with) > 0 {
		info += "\n" + lang.X("contacts.sent_with", "Recently sent with: {{.List}}", map[string]any{"List": strings.Join(with, ", ")})
	}
	w.Info.SetText(info)
}

func (w *ContactsWindow) save() {
	var err error
	if w.selected == "" {
		err = w.book.Add(w.Name.Text, w.Address.Text)
	} else {
		err = w.book.Edit(w.selected, contacts.Contact{Name: w.Name.Text, Address: w.Address.Text})
	}
	if err != nil {
		w.Status.SetText(err.Error())
		return
	}
	saved := strings.TrimSpace(w.Address.Text)
	w.reload()
	if c, ok := w.book.Get(saved); ok {
		w.edit(c)
	}
	w.Status.SetText(lang.X("contacts.saved", "Saved."))
}

func (w *ContactsWindow) forget() {
	if w.selected == "" {
		return
	}
	if err := w.book.Remove(w.selected); err != nil {
		w.Status.SetText(err.Error())
		return
	}
	gone := w.selected
	w.reload()
	w.edit(contacts.Contact{})
	w.Status.SetText(lang.X("contacts.forgotten", "{{.Address}} forgotten.", map[string]any{"Address": gone}))
}

func (w *ContactsWindow) chooseImport() {
	d := newFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		w.Import(path)
	}, w.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".vcf", ".vcard"}))
	d.Show()
}

// Import reads the vCard file at path off the UI goroutine and reports
// what came in and which cards were left out.
func (w *ContactsWindow) Import(path string) {
	w.Status.SetText(lang.X("contacts.importing", "Importing…"))
	go func() {
		res, err := w.book.ImportFile(path)
		runOnUI(func() {
			w.reload()
			if err != nil {
				w.Status.SetText(err.Error())
				return
			}
			text := lang.X("contacts.imported", "Imported: {{.Added}} new, {{.Updated}} updated.",
				map[string]any{"Added": res.Added, "Updated": res.Updated})
			if res.NoAddress > 0 {
				text += " " + i18n.N("contacts.no_address", "{{.Count}} card had no e-mail address.", "{{.Count}} cards had no e-mail address.", res.NoAddress)
			}
			for i, p := range res.Problems {
				if i == 10 {
					text += "\n" + i18n.N("contacts.more_problems", "…and {{.Count}} more card with problems.", "…and {{.Count}} more cards with problems.", len(res.Problems)-10)
					break
				}
				text += "\n" + lang.X("contacts.card_problem", "Not all imported: {{.Problem}}", map[string]any{"Problem": p.Error()})
			}
			w.Status.SetText(text)
		})
	}()
}

func (w *ContactsWindow) chooseExport() {
	d := newFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		err = w.book.Export(wc)
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			w.Status.SetText(err.Error())
			return
		}
		w.Status.SetText(i18n.N("contacts.exported", "Exported {{.Count}} address to {{.File}}.", "Exported {{.Count}} addresses to {{.File}}.",
			w.book.Len(), map[string]any{"File": wc.URI().Name()}))
	}, w.Window)
	d.SetFileName("contacts.vcf")
	d.Show()
}
