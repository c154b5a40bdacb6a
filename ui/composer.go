package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/compose"
	"stamp/contacts"
	"stamp/i18n"
)

// autosaveDelay is how long after the last change the draft is saved: a
// crash loses at most this much typing.
const autosaveDelay = 2 * time.Second

// Preference keys the composer remembers between runs.
const (
	prefShowCcBcc = "composer.showCcBcc"
	prefAttachDir = "composer.attachDir"
	prefSender    = "composer.sender"
)

// Sender is one choice in the From picker: a saved account, or the built-in
// sandbox server.
type Sender struct {
	ID        string          // the account id; SandboxID for the sandbox
	Label     string          // what the picker shows
	From      compose.Address // the sender address and display name
	SizeLimit int64           // the server's SIZE limit when known, else 0
	KeepSent  bool            // save a copy of each sent message in the Sent folder
	Signature string          // plain text under "-- " in new messages (composer_signature.go)
}

// SandboxID is the Sender ID of the built-in sandbox server.
const SandboxID = "sandbox"

// SendFunc starts delivering m from the chosen sender. It is called on the UI
// goroutine and must not block: the send runs in the background, calls the
// function c.SendDone() returned from its own goroutine when the engine is
// done (so exit never waits for a UI callback), and reports the outcome back
// through the composer's SendFinished on the UI goroutine. only, when not nil, limits the
// envelope to these addresses ("send to the accepted recipients").
type SendFunc func(c *Composer, from Sender, m *compose.Message, only []string)

// Options wires a composer to the rest of Stamp.
type Options struct {
	// DataDir holds the autosaved draft (Drafts/current.json); the folder is
	// created as needed.
	DataDir string
	// Senders lists the From choices, default account first.
	Senders func() []Sender
	// Send starts a send; nil disables sending (tests of the form alone).
	Send SendFunc
	// Attach is a list of files to attach at start (from the command line).
	Attach []string
	// NewPassword, when set, is offered after a server refused the login
	// ("Enter a new password…"); the send is tried again once it returns.
	NewPassword NewPasswordFunc
	// OpenAccount, when set, is offered after a failure the account's
	// settings can fix ("Open the account").
	OpenAccount func(s Sender)
	// OAuth, when set, sends from accounts that sign in with OAuth 2
	// (oauth_send.go) and says "Sign in again" before Send when their
	// sign-in is gone; SignIn opens the Accounts window on s to sign in.
	OAuth  *OAuthAccounts
	SignIn func(s Sender)
	// Menu adds items to the main menu's Stamp menu (accounts, sent, inbox).
	Menu []*fyne.MenuItem
	// Contacts, when set, completes addresses in To, Cc and Bcc and learns
	// the recipients of every successful send (contacts.go).
	Contacts *contacts.Store
	// DraftID names this composer's draft file (Drafts/DraftID.json); ""
	// is the single draft of earlier versions, Drafts/current.json. The
	// set of composers (composers.go) gives each its own.
	DraftID string
	// Outbox, when set, takes every Send (undo delay, Send later, retries:
	// composer_outbox.go); nil sends at once through Send.
	Outbox *Outbox
}

// Composer is the main window: the form a person writes a message in.
type Composer struct {
	Window fyne.Window
	app    fyne.App
	opts   Options

	From        *widget.Select
	To          *AddressEntry
	Cc          *AddressEntry
	Bcc         *AddressEntry
	Subject     *widget.Entry
	Body        *widget.Entry
	SendButton  *widget.Button
	AttachBtn   *widget.Button
	CcBccToggle *widget.Button
	Attachments *attachmentList
	Status      *widget.Label // why Send is disabled, or who will receive the message
	Notice      *widget.Label // one-line notices: draft restored, draft saved, errors

	senders   []Sender
	form      *fyne.Container
	showCcBcc bool
	drafts    draftStore
	timer     *time.Timer
	lastSaved draft
	restoring bool
	dialogs   *dialogs // Esc closes the one on top
	sendState          // the send under way and what its end means for the draft
	// draftUnreadable: the saved draft exists but could not be read (not
	// damaged, e.g. permissions): never delete it behind the person's back.
	draftUnreadable bool
	// closed: the window has closed while other composers stay open
	// (composers.go); a send's end does no widget or draft work then, as
	// after the app's loop ended.
	closed bool
	// closing: closeNow has run; an autosave queued before it does nothing
	// (a send under way still ends as after any close: SendFinished).
	closing bool
	// others, when set (composers.go), counts the other open composers:
	// closing this one then closes a message, not Stamp.
	others func() int
	// openNew, when set (composers.go), opens another composer window: a
	// message handed over while this one is in use goes there
	// (receive_compose.go).
	openNew func() *Composer

	formatState    // the Markdown toggle and the preview (composer_format.go)
	signatureState // the sender's signature in the body (composer_signature.go)
	outboxState    // undo bar, outbox count, Send later (composer_outbox.go)
}

