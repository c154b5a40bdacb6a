package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/oauth/oauthtest"
)

// signInWindow is an accounts window whose browser is open (nil: a
// browser that opens nothing) and whose sign-in waits at most timeout.
func signInWindow(t *testing.T, open func(*url.URL) error, timeout time.Duration) (*AccountsWindow, *account.Store, *account.Secrets) {
	t.Helper()
	store, err := account.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	secrets, _ := testSecrets(t)
	if open == nil {
		open = func(*url.URL) error { return nil }
	}
	w := NewAccountsWindowWith(test.NewTempApp(t), store, secrets, AccountsOptions{OpenURL: open, SignInTimeout: timeout})
	t.Cleanup(func() { w.Window.Close() })
	return w, store, secrets
}

// shown reports whether o is visible on the window: it and every
// container it sits in.
func shown(w *AccountsWindow, o fyne.CanvasObject) bool {
	if !o.Visible() {
		return false
	}
	for _, box := range []fyne.CanvasObject{w.passwordBox, w.sign.box} {
		if contains(box, o) && !box.Visible() {
			return false
		}
	}
	return true
}

func contains(in, o fyne.CanvasObject) bool {
	found := false
	walk(in, func(x fyne.CanvasObject) {
		if x == o {
			found = true
		}
	})
	return found
}

func TestAnOutlookAddressOffersMicrosoftSignInAndNoPassword(t *testing.T) {
	w, _, _ := signInWindow(t, nil, time.Minute)
	w.Address.SetText("Someone@Outlook.com")
	if shown(w, w.Password) || !shown(w, w.SignInButton) || w.SignInButton.Text != "Sign in with Microsoft" {
		t.Fatalf("password shown %v, sign-in button %v %q", shown(w, w.Password), shown(w, w.SignInButton), w.SignInButton.Text)
	}
	if shown(w, w.sign.usePass) {
		t.Error("Outlook.com offers an app password, which it refuses")
	}
	if w.Host.Text != "smtp-mail.outlook.com" || w.LoginWith.Selected != "Sign in with Microsoft" {
		t.Errorf("host %q, log in with %q", w.Host.Text, w.LoginWith.Selected)
	}
	// A development build has no client ID: said at once, with the way
	// to get one and the field to put it in.
	if !strings.Contains(w.SignedIn.Text, "no client ID") || !strings.Contains(w.SignedIn.Text, "Entra") ||
		!w.sign.advanced.Items[0].Open {
		t.Errorf("no plain word about the missing client ID: %q (advanced open %v)", w.SignedIn.Text, w.sign.advanced.Items[0].Open)
	}
	saveShot(t, w.Window, "accounts-outlook-sign-in")
	test.Type(w.ClientID, "00000000-my-own-app")
	if strings.Contains(w.SignedIn.Text, "no client ID") {
		t.Errorf("still no client ID after typing one: %q", w.SignedIn.Text)
	}
}

func TestAGmailAddressPrefersGoogleSignInWithAnAppPasswordAsTheAlternative(t *testing.T) {
	withGoogleClientID(t, "1234-built-in.apps.googleusercontent.com") // a release build
	w, _, _ := signInWindow(t, nil, time.Minute)
	w.Address.SetText("someone@gmail.com")
	if shown(w, w.Password) || w.SignInButton.Text != "Sign in with Google" || !shown(w, w.sign.usePass) {
		t.Fatalf("password %v, button %q, app password link %v", shown(w, w.Password), w.SignInButton.Text, shown(w, w.sign.usePass))
	}
	test.Tap(w.sign.usePass)
	if !shown(w, w.Password) || shown(w, w.SignInButton) || !shown(w, w.sign.useSignIn) {
		t.Fatalf("after choosing an app password: password %v, sign-in %v, way back %v",
			shown(w, w.Password), shown(w, w.SignInButton), shown(w, w.sign.useSignIn))
	}
	// The person's choice stays while they finish typing.
	w.Address.SetText("someone.else@gmail.com")
	if !shown(w, w.Password) {
		t.Fatal("the address's preset took the person's choice back")
	}
	test.Tap(w.sign.useSignIn)
	if shown(w, w.Password) || w.SignInButton.Text != "Sign in with Google" {
		t.Fatal("Sign in with Google instead did not switch back")
	}
}

