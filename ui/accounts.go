package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/compose"
)

// AccountsWindow adds, edits and removes saved accounts. The password goes
// to the OS keyring (or, when there is none, is kept for this session only);
// a stored password is never shown.
type AccountsWindow struct {
	Window fyne.Window

	Address, Name, Label, Host, Port, Username, Password, CAFile *widget.Entry
	// Signature is the account's plain-text signature, put under "-- " in
	// every new message sent from it (composer_signature.go).
	Signature                    *widget.Entry
	Security, Auth               *widget.Select
	SaveSent                     *widget.Check
	Notes, PasswordWhere, Status *widget.Label
	// Trust names the one certificate the account trusts, if any
	// (PinnedSHA256); ForgetTrust drops it from the form.
	Trust                                               *widget.Label
	ForgetTrust                                         *widget.Button
	SaveButton, TestButton, RemoveButton, DefaultButton *widget.Button
	// ResetButton appears when the settings file is damaged: it keeps the
	// file aside and starts over, only when the person asks.
	ResetButton *widget.Button

	// LoginWith chooses between a password and a provider's sign-in
	// (folded under Server settings; the presets and discovery set it).
	LoginWith *widget.Select
	// SignInButton signs in (or again), SignedIn says who is signed in and
	// until when, SignOutButton ends the sign-in.
	SignInButton, SignOutButton *widget.Button
	SignedIn                    *widget.Label
	// The account's own sign-in client (Advanced sign-in settings).
	ClientID, ClientSecret, Tenant, Issuer, AuthURL, TokenURL, DeviceAuthURL, RevocationURL, Scopes *widget.Entry
	// ServerSettings folds the server's settings away.
	ServerSettings *widget.Accordion

	// OnChanged runs after accounts were saved or removed (the composer
	// reloads its From picker).
	OnChanged func()

	app      fyne.App
	store    *account.Store
	secrets  *account.Secrets
	list     *widget.List
	accounts []account.Account
	current  string // the ID being edited; "" for a new account
	filled   string // the host last filled from a preset
	loading  bool
	dialogs  *dialogs
	probe    *sendPanel // the connection test's panel, once there was a test
	checking int        // checks started by offUI whose result is not yet shown (UI goroutine only)
	closed   bool
	pinned   string // the certificate fingerprint the form's account trusts
	trustRow *fyne.Container
	body     *fyne.Container // the form and what follows it
	// trustDialog is the last "Trust this certificate?" question, and
	// afterProbe runs when a connection test's result is shown (tests).
	trustDialog dialog.Dialog
	afterProbe  func()

	disc discovery // looking up the settings of a typed address
	sign signInRow // the password or the provider's sign-in

	// secretForm is the form whose secretItem row holds the password or
	// the sign-in (passwordBox or sign.box).
	secretForm  *widget.Form
	secretItem  *widget.FormItem
	passwordBox *fyne.Container
}

// NewAccountsWindow creates the accounts window (not shown yet), with
// the built-in presets only: no settings are looked up on the network.
func NewAccountsWindow(a fyne.App, store *account.Store, secrets *account.Secrets) *AccountsWindow {
	return NewAccountsWindowWith(a, store, secrets, AccountsOptions{})
}