// NewComposer creates the composer window on a (running or test) app.
func NewComposer(a fyne.App, opts Options) *Composer {
	a.SetIcon(Icon)
	w := a.NewWindow(Title)
	w.SetIcon(Icon)
	c := &Composer{Window: w, app: a, opts: opts, drafts: draftStoreFor(opts.DataDir, opts.DraftID)}

	c.From = widget.NewSelect(nil, func(string) {
		if s, ok := c.Sender(); ok && !c.restoring {
			c.app.Preferences().SetString(prefSender, s.ID)
		}
		c.signatureFollowsSender()
		c.CheckSignIn()
		c.changed()
	})
	c.To = c.recipientEntry("To")
	c.Cc = c.recipientEntry("Cc")
	c.Bcc = c.recipientEntry("Bcc")
	c.Subject = widget.NewEntry()
	c.Subject.OnChanged = func(string) { c.changed() }
	c.Body = widget.NewMultiLineEntry()
	c.Body.Wrapping = fyne.TextWrapWord
	c.Body.SetPlaceHolder(lang.X("composer.body_placeholder", "Write your message…"))
	c.Body.OnChanged = func(string) { c.changed() }
	c.initFormat()
	c.Attachments = newAttachmentList(c.changed)

	c.SendButton = widget.NewButtonWithIcon(lang.X("composer.send", "Send"), theme.MailSendIcon(), c.TrySend)
	c.SendButton.Importance = widget.HighImportance
	c.AttachBtn = widget.NewButtonWithIcon(lang.X("composer.attach", "Attach…"), theme.MailAttachmentIcon(), c.ShowAttachDialog)
	c.CcBccToggle = widget.NewButton("", func() { c.SetShowCcBcc(!c.showCcBcc) })
	c.Status = widget.NewLabel("")
	c.Status.Wrapping = fyne.TextWrapWord
	c.Notice = widget.NewLabel("")
	c.Notice.Wrapping = fyne.TextWrapWord
	c.Notice.Hide()

	c.form = container.NewStack()
	c.ReloadSenders()
	c.showCcBcc = a.Preferences().BoolWithFallback(prefShowCcBcc, false)
	c.layoutForm()

	// The container's order is the Tab order: the form, the body, the
	// attachments, then the buttons (NewBorder would put the body first).
	top := container.NewVBox(c.Notice, c.signInBar(), c.form)
	buttons := container.NewHBox(c.AttachBtn, c.CcBccToggle, c.formatControls(), layout.NewSpacer(), c.sendLaterButton(), c.SendButton)
	bottom := container.NewVBox(c.Attachments.view, buttons, widget.NewSeparator(), c.Status, c.outboxLine())
	w.SetContent(container.New(layout.NewBorderLayout(top, bottom, nil, nil), top, c.Body, bottom))
	w.SetMainMenu(c.mainMenu())
	w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { c.AttachFiles(droppedPaths(uris)...) })
	w.SetCloseIntercept(c.closeRequested)
	c.dialogs = escDialogs(w)
	w.Resize(fyne.NewSize(760, 620))

	c.restoreDraft()
	c.startSignature()
	c.startOutbox()
	if len(opts.Attach) > 0 {
		c.AttachFiles(opts.Attach...)
	}
	c.validate()
	return c
}

func (c *Composer) recipientEntry(field string) *AddressEntry {
	e := NewAddressEntry(c.opts.Contacts)
	e.SetPlaceHolder(lang.X("composer.address_placeholder", "Name <someone@example.com>, other@example.com"))
	e.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		_, err := compose.ParseAddressList(field, s)
		return err
	}
	e.OnChanged = func(string) { c.changed() }
	return e
}

