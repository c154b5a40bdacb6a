package ui

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/oauth"
	"stamp/smtpclient"
)

// What a sign-in's outcome means, in words, and signing out.

// signInFailed says why a sign-in of provider kind did not happen, with
// its likely cause and what to do.
func (w *AccountsWindow) signInFailed(kind account.OAuthProvider, err error) {
	name := oauth.Kind(kind).Name()
	var nc *oauth.NoClientIDError
	var pe *oauth.ProviderError
	var text string
	switch {
	case errors.As(err, &nc):
		text = lang.X("accounts.signin.no_client_id",
			"This copy of Stamp has no client ID of its own for {{.Provider}}, and this account names none, so it cannot sign in yet. {{.Hint}}",
			map[string]any{"Provider": name, "Hint": nc.Hint()})
		w.sign.advanced.Open(0)
	case errors.Is(err, oauth.ErrAdminApproval):
		text = lang.X("accounts.signin.admin_approval",
			"Your organization's administrator must approve Stamp before you can sign in. Ask them to grant consent to the app, or enter a client ID they approved under Advanced sign-in settings.")
	case errors.Is(err, oauth.ErrTimedOut):
		text = lang.X("accounts.signin.timed_out", "The browser never came back to Stamp in time, so you are not signed in. Sign in again, and finish on the provider's page.")
		if kind == account.OAuthMicrosoft {
			text += " " + lang.X("accounts.signin.timed_out_microsoft",
				"If Microsoft said the app needs approval, your organization's administrator must approve Stamp first.")
		}
	case errors.As(err, &pe) && errors.Is(err, oauth.ErrCancelled):
		text = lang.X("accounts.signin.declined", "The sign-in was declined on {{.Provider}}'s page ({{.Code}}), so you are not signed in.",
			map[string]any{"Provider": name, "Code": pe.Code})
	case errors.Is(err, oauth.ErrCancelled):
		text = lang.X("accounts.signin.cancelled", "The sign-in was cancelled: you are not signed in.")
	case errors.Is(err, oauth.ErrNoRefreshToken):
		text = lang.X("accounts.signin.no_refresh", "{{.Provider}} signed you in but gave Stamp no lasting sign-in, so Stamp could not keep it. Sign in again and allow offline access.",
			map[string]any{"Provider": name})
	default:
		text = lang.X("accounts.signin.failed", "Not signed in: {{.Error}}", map[string]any{"Error": smtpclient.Printable(err.Error())})
		if kind == account.OAuthGoogle && errors.As(err, &pe) {
			text += " " + lang.X("accounts.signin.google_testing",
				"If the Google app in use is still in testing, only the test users it lists can sign in, and their sign-ins end after 7 days.")
		}
	}
	w.SignedIn.Importance = widget.DangerImportance
	w.SignedIn.SetText(text)
	w.SignInButton.SetText(signInLabel(kind))
	w.SignOutButton.Hide()
	w.showStatus(widget.DangerImportance, lang.X("accounts.signin.not_signed_in", "Not signed in."))
}

// tokenWho is the person an ID token names (email, else the preferred
// user name), or "". The token came straight from the provider's token
// endpoint over TLS; it is read only to show a name, never trusted for
// anything else, so its signature is not checked.
func tokenWho(tok *oauth2.Token) string {
	if tok == nil {
		return ""
	}
	raw, _ := tok.Extra("id_token").(string)
	parts := strings.Split(raw, ".")
	if len(parts) != 3 || len(parts[1]) > 16<<10 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var c struct {
		Email             string `json:"email"`
		PreferredUsername string `json:"preferred_username"`
	}
	if json.Unmarshal(b, &c) != nil {
		return ""
	}
	who := c.Email
	if who == "" {
		who = c.PreferredUsername
	}
	return smtpclient.Clip(smtpclient.Printable(who), 200)
}

