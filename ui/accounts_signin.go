package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/oauth"
)

// The Accounts window's choice between a password and the provider's
// sign-in (OAuth 2), and the sign-in's own row: the button, who is signed
// in, Sign in again, Sign out, and the advanced settings (the account's own
// client). The flow itself is in accounts_signin_flow.go.

// signInOptions are AccountsOptions' sign-in parts.
type signInOptions struct {
	mgr     *oauth.Manager
	open    func(*url.URL) error
	client  *http.Client
	timeout time.Duration
}

// signInRow is the sign-in part of the form. Its fields belong to the UI
// goroutine.
type signInRow struct {
	signInOptions
	// kind is how the account logs in: "" for a password, else the
	// sign-in provider. chosen: the person (or a saved account) chose it,
	// so the presets and discovery no longer change it.
	kind   account.OAuthProvider
	chosen bool
	// offered is the provider the address's preset or discovery names
	// (Google offers both; the person may use an app password instead).
	offered account.OAuthProvider
	// who is what each account's last sign-in in this window said about
	// the person (ID → words), until is when it is known to end.
	who map[string]signedIn

	// box is what the form's sign-in row shows.
	box       *fyne.Container
	advanced  *widget.Accordion
	advBox    *fyne.Container
	usePass   *widget.Button // Google: "Use an app password instead"
	useSignIn *widget.Button // Google, password mode: "Sign in with Google instead"
	// noIDNote: Google, password mode, no client ID in this build: why,
	// and how to get one (accounts_signin_devbuild.go).
	noIDNote *widget.Label
	// choices are LoginWith's options.
	choices []choice[account.OAuthProvider]
	// noID: the form's sign-in had no client ID when last shown.
	noID bool
	// flow is the sign-in in progress, or nil.
	flow *signInFlow
}

// signedIn is what Stamp knows of an account's sign-in.
type signedIn struct {
	who   string
	until string
}

// loginWithChoices are the "Log in with" options, in the person's
// language (so made when the window is, after the translations loaded).
func loginWithChoices() []choice[account.OAuthProvider] {
	return []choice[account.OAuthProvider]{
		{"", lang.X("accounts.login_with.password", "A password")},
		{account.OAuthGoogle, lang.X("accounts.login_with.google", "Sign in with Google")},
		{account.OAuthMicrosoft, lang.X("accounts.login_with.microsoft", "Sign in with Microsoft")},
		{account.OAuthCustom, lang.X("accounts.login_with.custom", "Sign in with your provider (its own client)")},
	}
}

// initSignIn makes the sign-in widgets.
func (w *AccountsWindow) initSignIn(opts AccountsOptions) {
	s := &w.sign
	s.mgr, s.open, s.client, s.timeout = opts.OAuth, opts.OpenURL, opts.OAuthHTTPClient, opts.SignInTimeout
	if s.mgr == nil {
		s.mgr = oauth.NewManager(w.secrets)
	}
	if s.open == nil {
		s.open = w.app.OpenURL
	}
	if s.timeout <= 0 {
		s.timeout = oauth.DefaultTimeout
	}
	s.who = make(map[string]signedIn)

	s.choices = loginWithChoices()
	w.LoginWith = widget.NewSelect(labels(s.choices), func(string) {
		if w.loading {
			return
		}
		w.sign.chosen = true
		w.setLoginWith(picked(w.LoginWith, w.sign.choices))
	})
	w.SignInButton = widget.NewButtonWithIcon("", theme.LoginIcon(), w.SignIn)
	w.SignInButton.Importance = widget.HighImportance
	w.SignedIn = widget.NewLabel("")
	w.SignedIn.Wrapping = fyne.TextWrapWord
	w.SignOutButton = widget.NewButtonWithIcon(lang.X("accounts.signin.sign_out", "Sign out"), theme.LogoutIcon(), w.confirmSignOut)
	w.SignOutButton.Hide()
	s.usePass = widget.NewButton(lang.X("accounts.signin.use_app_password", "Use an app password instead"), func() {
		w.sign.chosen = true
		w.setLoginWith("")
	})
	s.usePass.Importance = widget.LowImportance
	s.useSignIn = widget.NewButton("", func() {
		w.sign.chosen = true
		w.setLoginWith(w.sign.offered)
	})
	s.useSignIn.Importance = widget.LowImportance
	s.useSignIn.Hide()
	s.noIDNote = newNoClientIDNote()

	w.ClientID = widget.NewEntry()
	w.ClientID.OnChanged = func(string) {
		if !w.loading && w.sign.kind != "" && w.sign.flow == nil && w.noClientID() != w.sign.noID {
			w.showSignInState()
		}
	}
	w.ClientID.SetPlaceHolder(lang.X("accounts.signin.client_id_hint", "default: Stamp's own client"))
	w.ClientSecret = widget.NewPasswordEntry()
	w.ClientSecret.SetPlaceHolder(lang.X("accounts.signin.client_secret_hint", "if your client has one (kept in the keyring)"))
	w.Tenant = widget.NewEntry()
	w.Tenant.SetPlaceHolder(lang.X("accounts.signin.tenant_hint", "common (default), organizations, consumers or a tenant"))
	w.Issuer = widget.NewEntry()
	w.Issuer.SetPlaceHolder("https://login.example.com")
	w.AuthURL = widget.NewEntry()
	w.TokenURL = widget.NewEntry()
	w.DeviceAuthURL = widget.NewEntry()
	w.RevocationURL = widget.NewEntry()
	w.Scopes = widget.NewEntry()
	w.Scopes.SetPlaceHolder(lang.X("accounts.signin.scopes_hint", "default: the provider's scopes for sending mail"))
	s.advBox = container.NewStack()
	s.advanced = widget.NewAccordion(widget.NewAccordionItem(
		lang.X("accounts.signin.advanced", "Advanced sign-in settings"), s.advBox))

	actions := container.NewHBox(w.SignInButton, w.SignOutButton, s.usePass)
	s.box = container.NewVBox(actions, w.SignedIn, s.advanced)
	s.box.Hide()
}