func (c *Composer) layoutForm() {
	items := []*widget.FormItem{
		widget.NewFormItem(lang.X("compose.field.from", "From"), c.From),
		widget.NewFormItem(lang.X("compose.field.to", "To"), c.To),
	}
	if c.showCcBcc {
		items = append(items,
			widget.NewFormItem(lang.X("compose.field.cc", "Cc"), c.Cc),
			&widget.FormItem{Text: lang.X("compose.field.bcc", "Bcc"), Widget: c.Bcc, HintText: lang.X("composer.bcc_hint", "Bcc recipients get the message; nobody sees their addresses.")})
		c.CcBccToggle.SetText(lang.X("composer.hide_cc_bcc", "Hide Cc/Bcc"))
	} else {
		c.CcBccToggle.SetText(lang.X("composer.cc_bcc", "Cc/Bcc"))
	}
	items = append(items, widget.NewFormItem(lang.X("compose.field.subject", "Subject"), c.Subject))
	c.form.Objects = []fyne.CanvasObject{widget.NewForm(items...)}
	c.form.Refresh()
}

// SetShowCcBcc shows or hides the Cc and Bcc fields and remembers the choice.
// Fields that hold addresses stay visible: nothing typed is ever hidden.
func (c *Composer) SetShowCcBcc(show bool) {
	if !show && (strings.TrimSpace(c.Cc.Text) != "" || strings.TrimSpace(c.Bcc.Text) != "") {
		show = true
		c.Notify(lang.X("composer.cc_bcc_kept", "Cc and Bcc stay visible while they hold addresses."))
	}
	c.showCcBcc = show
	c.app.Preferences().SetBool(prefShowCcBcc, show)
	c.layoutForm()
}

// ReloadSenders refreshes the From picker (after the accounts changed),
// keeping the current choice when it still exists.
func (c *Composer) ReloadSenders() {
	current := c.app.Preferences().String(prefSender)
	if s, ok := c.Sender(); ok {
		current = s.ID
	}
	c.senders = nil
	if c.opts.Senders != nil {
		c.senders = c.opts.Senders()
	}
	labels := make([]string, len(c.senders))
	sel := 0
	for i, s := range c.senders {
		labels[i] = s.Label
		if s.ID == current {
			sel = i
		}
	}
	c.From.SetOptions(labels)
	if len(labels) > 0 {
		c.From.SetSelectedIndex(sel)
	}
}

// Sender is the From choice currently selected.
func (c *Composer) Sender() (Sender, bool) {
	i := c.From.SelectedIndex()
	if i < 0 || i >= len(c.senders) {
		return Sender{}, false
	}
	return c.senders[i], true
}

func (c *Composer) mainMenu() *fyne.MainMenu {
	mod := fyne.KeyModifierShortcutDefault
	send := fyne.NewMenuItem(lang.X("composer.send", "Send"), c.TrySend)
	send.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: mod}
	send.Icon = theme.MailSendIcon()
	attach := fyne.NewMenuItem(lang.X("composer.attach", "Attach…"), c.ShowAttachDialog)
	attach.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: mod | fyne.KeyModifierShift}
	attach.Icon = theme.MailAttachmentIcon()
	save := fyne.NewMenuItem(lang.X("composer.save_draft", "Save draft"), func() {
		if err := c.SaveDraft(); err != nil {
			c.showError(err)
			return
		}
		c.Notify(lang.X("composer.draft_saved", "Draft saved."))
	})
	save.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: mod}
	ccbcc := fyne.NewMenuItem(lang.X("composer.menu.cc_bcc", "Show/hide Cc and Bcc"), func() { c.SetShowCcBcc(!c.showCcBcc) })
	ccbcc.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyB, Modifier: mod | fyne.KeyModifierShift}

	items := append([]*fyne.MenuItem{send, attach, save, fyne.NewMenuItemSeparator(), ccbcc}, c.outboxMenu()...)
	if len(c.opts.Menu) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
		items = append(items, c.opts.Menu...)
	}
	return fyne.NewMainMenu(fyne.NewMenu(lang.X("menu.message", "Message"), items...))
}

// ShowAttachDialog opens the file picker in the folder used last time.
func (c *Composer) ShowAttachDialog() {
	d := newFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			c.showError(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		c.app.Preferences().SetString(prefAttachDir, filepath.Dir(path))
		c.AttachFiles(path)
	}, c.Window)
	if dir := c.app.Preferences().String(prefAttachDir); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(700, 480))
	c.showDialog(d)
}

// AttachFiles adds files (from the dialog, a drop or the command line) and
// says which could not be attached and why.
func (c *Composer) AttachFiles(paths ...string) {
	if len(paths) == 0 {
		return
	}
	if err := c.Attachments.Add(paths...); err != nil {
		c.showError(err)
	}
}

