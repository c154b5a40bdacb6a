package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/account"
	"stamp/oauth"
)

// withGoogleClientID builds id into this copy of Stamp for the test, as
// the Makefile's -ldflags do for a release.
func withGoogleClientID(t *testing.T, id string) {
	t.Helper()
	old := oauth.GoogleClientID
	oauth.GoogleClientID = id
	t.Cleanup(func() { oauth.GoogleClientID = old })
}

func TestAGmailAddressInADevelopmentBuildAsksForAnAppPasswordAndSaysHowToSignIn(t *testing.T) {
	withGoogleClientID(t, "") // a development build: no client ID built in
	w, _, _ := signInWindow(t, nil, time.Minute)
	test.Type(w.Address, "someone@gmail.com")
	if !shown(w, w.Password) || shown(w, w.SignInButton) || w.LoginWith.Selected != "A password" {
		t.Fatalf("password %v, sign-in %v, log in with %q", shown(w, w.Password), shown(w, w.SignInButton), w.LoginWith.Selected)
	}
	if !shown(w, w.sign.useSignIn) || w.sign.useSignIn.Text != "Sign in with Google instead" {
		t.Fatalf("Sign in with Google is not offered (%v %q)", shown(w, w.sign.useSignIn), w.sign.useSignIn.Text)
	}
	note := w.sign.noIDNote
	if !note.Visible() || !strings.Contains(note.Text, "no client ID") || !strings.Contains(note.Text, "Google Cloud console") ||
		!strings.Contains(note.Text, "app password") {
		t.Fatalf("no plain note on the app password and the client ID: %q (shown %v)", note.Text, note.Visible())
	}
	saveShot(t, w.Window, "accounts-gmail-dev-build")
	if w.Host.Text != "smtp.gmail.com" {
		t.Errorf("host %q, want Gmail's", w.Host.Text)
	}

	// Sign in with Google instead: the sign-in, with the note on the
	// missing client ID where the sign-in is.
	test.Tap(w.sign.useSignIn)
	if shown(w, w.Password) || !shown(w, w.SignInButton) || w.SignInButton.Text != "Sign in with Google" {
		t.Fatalf("after Sign in with Google instead: password %v, button %q", shown(w, w.Password), w.SignInButton.Text)
	}
	if !strings.Contains(w.SignedIn.Text, "no client ID") || note.Visible() {
		t.Fatalf("the sign-in says %q (password note shown %v)", w.SignedIn.Text, note.Visible())
	}
	test.Type(w.ClientID, "my-own.apps.googleusercontent.com")
	if strings.Contains(w.SignedIn.Text, "no client ID") {
		t.Errorf("still no client ID after typing one: %q", w.SignedIn.Text)
	}
	if o := w.formSignIn(); o == nil || o.Provider != account.OAuthGoogle || o.ClientID != "my-own.apps.googleusercontent.com" {
		t.Fatalf("the form's sign-in: %+v", o)
	}
}

func TestAnOutlookAddressInADevelopmentBuildKeepsTheSignInWithTheNote(t *testing.T) {
	withGoogleClientID(t, "")
	old := oauth.MicrosoftClientID
	oauth.MicrosoftClientID = ""
	t.Cleanup(func() { oauth.MicrosoftClientID = old })
	w, _, _ := signInWindow(t, nil, time.Minute)
	test.Type(w.Address, "someone@outlook.com")
	if shown(w, w.Password) || !shown(w, w.SignInButton) || w.SignInButton.Text != "Sign in with Microsoft" {
		t.Fatalf("password %v, sign-in %v %q", shown(w, w.Password), shown(w, w.SignInButton), w.SignInButton.Text)
	}
	if !strings.Contains(w.SignedIn.Text, "no client ID") || shown(w, w.sign.useSignIn) || w.sign.noIDNote.Visible() {
		t.Fatalf("the sign-in says %q (Google's links shown: %v %v)", w.SignedIn.Text, shown(w, w.sign.useSignIn), w.sign.noIDNote.Visible())
	}
}