// NewAccountsWindowWith creates the accounts window (not shown yet) with
// opts.
func NewAccountsWindowWith(a fyne.App, store *account.Store, secrets *account.Secrets, opts AccountsOptions) *AccountsWindow {
	w := &AccountsWindow{Window: a.NewWindow(lang.X("accounts.title", "Accounts — Stamp")), app: a, store: store, secrets: secrets}
	w.disc.init(opts)
	w.Window.SetIcon(Icon)
	w.dialogs = escDialogs(w.Window)
	w.Window.SetOnClosed(func() {
		w.closed = true
		w.disc.stop()
		if w.sign.flow != nil {
			w.sign.flow.cancel()
		}
		if w.probe != nil {
			w.probe.Cancel()
			w.probe.Window.Close()
		}
	})

	w.Address = widget.NewEntry()
	w.Address.SetPlaceHolder("you@example.com")
	w.Address.OnChanged = func(string) { w.addressChanged() }
	w.Name = widget.NewEntry()
	w.Name.SetPlaceHolder(lang.X("accounts.name_hint", "Your name, as recipients see it"))
	w.Label = widget.NewEntry()
	w.Label.SetPlaceHolder(lang.X("accounts.label_hint", "Work, Personal… (optional)"))
	w.Signature = widget.NewMultiLineEntry()
	w.Signature.SetMinRowsVisible(3)
	w.Signature.Wrapping = fyne.TextWrapWord
	w.Signature.SetPlaceHolder(lang.X("accounts.signature.placeholder", "Optional: a few lines under \"-- \" in every new message, e.g. your name and phone"))
	w.Host = widget.NewEntry()
	w.Host.SetPlaceHolder("smtp.example.com")
	w.Port = widget.NewEntry()
	w.Port.SetPlaceHolder(lang.X("accounts.port_hint", "default for the security mode"))
	w.Security = widget.NewSelect(labels(securityChoices), func(string) { w.showServerTitle() })
	w.Host.OnChanged = func(string) { w.showServerTitle() }
	w.Port.OnChanged = func(string) { w.showServerTitle() }
	w.Auth = widget.NewSelect(labels(authChoices), nil)
	w.Username = widget.NewEntry()
	w.Username.SetPlaceHolder(lang.X("accounts.login_hint", "default: the address"))
	w.Password = widget.NewPasswordEntry()
	w.CAFile = widget.NewEntry()
	w.CAFile.SetPlaceHolder(lang.X("accounts.ca_file_hint", "only for a server with a self-signed certificate"))
	chooseCA := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), w.chooseCAFile)
	w.SaveSent = widget.NewCheck(lang.X("accounts.save_sent", "Keep a copy of each sent message in Stamp's Sent folder"), nil)
	w.Notes = widget.NewLabel("")
	w.Notes.Wrapping = fyne.TextWrapWord
	w.PasswordWhere = widget.NewLabel("")
	w.PasswordWhere.Wrapping = fyne.TextWrapWord
	w.PasswordWhere.Importance = widget.LowImportance
	w.Status = widget.NewLabel("")
	w.Status.Wrapping = fyne.TextWrapWord
	w.Trust = widget.NewLabel("")
	w.Trust.Wrapping = fyne.TextWrapBreak
	w.ForgetTrust = widget.NewButtonWithIcon(lang.X("accounts.forget_trust", "Stop trusting it"), theme.CancelIcon(), func() {
		w.setPinned("")
		w.showStatus(widget.WarningImportance, lang.X("accounts.forget_trust_save", "Save to stop trusting the certificate."))
	})
	w.trustRow = container.NewBorder(nil, nil, nil, w.ForgetTrust, w.Trust)
	w.initSignIn(opts)

	w.SaveButton = widget.NewButtonWithIcon(lang.X("accounts.save", "Save"), theme.DocumentSaveIcon(), w.Save)
	w.SaveButton.Importance = widget.HighImportance
	w.TestButton = widget.NewButtonWithIcon(lang.X("accounts.test", "Test connection"), theme.MediaPlayIcon(), w.TestConnection)
	w.RemoveButton = widget.NewButtonWithIcon(lang.X("accounts.remove", "Remove"), theme.DeleteIcon(), w.confirmRemove)
	w.DefaultButton = widget.NewButton(lang.X("accounts.make_default", "Make default"), w.makeDefault)
	w.ResetButton = widget.NewButtonWithIcon(lang.X("accounts.reset", "Start with no accounts"), theme.WarningIcon(), w.reset)
	w.ResetButton.Hide()
	add := widget.NewButtonWithIcon(lang.X("accounts.add", "Add account"), theme.ContentAddIcon(), func() { w.Edit("") })

	w.list = widget.NewList(
		func() int { return len(w.accounts) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			a := w.accounts[id]
			text := a.DisplayName()
			if a.Default {
				text = lang.X("accounts.default_named", "{{.Name}} (default)", map[string]any{"Name": text})
			}
			o.(*widget.Label).SetText(text)
		})
	w.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(w.accounts) && w.accounts[id].ID != w.current {
			w.Edit(w.accounts[id].ID)
		}
	}

	w.layout(add, chooseCA)
	w.watchCJKFont()
	w.reload()
	if len(w.accounts) > 0 {
		w.list.Select(0)
	} else {
		w.Edit("")
	}
	return w
}