// setLoginWith switches the form between a password and the sign-in with
// provider kind ("" for a password).
func (w *AccountsWindow) setLoginWith(kind account.OAuthProvider) {
	s := &w.sign
	s.kind = kind
	was := w.loading
	w.loading = true
	pick(w.LoginWith, s.choices, kind)
	w.loading = was
	if kind == "" {
		s.box.Hide()
		w.passwordBox.Show()
		w.secretItem.Text = lang.X("accounts.password", "Password")
		if m := picked(w.Auth, authChoices); m == account.AuthXOAUTH2 || m == account.AuthOAuthBearer {
			w.setAuth(account.AuthAuto)
		}
	} else {
		w.passwordBox.Hide()
		s.box.Show()
		w.secretItem.Text = lang.X("accounts.signin", "Sign-in")
		switch picked(w.Auth, authChoices) {
		case account.AuthAuto, account.AuthXOAUTH2, account.AuthOAuthBearer:
		default:
			w.setAuth(account.AuthAuto) // a password mechanism cannot carry a token
		}
		w.SignInButton.SetText(signInLabel(kind))
	}
	w.showSignInLinks()
	w.layoutAdvanced()
	w.secretForm.Refresh()
	w.showSignInState()
}

// showSignInLinks offers Google's alternative: an app password instead of
// the sign-in, or the sign-in instead of the app password.
func (w *AccountsWindow) showSignInLinks() {
	s := &w.sign
	s.usePass.Hidden = !(s.kind == account.OAuthGoogle && s.offered == account.OAuthGoogle)
	s.useSignIn.Hidden = !(s.kind == "" && s.offered == account.OAuthGoogle)
	s.useSignIn.SetText(lang.X("accounts.signin.use_google", "Sign in with Google instead"))
	s.usePass.Refresh()
	w.showNoClientIDNote()
	if w.passwordBox != nil {
		w.passwordBox.Refresh()
	}
}

// signInLabel is the sign-in button's words for kind.
func signInLabel(kind account.OAuthProvider) string {
	switch kind {
	case account.OAuthGoogle:
		return lang.X("accounts.signin.google", "Sign in with Google")
	case account.OAuthMicrosoft:
		return lang.X("accounts.signin.microsoft", "Sign in with Microsoft")
	}
	return lang.X("accounts.signin.custom", "Sign in with your provider")
}