// refreshLifetime is how long the provider said the sign-in lasts
// (refresh_token_expires_in: a Google app in testing), or 0.
func refreshLifetime(tok *oauth2.Token) time.Duration {
	if tok == nil {
		return 0
	}
	var secs float64
	switch v := tok.Extra("refresh_token_expires_in").(type) {
	case float64:
		secs = v
	case string:
		secs, _ = strconv.ParseFloat(v, 64)
	}
	if secs <= 0 || secs > 10*365*24*3600 {
		return 0
	}
	return time.Duration(secs) * time.Second
}

// confirmSignOut asks before signing the form's account out.
func (w *AccountsWindow) confirmSignOut() {
	id, kind := w.current, w.sign.kind
	if id == "" || kind == "" {
		return
	}
	name := oauth.Kind(kind).Name()
	w.dialogs.show(dialog.NewConfirm(lang.X("accounts.signout.title", "Sign out?"),
		lang.X("accounts.signout.text", "Stamp asks {{.Provider}} to end the sign-in of {{.Account}} where it can, and deletes it from the system keyring. To send with the account again, sign in again.",
			map[string]any{"Provider": name, "Account": id}),
		func(ok bool) {
			if ok {
				w.SignOut(id)
			}
		}, w.Window))
}

// SignOut ends the saved account's sign-in: revoked at the provider where
// it can be (Google, a custom provider with a revocation endpoint), and
// deleted from the keyring and memory in any case.
func (w *AccountsWindow) SignOut(id string) {
	a, err := w.store.Get(id)
	if err != nil || a.OAuth == nil {
		w.showStatus(widget.DangerImportance, lang.X("accounts.signout.not_saved", "Save the account first: it has no saved sign-in."))
		return
	}
	delete(w.sign.who, id)
	w.SignOutButton.Disable()
	w.SignedIn.Importance = widget.MediumImportance
	w.SignedIn.SetText(lang.X("accounts.signout.working", "Signing out…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		name := oauth.Kind(a.OAuth.Provider).Name()
		var canRevoke bool
		var signOutErr error
		p, err := w.providerFor(ctx, a)
		if err == nil {
			canRevoke = p.RevocationURL != ""
			signOutErr = w.sign.mgr.Session(id, p).SignOut(ctx)
		} else {
			// No provider to ask (no client ID any more): forget it here.
			signOutErr = w.secrets.DeleteRefreshToken(ctx, id)
		}
		_, _, _, readErr := w.secrets.RefreshToken(ctx, id)
		gone := errors.Is(readErr, account.ErrNoSecret)
		var text string
		imp := widget.SuccessImportance
		switch {
		case !gone:
			imp = widget.DangerImportance
			msg := lang.X("accounts.signout.still_kept", "the sign-in is still in the keyring")
			if signOutErr != nil {
				msg = signOutErr.Error()
			}
			text = lang.X("accounts.signout.failed", "Not signed out: {{.Error}}", map[string]any{"Error": smtpclient.Printable(msg)})
		case signOutErr != nil:
			imp = widget.WarningImportance
			text = lang.X("accounts.signout.not_revoked", "Signed out on this computer (the sign-in is deleted from the keyring), but {{.Provider}} could not be told: {{.Error}}. Remove Stamp's access in your account's security settings to end it there too.",
				map[string]any{"Provider": name, "Error": smtpclient.Printable(signOutErr.Error())})
		case canRevoke:
			text = lang.X("accounts.signout.revoked", "Signed out: {{.Provider}} ended the sign-in, and it is deleted from the keyring.", map[string]any{"Provider": name})
		default:
			text = lang.X("accounts.signout.local", "Signed out on this computer: the sign-in is deleted from the keyring. {{.Provider}} offers apps no way to end a sign-in; to end it there too, remove Stamp under the apps with access to your account.",
				map[string]any{"Provider": name})
		}
		runOnUI(func() {
			w.SignOutButton.Enable()
			if w.current != id || w.closed {
				return
			}
			w.SignedIn.Importance = imp
			w.SignedIn.SetText(text)
			if gone {
				w.SignOutButton.Hide()
				w.SignInButton.SetText(signInLabel(a.OAuth.Provider))
			}
			w.showStatus(imp, "")
			if w.OnChanged != nil {
				w.OnChanged()
			}
		})
	}()
}