// Edit shows the account with this ID in the form, or an empty form for a
// new account when id is "".
func (w *AccountsWindow) Edit(id string) {
	w.loading = true
	defer func() { w.loading = false }()
	w.current = id
	a := account.Account{Security: account.SecurityTLS, Auth: account.AuthAuto, SaveSent: true}
	if id != "" {
		got, err := w.store.Get(id)
		if err != nil {
			w.showStatus(widget.DangerImportance, err.Error())
			return
		}
		a = got
	} else {
		w.list.UnselectAll()
	}
	w.Address.SetText(a.Address)
	w.Name.SetText(a.Name)
	w.Label.SetText(a.Label)
	w.Signature.SetText(a.Signature)
	w.Host.SetText(a.Host)
	w.filled = ""
	w.disc.reset()
	if a.Port > 0 {
		w.Port.SetText(strconv.Itoa(a.Port))
	} else {
		w.Port.SetText("")
	}
	w.setSecurity(a.Security)
	w.setAuth(a.EffectiveAuth())
	w.Username.SetText(a.Username)
	w.Password.SetText("")
	w.CAFile.SetText(a.CAFile)
	w.setPinned(a.PinnedSHA256)
	w.SaveSent.SetChecked(a.SaveSent)
	w.fillSignInSettings(a)
	w.Status.SetText("")
	w.RemoveButton.Hidden = id == ""
	w.DefaultButton.Hidden = id == "" || a.Default
	w.RemoveButton.Refresh()
	w.DefaultButton.Refresh()
	w.showPreset(a.Address)
	if id == "" {
		w.Password.SetPlaceHolder(lang.X("accounts.password_hint", "the password, app password or authorization code"))
		w.PasswordWhere.SetText(lang.X("accounts.password_where_new", "The password goes to the system keyring, never to a file; without a keyring Stamp keeps it for this session only."))
		w.Window.Canvas().Focus(w.Address)
		return
	}
	w.Password.SetPlaceHolder(lang.X("accounts.password_keep_hint", "leave empty to keep the saved one"))
	w.PasswordWhere.SetText(lang.X("accounts.password_looking", "Looking for the saved password…"))
	go func() {
		loc, err := w.secrets.Location(context.Background(), id)
		runOnUI(func() {
			if w.current == id {
				w.PasswordWhere.SetText(passwordWhere(loc, err))
			}
		})
	}()
}

// passwordWhere says where an account's password lives, in words.
func passwordWhere(loc account.PasswordLocation, err error) string {
	var ku *account.KeyringUnavailableError
	switch {
	case errors.As(err, &ku):
		return lang.X("accounts.password_no_keyring", "Keyring unavailable ({{.Reason}}): Stamp will ask for the password each time. {{.Hint}}.", map[string]any{"Reason": ku.Reason.String(), "Hint": ku.Hint()})
	case err != nil:
		return lang.X("accounts.password_keyring_error", "The keyring could not be asked: {{.Error}}", map[string]any{"Error": err.Error()})
	}
	switch loc {
	case account.LocationKeyring:
		return lang.X("accounts.password_in_keyring", "The password is saved in the system keyring.")
	case account.LocationSession:
		return lang.X("accounts.password_in_session", "The password is kept for this session only; Stamp will ask again next time.")
	}
	return lang.X("accounts.password_none", "No password is saved: Stamp will ask when it sends.")
}

// Save checks the form and writes the account, then puts the typed
// password into the keyring. Checking and writing read the CA file, so
// they run off the UI goroutine.
func (w *AccountsWindow) Save() {
	if w.askAboutWarnings(w.Save) {
		return
	}
	a, err := w.formAccount()
	if err != nil {
		w.showStatus(widget.DangerImportance, lang.X("accounts.not_saved", "Not saved: {{.Error}}", map[string]any{"Error": err.Error()}))
		return
	}
	password := w.Password.Text
	if a.OAuth != nil {
		password = "" // the sign-in replaces it (the field is hidden)
	}
	secret := w.ClientSecret.Text
	w.offUI(a, w.saveWork(a, w.current == "", secret), func(err error) {
		if err != nil {
			w.showStatus(widget.DangerImportance, lang.X("accounts.not_saved", "Not saved: {{.Error}}", map[string]any{"Error": err.Error()}))
			return
		}
		if w.ClientSecret.Text == secret {
			w.ClientSecret.SetText("")
		}
		w.saved(a, password)
		w.showSignInState()
	})
}

