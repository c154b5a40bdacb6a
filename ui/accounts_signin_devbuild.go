package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/oauth"
)

// A copy of Stamp built without a client ID for Google (a development
// build: no -ldflags, see the Makefile's oauth-client-ids.mk) cannot sign
// in with Google unless the account names its own client. Gmail also takes
// an app password, so such a build offers that first, with "Sign in with
// Google instead" and a plain note on how to get a client ID. Microsoft has
// no password alternative: its sign-in stays, with its own note
// (showSignInState).

// newNoClientIDNote makes the note under the app password.
func newNoClientIDNote() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.MediumImportance
	l.Hide()
	return l
}

// withoutGoogleClientID reports whether this copy of Stamp has no client
// ID for Google.
func withoutGoogleClientID() bool { return oauth.GoogleClientID == "" }

// defaultLogin is how a new account whose provider offers kind logs in
// until the person chooses: the sign-in, except Google's in a copy of
// Stamp without a client ID for it, which would not work: an app password.
func defaultLogin(kind account.OAuthProvider) account.OAuthProvider {
	if kind == account.OAuthGoogle && withoutGoogleClientID() {
		return ""
	}
	return kind
}

// showNoClientIDNote shows, under the app password of a Google address,
// why Stamp asks for it and how to sign in instead.
func (w *AccountsWindow) showNoClientIDNote() {
	s := &w.sign
	if s.noIDNote == nil {
		return
	}
	if s.kind != "" || s.offered != account.OAuthGoogle || !withoutGoogleClientID() {
		s.noIDNote.Hide()
		return
	}
	s.noIDNote.SetText(lang.X("accounts.signin.google_app_password_dev",
		"This copy of Stamp has no client ID of its own for Google, so it asks for an app password (the steps are below). To sign in with Google instead, use your own client: {{.Hint}}",
		map[string]any{"Hint": (&oauth.NoClientIDError{Kind: oauth.Google}).Hint()}))
	s.noIDNote.Show()
}