// changed runs after every edit: validate, and schedule the autosave.
func (c *Composer) changed() {
	if c.restoring {
		return
	}
	if (c.possiblySent || !c.sentEarlier.IsZero()) && c.draft().Empty() {
		// The form was emptied: what is typed next is a new message, which
		// no send has touched (even if typed before the next autosave).
		c.forgetSends()
	}
	c.validate()
	c.scheduleAutosave()
}

// formMessage builds the message from the form. It reports address problems
// per field; attachments are checked separately (they can change on disk).
func (c *Composer) formMessage() (*compose.Message, error) {
	m := &compose.Message{Subject: c.Subject.Text, Text: c.Body.Text, Markdown: c.markdownOn()}
	if s, ok := c.Sender(); ok {
		m.From = s.From
	}
	var problems []*compose.FieldError
	for _, f := range []struct {
		name  string
		entry *AddressEntry
		dst   *[]compose.Address
	}{{"To", c.To, &m.To}, {"Cc", c.Cc, &m.Cc}, {"Bcc", c.Bcc, &m.Bcc}} {
		if strings.TrimSpace(f.entry.Text) == "" {
			continue
		}
		list, err := compose.ParseAddressList(f.name, f.entry.Text)
		problems = append(problems, compose.Problems(f.name, err)...)
		*f.dst = list
	}
	for _, p := range c.Attachments.Paths() {
		m.Attachments = append(m.Attachments, compose.Attachment{Path: p})
	}
	if len(problems) > 0 {
		return m, &compose.ValidationError{Problems: problems}
	}
	return m, nil
}

// validate updates the Send button and the status line: why sending is not
// possible yet, or exactly who will receive the message.
func (c *Composer) validate() {
	reason := c.blocker()
	if reason != "" || c.sending {
		c.SendButton.Disable()
	} else {
		c.SendButton.Enable()
	}
	if reason != "" {
		c.Status.Importance = widget.WarningImportance
		c.Status.SetText(reason)
		return
	}
	c.Status.Importance = widget.MediumImportance
	m, _ := c.formMessage()
	c.Status.SetText(envelopePreview(m))
}

// blocker says why the message cannot be sent as it is, or "".
func (c *Composer) blocker() string {
	if _, ok := c.Sender(); !ok {
		return lang.X("composer.choose_sender", "Choose who the message is from (add an account, or use the sandbox).")
	}
	if why := c.signInBlocker(); why != "" {
		return why
	}
	m, err := c.formMessage()
	if err != nil {
		return err.Error()
	}
	if len(m.To)+len(m.Cc)+len(m.Bcc) == 0 {
		return lang.X("composer.no_recipient", "Add at least one recipient in To, Cc or Bcc.")
	}
	if p := c.Attachments.Problems(); len(p) > 0 {
		return lang.X("composer.attachment_problem", "Attachment {{.Problems}}. Remove it or put the file back.", map[string]any{"Problems": strings.Join(p, "; ")})
	}
	return ""
}

// envelopePreview says who will receive the message and which addresses
// stay hidden, so the Bcc rule is visible before sending.
func envelopePreview(m *compose.Message) string {
	env, err := m.Envelope()
	if err != nil || len(env.To) == 0 {
		return ""
	}
	hidden := 0
	visible := map[string]bool{}
	for _, a := range append(append([]compose.Address{}, m.To...), m.Cc...) {
		visible[strings.ToLower(a.Addr)] = true
	}
	var hiddenAddrs []string
	for _, a := range m.Bcc {
		if !visible[strings.ToLower(a.Addr)] {
			hidden++
			hiddenAddrs = append(hiddenAddrs, a.Addr)
		}
	}
	s := i18n.N("composer.delivered_to", "Will be delivered to {{.Count}} address.", "Will be delivered to {{.Count}} addresses.", len(env.To))
	if hidden > 0 {
		// Name a few; a long list would make the status line unreadable (and
		// slow to lay out).
		const named = 5
		list := strings.Join(hiddenAddrs[:min(hidden, named)], ", ")
		if hidden > named {
			list += lang.X("composer.and_more", " and {{.Count}} more", map[string]any{"Count": hidden - named})
		}
		s += lang.X("composer.hidden_bcc", " Hidden from the other recipients (Bcc): {{.List}}.", map[string]any{"List": list})
	}
	return s
}

func (c *Composer) clearForm() {
	c.restoring = true
	c.To.SetText("")
	c.Cc.SetText("")
	c.Bcc.SetText("")
	c.Subject.SetText("")
	c.Body.SetText("")
	c.Attachments.Clear()
	c.restoring = false
	c.forgetSends()
	c.startSignature()
}