// saveWork writes a (new or not), and the client secret of its own
// sign-in client when one was typed; it runs off the UI goroutine.
func (w *AccountsWindow) saveWork(a account.Account, isNew bool, clientSecret string) func() error {
	return func() error {
		var err error
		var before account.Account
		if isNew {
			err = w.store.Add(a) // validates a
		} else {
			before, _ = w.store.Get(a.ID)
			err = w.store.Put(a)
		}
		if err != nil {
			return err
		}
		if before.OAuth != nil && a.OAuth == nil {
			// It logs in with a password now: its sign-in is not used
			// any more (the typed password, if any, is saved next).
			ctx := context.Background()
			if err := w.secrets.DeleteRefreshToken(ctx, a.ID); err != nil && !errors.Is(err, account.ErrNoSecret) {
				return fmt.Errorf("%s: %w", lang.X("accounts.signin_still_kept", "the account is saved, but its sign-in is still in the keyring"), err)
			}
			if err := w.secrets.SaveClientSecret(ctx, a.ID, ""); err != nil {
				return fmt.Errorf("%s: %w", lang.X("accounts.secret_still_kept", "the account is saved, but its client secret is still in the keyring"), err)
			}
		}
		if a.OAuth == nil || clientSecret == "" {
			return nil
		}
		if err := w.secrets.SaveClientSecret(context.Background(), a.ID, clientSecret); err != nil {
			return fmt.Errorf("%s: %w", lang.X("accounts.secret_not_saved", "the account is saved, but not its client secret"), err)
		}
		return nil
	}
}

// saved shows a just-written account and saves the password typed for it.
func (w *AccountsWindow) saved(a account.Account, password string) {
	w.current = a.ID
	if w.Password.Text == password {
		w.Password.SetText("")
	}
	w.reload()
	for i, x := range w.accounts {
		if x.ID == a.ID {
			w.list.Select(i)
		}
	}
	w.RemoveButton.Show()
	w.showStatus(widget.SuccessImportance, lang.X("accounts.saved", "Saved."))
	if w.OnChanged != nil {
		w.OnChanged()
	}
	if password == "" {
		return
	}
	w.PasswordWhere.SetText(lang.X("accounts.password_saving", "Saving the password in the system keyring…"))
	go func() {
		loc, err := w.secrets.SavePassword(context.Background(), a.ID, password)
		if err == nil && loc == account.LocationSession {
			err = w.secrets.Problem()
		}
		runOnUI(func() {
			if err != nil && loc != account.LocationSession {
				w.showStatus(widget.DangerImportance, lang.X("accounts.password_not_saved", "The account is saved, but the password is not: {{.Error}}", map[string]any{"Error": err.Error()}))
				return
			}
			w.PasswordWhere.SetText(passwordWhere(loc, err))
		})
	}()
}

// checkTimeout bounds how long the window waits for work that reads the
// CA file before it says so and lets the person go on.
var checkTimeout = 5 * time.Second

// offUI runs work — which validates a and so reads its CA file, which may
// be slow, a pipe or a device — off the UI goroutine, with Save and Test
// connection disabled, then calls then with the result on the UI
// goroutine. Work that takes longer than checkTimeout is reported as a CA
// file that cannot be read (and its result, if it ever comes, dropped).
func (w *AccountsWindow) offUI(a account.Account, work func() error, then func(error)) {
	w.SaveButton.Disable()
	w.TestButton.Disable()
	w.showStatus(widget.MediumImportance, lang.X("accounts.checking", "Checking the settings…"))
	result := make(chan error, 1)
	go func() { result <- work() }()
	w.checking++
	go func() {
		var err error
		select {
		case err = <-result:
		case <-time.After(checkTimeout):
			// The reading goroutine may stay blocked (a FIFO nobody
			// writes); it holds nothing but the path.
			err = errors.New(lang.X("accounts.ca_file_slow", "the CA file {{.File}} could not be read within {{.Timeout}}; choose a regular PEM file, not a pipe or a device", map[string]any{"File": a.CAFile, "Timeout": checkTimeout.String()}))
		}
		runOnUI(func() {
			w.checking--
			if w.closed {
				return
			}
			w.SaveButton.Enable()
			w.TestButton.Enable()
			w.showStatus(widget.MediumImportance, "")
			then(err)
		})
	}()
}

func (w *AccountsWindow) showStatus(imp widget.Importance, text string) {
	w.Status.Importance = imp
	w.Status.SetText(text)
}

func (w *AccountsWindow) chooseCAFile() {
	d := newFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		w.CAFile.SetText(r.URI().Path())
		r.Close()
	}, w.Window)
	w.dialogs.show(d)
}

// accountSender is the From picker entry for a saved account.
func accountSender(a account.Account) Sender {
	label := a.DisplayName()
	if label != a.Address {
		label += " <" + a.Address + ">"
	}
	return Sender{ID: a.ID, Label: label, From: compose.Address{Name: a.Name, Addr: a.Address}, KeepSent: a.SaveSent, Signature: a.Signature}
}