// layoutAdvanced shows the advanced fields that apply to the provider, in
// one new form (a form cannot hide a row, and one form keeps the labels in
// one column).
func (w *AccountsWindow) layoutAdvanced() {
	f := widget.NewForm(
		widget.NewFormItem(lang.X("accounts.signin.client_id", "Client ID"), w.ClientID),
		widget.NewFormItem(lang.X("accounts.signin.client_secret", "Client secret"), w.ClientSecret))
	switch w.sign.kind {
	case account.OAuthMicrosoft:
		f.Append(lang.X("accounts.signin.tenant", "Tenant"), w.Tenant)
	case account.OAuthCustom:
		f.Append(lang.X("accounts.signin.issuer", "Issuer"), w.Issuer)
		f.Append(lang.X("accounts.signin.auth_url", "Authorization endpoint"), w.AuthURL)
		f.Append(lang.X("accounts.signin.token_url", "Token endpoint"), w.TokenURL)
		f.Append(lang.X("accounts.signin.device_url", "Device endpoint"), w.DeviceAuthURL)
		f.Append(lang.X("accounts.signin.revocation_url", "Revocation endpoint"), w.RevocationURL)
	}
	f.Append(lang.X("accounts.signin.scopes", "Scopes"), w.Scopes)
	w.sign.advBox.Objects = []fyne.CanvasObject{f}
	w.sign.advBox.Refresh()
}

// offerSignIn notes which sign-in the address's provider wants (from its
// preset, or the server found for it) and, unless the person chose,
// switches the form to it: Outlook.com and Microsoft 365 only sign in,
// Google prefers the sign-in (an app password is the alternative; the
// default in a copy of Stamp without a client ID for Google).
func (w *AccountsWindow) offerSignIn(login account.Login, host string) {
	kind := account.OAuthProvider(oauth.Detect(w.Address.Text, host))
	if kind == "" && login == account.LoginOAuth2Only {
		kind = account.OAuthMicrosoft // the presets that only sign in are Microsoft's
	}
	w.sign.offered = kind
	if w.sign.chosen {
		w.showSignInLinks() // the person's choice stays; the links follow what is offered
		return
	}
	w.setLoginWith(defaultLogin(kind))
}

// fillSignInSettings shows an account's sign-in settings in the form.
func (w *AccountsWindow) fillSignInSettings(a account.Account) {
	o := a.OAuth
	if o == nil {
		o = &account.OAuthSettings{}
	}
	w.ClientID.SetText(o.ClientID)
	w.ClientSecret.SetText("")
	w.Tenant.SetText(o.Tenant)
	w.Issuer.SetText(o.Issuer)
	w.AuthURL.SetText(o.AuthURL)
	w.TokenURL.SetText(o.TokenURL)
	w.DeviceAuthURL.SetText(o.DeviceAuthURL)
	w.RevocationURL.SetText(o.RevocationURL)
	w.Scopes.SetText(strings.Join(o.Scopes, " "))
	w.sign.offered = ""
	if a.OAuth != nil {
		w.sign.offered = a.OAuth.Provider
	}
	w.sign.chosen = a.ID != ""
	if o.ClientID != "" || o.Tenant != "" || o.Issuer != "" || o.AuthURL != "" || len(o.Scopes) > 0 {
		w.sign.advanced.Open(0)
	} else {
		w.sign.advanced.CloseAll()
	}
	w.setLoginWith(o.Provider)
}

// formSignIn is the sign-in settings in the form, nil for a password.
func (w *AccountsWindow) formSignIn() *account.OAuthSettings {
	if w.sign.kind == "" {
		return nil
	}
	o := &account.OAuthSettings{Provider: w.sign.kind, ClientID: strings.TrimSpace(w.ClientID.Text),
		Scopes: strings.FieldsFunc(w.Scopes.Text, func(r rune) bool { return r == ' ' || r == ',' })}
	switch w.sign.kind {
	case account.OAuthMicrosoft:
		o.Tenant = strings.TrimSpace(w.Tenant.Text)
	case account.OAuthCustom:
		o.Issuer = strings.TrimSpace(w.Issuer.Text)
		o.AuthURL = strings.TrimSpace(w.AuthURL.Text)
		o.TokenURL = strings.TrimSpace(w.TokenURL.Text)
		o.DeviceAuthURL = strings.TrimSpace(w.DeviceAuthURL.Text)
		o.RevocationURL = strings.TrimSpace(w.RevocationURL.Text)
	}
	return o
}