// forgetSends drops what earlier sends of the form's message left behind
// (the possibly-sent mark, the time an earlier version was sent): the form
// now holds a new message.
func (c *Composer) forgetSends() {
	c.possiblySent = false
	c.sentEarlier = time.Time{}
}

// draft snapshots the form.
func (c *Composer) draft() draft {
	d := draft{To: c.To.Text, Cc: c.Cc.Text, Bcc: c.Bcc.Text, Subject: c.Subject.Text,
		Body: c.draftBody(), Markdown: c.markdownOn(), Attachments: c.Attachments.Paths()}
	if s, ok := c.Sender(); ok {
		d.Account = s.ID
	}
	return d
}

// SaveDraft writes the draft now (atomically), or removes the draft file
// when the form is empty.
func (c *Composer) SaveDraft() error {
	if c.timer != nil {
		c.timer.Stop()
	}
	d := c.draft()
	if d.Empty() && c.sending {
		// The form was emptied during a send: the message under way stays
		// recorded, marked, until the send ends (a kill now, or closing,
		// must still find it).
		d = c.sendingDraft
	}
	if d.Empty() {
		c.forgetSends() // a new message starts here
	}
	d.Sending = c.sending || c.possiblySent // a save during or after an unknown send keeps saying so
	d.SentEarlier = c.sentEarlier
	if d.Empty() {
		c.lastSaved = d
		if c.draftUnreadable {
			return nil
		}
		return c.drafts.Clear()
	}
	if d.sameContent(c.lastSaved) && d.Sending == c.lastSaved.Sending && d.SentEarlier.Equal(c.lastSaved.SentEarlier) {
		return nil
	}
	if err := c.drafts.Save(d); err != nil {
		return err
	}
	c.lastSaved = d
	return nil
}

func (c *Composer) scheduleAutosave() {
	if c.timer != nil {
		c.timer.Stop()
	}
	c.timer = time.AfterFunc(autosaveDelay, func() { runOnUI(c.autosave) })
}

// autosave saves the draft and says so when it cannot (a full disk): the
// previous draft stays on disk and the text stays in the window.
func (c *Composer) autosave() {
	if c.closing {
		return // queued before the window closed (a Discard must stay discarded)
	}
	if err := c.SaveDraft(); err != nil {
		c.Notify(lang.X("composer.autosave_failed", "The draft could not be saved (the previous one is kept): {{.Error}}", map[string]any{"Error": err.Error()}))
	}
}

// restoreDraft puts back an unsent draft from the last run, with a notice.
func (c *Composer) restoreDraft() {
	d, err := c.drafts.Load()
	if err != nil {
		var kept *draftKeptAsideError
		c.draftUnreadable = !errors.As(err, &kept)
		c.Notify(err.Error())
		return
	}
	if d == nil || d.Empty() {
		return
	}
	found := c.fillForm(*d)
	c.lastSaved = *d
	c.possiblySent = d.Sending
	c.sentEarlier = d.SentEarlier
	when := shortTime(d.Saved)
	switch {
	case d.Sending:
		c.Notify(lang.X("composer.restored_sending", "This message was being sent when it was last saved ({{.When}}), and Stamp never learnt whether the server took it. It may or may not have been delivered: check the recipients' replies or your provider's Sent folder before sending it again.", map[string]any{"When": when}))
	case !d.SentEarlier.IsZero():
		text := lang.X("composer.restored_sent_earlier", "An earlier version of this message was sent on {{.Sent}}. The changes you made while it went out (saved {{.When}}) were restored; they have not been sent.", map[string]any{"Sent": shortTime(d.SentEarlier), "When": when})
		if !found {
			text += lang.X("composer.restored_no_account", " Its account ({{.Account}}) no longer exists: choose who it is from.", map[string]any{"Account": d.Account})
		}
		c.Notify(text)
	case !found:
		c.Notify(lang.X("composer.restored_draft_no_account", "Your unsent draft from {{.When}} was restored, but its account ({{.Account}}) no longer exists: choose who it is from.", map[string]any{"When": when, "Account": d.Account}))
	default:
		c.Notify(lang.X("composer.restored_draft", "Your unsent draft from {{.When}} was restored.", map[string]any{"When": when}))
	}
}