func TestAnAddressWithoutSignInAsksForAPassword(t *testing.T) {
	w, _, _ := signInWindow(t, nil, time.Minute)
	for _, addr := range []string{"me@fastmail.com", "me@qq.com", "me@unknown-provider.example"} {
		w.Address.SetText(addr)
		if !shown(w, w.Password) || shown(w, w.SignInButton) {
			t.Errorf("%s: password %v, sign-in %v", addr, shown(w, w.Password), shown(w, w.SignInButton))
		}
	}
}

func TestSavingAnAccountKeepsItsSignInSettings(t *testing.T) {
	w, store, _ := signInWindow(t, nil, time.Minute)
	want := account.OAuthSettings{Provider: account.OAuthMicrosoft, ClientID: "11111111-admin-app", Tenant: "contoso.example",
		Scopes: []string{"https://outlook.office.com/SMTP.Send", "offline_access"}}
	o := want
	if err := store.Add(account.Account{ID: "work", Address: "me@contoso.example", Host: "smtp.office365.com", Port: 587,
		Security: account.SecuritySTARTTLS, Auth: account.AuthXOAUTH2, OAuth: &o}); err != nil {
		t.Fatal(err)
	}
	w.reload()
	w.Edit("work")
	if shown(w, w.Password) || w.Tenant.Text != "contoso.example" || w.ClientID.Text != want.ClientID {
		t.Fatalf("the saved sign-in is not shown: password %v, tenant %q, client %q", shown(w, w.Password), w.Tenant.Text, w.ClientID.Text)
	}
	test.Type(w.Name, "Me")
	w.Save()
	w.waitIdle(t)
	got, err := store.Get("work")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Me" || got.OAuth == nil || got.OAuth.Provider != want.Provider || got.OAuth.ClientID != want.ClientID ||
		got.OAuth.Tenant != want.Tenant || strings.Join(got.OAuth.Scopes, " ") != strings.Join(want.Scopes, " ") {
		t.Fatalf("after Save: name %q, sign-in %+v (status %q)", got.Name, got.OAuth, w.Status.Text)
	}
}

func TestSignInWithoutAClientIDSaysHowToGetOneAndOpensNoBrowser(t *testing.T) {
	opened := false
	w, store, _ := signInWindow(t, func(*url.URL) error { opened = true; return nil }, time.Minute)
	w.Address.SetText("me@hotmail.com")
	test.Tap(w.SignInButton)
	w.waitIdle(t)
	waitFor(t, "the sign-in's outcome", func() bool { return w.sign.flow == nil })
	if opened {
		t.Fatal("a browser opened without a client ID")
	}
	if !strings.Contains(w.SignedIn.Text, "no client ID") || !strings.Contains(w.SignedIn.Text, "App registrations") {
		t.Fatalf("the window says %q", w.SignedIn.Text)
	}
	if list, _ := store.List(); len(list) != 1 || list[0].OAuth == nil || list[0].OAuth.Provider != account.OAuthMicrosoft {
		t.Fatalf("the account was not saved with its sign-in: %+v", list)
	}
}

// customSignIn fills the form with the test server as the account's own
// provider.
func customSignIn(t *testing.T, w *AccountsWindow, srv *oauthtest.Server) {
	t.Helper()
	w.Address.SetText("me@example.test")
	w.Host.SetText("smtp.example.test")
	w.LoginWith.SetSelected("Sign in with your provider (its own client)")
	if w.sign.kind != account.OAuthCustom || !shown(w, w.SignInButton) {
		t.Fatalf("choosing a custom provider: kind %q", w.sign.kind)
	}
	w.ClientID.SetText(oauthtest.ClientID)
	w.Issuer.SetText(srv.Issuer)
	w.Scopes.SetText("openid offline_access email profile")
}