// showSignInState says whether the form's account is signed in: what this
// window's last sign-in learnt, else whether the keyring holds a sign-in
// (read off the UI goroutine; the token itself is dropped at once).
func (w *AccountsWindow) showSignInState() {
	s := &w.sign
	if s.kind == "" {
		return
	}
	id := w.current
	w.SignOutButton.Hide()
	s.noID = w.noClientID()
	if s.noID {
		// Said before any attempt: a warning, not yet a failure.
		w.signInFailed(s.kind, &oauth.NoClientIDError{Kind: oauth.Kind(s.kind)})
		w.SignedIn.Importance = widget.WarningImportance
		w.SignedIn.Refresh()
		w.showStatus(widget.MediumImportance, "")
		return
	}
	if id == "" {
		w.SignedIn.Importance = widget.MediumImportance
		w.SignedIn.SetText(lang.X("accounts.signin.not_yet", "Not signed in yet. Signing in saves the account."))
		return
	}
	if got, ok := s.who[id]; ok {
		w.showSignedIn(got)
		return
	}
	w.SignedIn.SetText(lang.X("accounts.signin.looking", "Looking for the saved sign-in…"))
	kind := s.kind
	go func() {
		tok, _, loc, err := w.secrets.RefreshToken(context.Background(), id)
		has := err == nil && tok != ""
		tok = ""
		runOnUI(func() {
			if w.current != id || w.sign.kind != kind || w.sign.flow != nil {
				return
			}
			var ku *account.KeyringUnavailableError
			switch {
			case has:
				where := lang.X("accounts.signin.kept_keyring", "kept in the system keyring")
				if loc == account.LocationSession {
					where = lang.X("accounts.signin.kept_session", "kept for this session only")
				}
				w.showSignedIn(signedIn{who: lang.X("accounts.signin.saved", "Signed in with {{.Provider}} ({{.Where}}).",
					map[string]any{"Provider": oauth.Kind(kind).Name(), "Where": where}), until: lastsText(kind, 0)})
			case errors.As(err, &ku):
				w.SignedIn.Importance = widget.WarningImportance
				w.SignedIn.SetText(lang.X("accounts.signin.no_keyring", "The system keyring cannot be read ({{.Reason}}), so Stamp cannot keep a sign-in.",
					map[string]any{"Reason": ku.Reason.String()}))
				w.SignInButton.SetText(signInLabel(kind))
			default:
				w.SignedIn.Importance = widget.WarningImportance
				w.SignedIn.SetText(lang.X("accounts.signin.none", "Not signed in: Stamp cannot send with this account until you sign in."))
				w.SignInButton.SetText(signInLabel(kind))
			}
		})
	}()
}

// showSignedIn shows a sign-in that exists, with Sign in again and Sign
// out.
func (w *AccountsWindow) showSignedIn(got signedIn) {
	w.SignedIn.Importance = widget.SuccessImportance
	text := got.who
	if got.until != "" {
		text += "\n" + got.until
	}
	w.SignedIn.SetText(text)
	w.SignInButton.SetText(lang.X("accounts.signin.again", "Sign in again"))
	w.SignOutButton.Show()
}

// lastsText says until when a sign-in is known to last: the provider's
// own word when it sent one (refresh_token_expires_in, a Google app in
// testing), else what the provider is known to do.
func lastsText(kind account.OAuthProvider, expiresIn time.Duration) string {
	if expiresIn > 0 {
		return lang.X("accounts.signin.until", "The provider ends this sign-in on {{.Date}}; sign in again then.",
			map[string]any{"Date": time.Now().Add(expiresIn).Format(lang.X("accounts.signin.date_layout", "2 January 2006 15:04"))})
	}
	switch kind {
	case account.OAuthGoogle:
		return lang.X("accounts.signin.lasts_google", "Google keeps it until you sign out or remove Stamp's access in your Google Account (an app still in testing: 7 days).")
	case account.OAuthMicrosoft:
		return lang.X("accounts.signin.lasts_microsoft", "Microsoft keeps it while Stamp uses it at least every 90 days, unless your organization ends it sooner.")
	}
	return lang.X("accounts.signin.lasts_custom", "It lasts until your provider ends it.")
}

// noClientID reports whether the form's sign-in has no client ID: none
// typed, and none built into this copy of Stamp (a development build).
func (w *AccountsWindow) noClientID() bool {
	if strings.TrimSpace(w.ClientID.Text) != "" {
		return false
	}
	switch w.sign.kind {
	case account.OAuthGoogle:
		return oauth.GoogleClientID == ""
	case account.OAuthMicrosoft:
		return oauth.MicrosoftClientID == ""
	}
	return false // a custom provider's ID is checked when saving
}