// fillForm puts d into the form (without autosaving it as a change) and
// reports whether its account still exists; if not, From is left empty, so
// that a message never moves to another account (or the sandbox) silently.
func (c *Composer) fillForm(d draft) (found bool) {
	c.restoring = true
	found = d.Account == ""
	for _, s := range c.senders {
		if s.ID == d.Account {
			c.From.SetSelected(s.Label)
			found = true
		}
	}
	if !found {
		c.From.ClearSelected()
	}
	c.To.SetText(d.To)
	c.Cc.SetText(d.Cc)
	c.Bcc.SetText(d.Bcc)
	c.Subject.SetText(d.Subject)
	c.Body.SetText(d.Body)
	c.setMarkdown(d.Markdown)
	c.Attachments.Restore(d.Attachments)
	c.restoring = false
	if d.Cc != "" || d.Bcc != "" {
		c.SetShowCcBcc(true)
	}
	return found
}

// Notify shows a one-line notice above the form.
func (c *Composer) Notify(text string) {
	c.Notice.SetText(text)
	c.Notice.Show()
}

// closeRequested asks what to do with unsent text before the window
// closes; closing the last composer, which ends Stamp, first asks about
// the messages waiting in the outbox (outbox_exit.go).
func (c *Composer) closeRequested() {
	if u := c.opts.Outbox; u != nil && (c.others == nil || c.others() == 0) && u.askExit(c, func() {
		if !c.closed { // it may have gone while "Send them now" ran
			c.closeAsked()
		}
	}) {
		return
	}
	c.closeAsked()
}

// closeAsked is the close once the outbox is settled: the question about
// the message in the form.
func (c *Composer) closeAsked() {
	if c.sending {
		c.closeWhileSending()
		return
	}
	d := c.draft()
	if d.Empty() {
		if !c.draftUnreadable {
			c.drafts.Clear()
		}
		c.closeNow()
		return
	}
	save := widget.NewButtonWithIcon(lang.X("composer.save_draft", "Save draft"), theme.DocumentSaveIcon(), nil)
	discard := widget.NewButtonWithIcon(lang.X("composer.close.discard", "Discard"), theme.DeleteIcon(), nil)
	cancel := widget.NewButton(lang.X("composer.close.cancel", "Cancel"), nil)
	content := container.NewVBox(
		widget.NewLabel(c.closeQuestion()),
		container.NewHBox(save, discard, cancel),
	)
	dlg := dialog.NewCustomWithoutButtons(c.closeTitle(), content, c.Window)
	save.OnTapped = func() {
		dlg.Hide()
		if err := c.SaveDraft(); err != nil {
			c.showError(fmt.Errorf("%s: %w", lang.X("composer.close.save_failed", "the draft could not be saved, so the window stays open"), err))
			return
		}
		c.closeNow()
	}
	discard.OnTapped = func() {
		dlg.Hide()
		c.drafts.Clear()
		c.closeNow()
	}
	cancel.OnTapped = dlg.Hide
	c.showDialog(dlg)
}

// closeQuestion is what the close dialog asks about the message in the
// form: never "has not been sent" about one that may have gone out.
func (c *Composer) closeQuestion() string {
	switch {
	case c.possiblySent:
		return lang.X("composer.close.possibly_sent", "This message may already have been delivered: the server never confirmed it.\nKeep it as a draft for next time, marked as possibly sent?")
	case !c.sentEarlier.IsZero():
		return lang.X("composer.close.sent_earlier", "An earlier version of this message was sent on {{.Sent}};\nthe changes made since have not been sent. Keep them as a draft for next time?", map[string]any{"Sent": shortTime(c.sentEarlier)})
	default:
		return lang.X("composer.close.unsent", "This message has not been sent. Keep it as a draft for next time?")
	}
}

// closeNow closes the window for good: no autosave may run after it, and
// no outbox change reaches it.
func (c *Composer) closeNow() {
	c.closing = true // first: an autosave already queued on the UI goroutine then does nothing
	if c.timer != nil {
		c.timer.Stop()
	}
	c.stopOutbox()
	c.Window.Close()
}

// showDialog shows d; Esc closes it.
func (c *Composer) showDialog(d hideShower) { c.dialogs.show(d) }

// showError shows err in a dialog that Esc closes.
func (c *Composer) showError(err error) {
	c.showDialog(dialog.NewError(err, c.Window))
}

// FocusFirst puts the keyboard focus in the first field that needs typing.
func (c *Composer) FocusFirst() {
	switch {
	case strings.TrimSpace(c.To.Text) == "":
		c.Window.Canvas().Focus(c.To)
	case strings.TrimSpace(c.Subject.Text) == "":
		c.Window.Canvas().Focus(c.Subject)
	default:
		c.Window.Canvas().Focus(c.Body)
	}
}