func TestSignInAndSignOutWithTheProviderUseTheKeyring(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	logins := make(chan error, 1)
	w, store, secrets := signInWindow(t, func(u *url.URL) error {
		go func() { // the person's browser
			_, _, _, err := srv.Login(ctx, u.String(), srv.Username(), oauthtest.Password, true)
			logins <- err
		}()
		return nil
	}, time.Minute)
	customSignIn(t, w, srv)
	test.Tap(w.SignInButton)
	if err := waitRecv(t, logins, "the browser's login"); err != nil {
		t.Fatalf("the login in the browser: %v", err)
	}
	waitFor(t, "the sign-in", func() bool { return w.sign.flow == nil })
	if !strings.Contains(w.SignedIn.Text, "Signed in with your provider as") || !w.SignOutButton.Visible() ||
		w.SignInButton.Text != "Sign in again" {
		t.Fatalf("after signing in: %q, sign out %v, button %q", w.SignedIn.Text, w.SignOutButton.Visible(), w.SignInButton.Text)
	}
	if !strings.Contains(w.SignedIn.Text, srv.Username()) && !strings.Contains(w.SignedIn.Text, "me@example.test") {
		t.Errorf("who is signed in is not said: %q", w.SignedIn.Text)
	}
	saveShot(t, w.Window, "accounts-signed-in")
	a, err := store.Get(w.current)
	if err != nil || a.OAuth == nil || a.OAuth.Issuer != srv.Issuer {
		t.Fatalf("saved account: %+v, %v", a, err)
	}
	rt, _, _, err := secrets.RefreshToken(ctx, a.ID)
	if err != nil || rt == "" || !srv.RefreshTokenActive(ctx, rt) {
		t.Fatalf("the keyring holds no sign-in the provider knows (%v)", err)
	}

	w.SignOut(a.ID)
	waitFor(t, "the sign-out", func() bool { return strings.HasPrefix(w.SignedIn.Text, "Signed out") })
	if !strings.Contains(w.SignedIn.Text, "ended the sign-in") || w.SignOutButton.Visible() {
		t.Errorf("after signing out: %q", w.SignedIn.Text)
	}
	if _, _, _, err := secrets.RefreshToken(ctx, a.ID); !errors.Is(err, account.ErrNoSecret) {
		t.Errorf("the keyring still holds the sign-in: %v", err)
	}
	if srv.RefreshTokenActive(ctx, rt) {
		t.Error("the provider still accepts the sign-in after signing out")
	}
}

func TestACancelledSignInSaysSoAndKeepsNothingInTheKeyring(t *testing.T) {
	srv := oauthtest.Start(t)
	links := make(chan string, 1)
	w, _, secrets := signInWindow(t, func(u *url.URL) error {
		links <- u.String()
		return errors.New("no browser here")
	}, time.Minute)
	customSignIn(t, w, srv)
	test.Tap(w.SignInButton)
	link := waitRecv(t, links, "the sign-in link")
	top := w.Window.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(dialogText(top), "No browser opened") {
		t.Fatal("no dialog says that no browser opened")
	}
	copyLink := findButton(top, "Copy the sign-in link")
	if copyLink == nil || findButton(top, "Sign in on another device") == nil {
		t.Fatalf("the dialog lacks its buttons:\n%s", dialogText(top))
	}
	test.Tap(copyLink)
	if got := w.app.Clipboard().Content(); got != link {
		t.Errorf("the clipboard holds %q, not the sign-in link", got)
	}
	saveShot(t, w.Window, "accounts-sign-in-waiting")
	test.Tap(findButton(top, "Cancel"))
	waitFor(t, "the cancelled sign-in", func() bool { return w.sign.flow == nil })
	if !strings.Contains(w.SignedIn.Text, "cancelled") {
		t.Fatalf("after Cancel: %q", w.SignedIn.Text)
	}
	if _, _, _, err := secrets.RefreshToken(context.Background(), w.current); !errors.Is(err, account.ErrNoSecret) {
		t.Fatalf("a cancelled sign-in left something in the keyring: %v", err)
	}
}

func TestASignInTheBrowserNeverFinishesTimesOut(t *testing.T) {
	srv := oauthtest.Start(t)
	w, _, _ := signInWindow(t, nil, 300*time.Millisecond)
	customSignIn(t, w, srv)
	test.Tap(w.SignInButton)
	w.waitIdle(t) // saved; the sign-in has started
	waitFor(t, "the time-out", func() bool { return w.sign.flow == nil })
	if !strings.Contains(w.SignedIn.Text, "never came back") || w.SignedIn.Importance != widget.DangerImportance {
		t.Fatalf("after the time-out: %q", w.SignedIn.Text)
	}
	if top := w.Window.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("the waiting dialog stays open: %q", dialogText(top))
	}
}

func TestSignInOnAnotherDeviceShowsTheCode(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	w, _, secrets := signInWindow(t, nil, time.Minute)
	customSignIn(t, w, srv)
	w.ClientID.SetText(oauthtest.DeviceClientID)
	w.ClientSecret.SetText(oauthtest.DeviceClientSecret)
	test.Tap(w.SignInButton)
	waitFor(t, "the waiting dialog", func() bool { return w.Window.Canvas().Overlays().Top() != nil })
	top := w.Window.Canvas().Overlays().Top()
	test.Tap(findButton(top, "Sign in on another device"))
	var code string
	waitFor(t, "the code", func() bool {
		if b := findButton(top, "Copy the code"); b != nil {
			test.Tap(b)
			code = w.app.Clipboard().Content()
		}
		return code != ""
	})
	if !strings.Contains(dialogText(top), code) || !strings.Contains(dialogText(top), srv.Issuer) {
		t.Fatalf("the dialog does not show the code and the link:\n%s", dialogText(top))
	}
	saveShot(t, w.Window, "accounts-sign-in-device")
	if err := srv.ApproveDevice(ctx, code, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the sign-in", func() bool { return w.sign.flow == nil })
	if !strings.Contains(w.SignedIn.Text, "Signed in") {
		t.Fatalf("after approving on the other device: %q", w.SignedIn.Text)
	}
	if rt, _, _, err := secrets.RefreshToken(ctx, w.current); err != nil || rt == "" {
		t.Fatalf("no sign-in kept: %v", err)
	}
}

func TestSaveAndTestStayVisibleAt900PixelsWithAChecklist(t *testing.T) {
	w, _, _ := signInWindow(t, nil, time.Minute)
	w.Address.SetText("someone@qq.com") // a long checklist in two languages
	if title := w.ServerSettings.Items[0].Title; !strings.Contains(title, "smtp.qq.com:465 (TLS)") {
		t.Errorf("the folded server settings do not name the server: %q", title)
	}
	w.ServerSettings.Open(0)
	w.Window.Resize(fyne.NewSize(900, 900))
	c := w.Window.Canvas()
	for _, b := range []*widget.Button{w.SaveButton, w.TestButton} {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		if !b.Visible() || pos.Y+b.Size().Height > c.Size().Height || pos.Y < 0 {
			t.Errorf("%q at y=%v (height %v) is outside the %v-high window", b.Text, pos.Y, b.Size().Height, c.Size().Height)
		}
	}
	saveShot(t, w.Window, "accounts-900-checklist")
}

func TestSwitchingASignedInAccountToAPasswordForgetsTheSignInInTheKeyring(t *testing.T) {
	w, store, secrets := signInWindow(t, nil, time.Minute)
	ctx := context.Background()
	if err := store.Add(account.Account{ID: "me", Address: "me@example.test", Host: "smtp.example.test", Port: 465,
		Security: account.SecurityTLS, Auth: account.AuthAuto,
		OAuth: &account.OAuthSettings{Provider: account.OAuthCustom, ClientID: "cid", Issuer: "https://id.example.test", Scopes: []string{"mail"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := secrets.SaveRefreshToken(ctx, "me", "custom", "refresh-token-of-the-old-sign-in"); err != nil {
		t.Fatal(err)
	}
	if err := secrets.SaveClientSecret(ctx, "me", "client-secret-of-the-old-sign-in"); err != nil {
		t.Fatal(err)
	}
	w.reload()
	w.Edit("me")
	w.LoginWith.SetSelected("A password")
	test.Type(w.Password, "the-new-app-password")
	w.Save()
	w.waitIdle(t)
	waitFor(t, "the password saved", func() bool {
		return w.PasswordWhere.Text == passwordWhere(account.LocationKeyring, nil) || w.PasswordWhere.Text == passwordWhere(account.LocationSession, nil)
	})
	a, _ := store.Get("me")
	if a.OAuth != nil {
		t.Fatalf("the account still signs in: %+v", a.OAuth)
	}
	if _, _, _, err := secrets.RefreshToken(ctx, "me"); !errors.Is(err, account.ErrNoSecret) && err == nil {
		t.Error("the old sign-in is still readable from the keyring")
	}
	if pw, _, err := secrets.Password(ctx, "me"); err != nil || pw != "the-new-app-password" {
		t.Errorf("the new password is not what the keyring holds (%v)", err)
	}
	if cs, _ := secrets.ClientSecret(ctx, "me"); cs != "" {
		t.Error("the old client secret is still in the keyring")
	}
}
