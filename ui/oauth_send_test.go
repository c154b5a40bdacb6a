package ui

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	gomail "github.com/emersion/go-message/mail"

	"stamp/account"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
	"stamp/smtpclient/sandbox"
)

// The composer sends from an account that signs in with OAuth 2 through
// oauth.Send: a real authorization server (oauthtest, zitadel/oidc) on
// 127.0.0.1 and the sandbox SMTP server, which accepts a token only when
// the server's introspection calls it active.

const oauthMailbox = "me@example.com"

// oauthRig is a signed-in OAuth account, its provider and sandbox.
type oauthRig struct {
	srv     *oauthtest.Server
	sb      *sandbox.Server
	store   *account.Store
	secrets *account.Secrets
	manager *oauth.Manager
	acct    account.Account
	// locked: the keyring refuses every call, so a sign-in is kept for
	// this session only (useLockedKeyring).
	locked bool
	logins atomic.Int32 // XOAUTH2/OAUTHBEARER logins the sandbox saw
	mu     sync.Mutex
	tokens []string // access tokens the sandbox was handed
}

func newOAuthRig(t *testing.T) *oauthRig {
	t.Helper()
	r := &oauthRig{srv: oauthtest.Start(t)}
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.TLS, Username: oauthMailbox,
		Mechanisms: []string{"XOAUTH2", "OAUTHBEARER"},
		CheckToken: func(ctx context.Context, user, token string) error {
			r.logins.Add(1)
			r.mu.Lock()
			r.tokens = append(r.tokens, token)
			r.mu.Unlock()
			return r.srv.CheckBearer(ctx, oauthMailbox, user, token)
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	r.sb = sb
	dir := t.TempDir()
	ca := filepath.Join(dir, "sandbox-ca.pem")
	if err := os.WriteFile(ca, sb.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	r.store, err = account.Open(filepath.Join(dir, "config"))
	if err != nil {
		t.Fatal(err)
	}
	r.acct = account.Account{ID: "work", Name: "Me", Address: oauthMailbox, Host: sb.Host(), Port: sb.Port(),
		Security: account.SecurityTLS, CAFile: ca, Auth: account.AuthAuto, SaveSent: false,
		OAuth: &account.OAuthSettings{Provider: account.OAuthCustom, Issuer: r.srv.Issuer,
			ClientID: oauthtest.ClientID, Scopes: oauthtest.Scopes}}
	if err := r.store.Add(r.acct); err != nil {
		t.Fatal(err)
	}
	r.secrets = account.NewSecretsWith(account.NewMemoryKeyring())
	r.manager = oauth.NewManager(r.secrets)
	return r
}

// signIn signs the account in as the Accounts window would: the browser
// part played with plain HTTP requests against the provider's login page.
func (r *oauthRig) signIn(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	p, err := oauth.ProviderFor(ctx, r.acct, r.secrets, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	type result struct {
		err error
		loc account.PasswordLocation
	}
	done := make(chan result, 1)
	go func() {
		tok, err := s.Wait(ctx)
		if err != nil {
			done <- result{err: err}
			return
		}
		loc, err := r.manager.Session(r.acct.ID, p).Complete(ctx, tok)
		done <- result{err, loc}
	}()
	if _, status, _, err := r.srv.Login(ctx, s.AuthURL(), r.srv.Username(), oauthtest.Password, true); err != nil || status != http.StatusOK {
		t.Fatalf("log in at the provider: HTTP %d, %v", status, err)
	}
	want := account.LocationKeyring
	if r.locked {
		want = account.LocationSession
	}
	if res := <-done; res.err != nil || res.loc != want {
		t.Fatalf("sign-in: %v (kept in %v)", res.err, res.loc)
	}
}

// refreshToken is the refresh token the keyring holds now.
func (r *oauthRig) refreshToken(t *testing.T) string {
	t.Helper()
	rt, _, _, err := r.secrets.RefreshToken(context.Background(), r.acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

// composer is the composer wired as the app wires it, From the account.
func (r *oauthRig) composer(t *testing.T, signIns *[]Sender) (*Composer, string) {
	t.Helper()
	data := t.TempDir()
	a := test.NewTempApp(t)
	c := NewComposer(a, Options{
		DataDir: data,
		Senders: func() []Sender { return []Sender{accountSender(r.acct)} },
		Send:    PanelSend(AccountConfig(r.store, r.secrets), filepath.Join(data, "Sent")),
		OAuth:   NewOAuthAccounts(r.store, r.secrets, r.manager),
		SignIn:  func(s Sender) { *signIns = append(*signIns, s) },
	})
	t.Cleanup(func() {
		if !c.Wait(10 * time.Second) {
			t.Error("a send was still under way 10 s after the test")
		}
		if c.timer != nil {
			c.timer.Stop()
		}
	})
	return c, data
}

// checked waits for the composer's check of the From account's sign-in.
func checked(t *testing.T, c *Composer) signInVerdict {
	t.Helper()
	var v signInVerdict
	waitFor(t, "the check of the sign-in", func() bool {
		var ok bool
		v, ok = c.signIn.verdicts["work"]
		return ok
	})
	return v
}

// noSecretIn fails when text holds one of the tokens.
func noSecretIn(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("%s holds a token", where)
		}
	}
}

func TestTheComposerSendsFromAnOAuthAccountWithARenewedTokenAndNoPassword(t *testing.T) {
	r := newOAuthRig(t)
	r.signIn(t)
	first := r.refreshToken(t)
	var signIns []Sender
	c, data := r.composer(t, &signIns)
	if v := checked(t, c); v.needed || c.signIn.bar.Visible() {
		t.Fatalf("a working sign-in shows %q", v.why)
	}
	done := sendsDone(c)
	test.Type(c.To, "Bob <bob@example.net>")
	test.Type(c.Subject, "Signed in")
	test.Type(c.Body, "Sent with a token, not a password.")
	if c.SendButton.Disabled() {
		t.Fatalf("Send is disabled: %s", c.Status.Text)
	}
	test.Tap(c.SendButton)
	waitDone(t, done)
	p := c.panel
	if !strings.HasPrefix(p.Outcome.Text, "Sent to 1 recipient") {
		t.Fatalf("the panel says %q", p.Outcome.Text)
	}
	// The test server's access tokens live 5 minutes, within
	// oauth.ExpiryMargin: the send renews the sign-in first, and the
	// panel shows that as its own step.
	row := p.byStep[oauth.StepRefresh]
	if p.StepState(oauth.StepRefresh) != "done" || !row.box.Visible() || p.StepState("auth") != "done" {
		t.Fatalf("steps: renew sign-in %s (shown %v), AUTH %s", p.StepState(oauth.StepRefresh), row.box.Visible(), p.StepState("auth"))
	}
	saveShot(t, p.Window, "oauth-send-panel")
	if !strings.Contains(windowText(p.Window), "Renew sign-in") {
		t.Fatal("the panel does not show the renewal step")
	}
	msgs := r.sb.Messages()
	if len(msgs) != 1 || msgs[0].User != oauthMailbox {
		t.Fatalf("the sandbox holds %d messages, want 1 from %s", len(msgs), oauthMailbox)
	}
	mr, err := gomail.CreateReader(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if subj, _ := mr.Header.Subject(); subj != "Signed in" {
		t.Fatalf("the message arrived with the subject %q", subj)
	}
	now := r.refreshToken(t)
	if now == first || !r.srv.RefreshTokenActive(context.Background(), now) || r.srv.RefreshTokenActive(context.Background(), first) {
		t.Fatal("the rotated refresh token was not kept")
	}

	// No token anywhere a person or a file sees: the panel (what Copy and
	// Save write), the composer, the draft and Sent folders.
	r.mu.Lock()
	secrets := append([]string{first, now}, r.tokens...)
	r.mu.Unlock()
	noSecretIn(t, "the transcript", p.TranscriptText(), secrets...)
	noSecretIn(t, "the panel", windowText(p.Window), secrets...)
	noSecretIn(t, "the composer", windowText(c.Window), secrets...)
	filepath.Walk(data, func(path string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			b, _ := os.ReadFile(path)
			noSecretIn(t, filepath.Base(path), string(b), secrets...)
		}
		return nil
	})
	if len(signIns) != 0 {
		t.Fatal("a working sign-in asked to sign in again")
	}
}

func TestARevokedSignInSaysSignInAgainBeforeSendAndSendsNothing(t *testing.T) {
	r := newOAuthRig(t)
	r.signIn(t)
	if err := r.srv.RevokeRefreshToken(context.Background(), r.refreshToken(t)); err != nil {
		t.Fatal(err)
	}
	var signIns []Sender
	c, _ := r.composer(t, &signIns)
	test.Type(c.To, "bob@example.net")
	test.Type(c.Subject, "Revoked")
	v := checked(t, c)
	saveShot(t, c.Window, "oauth-sign-in-again")
	if !v.needed || !c.signIn.bar.Visible() || !strings.Contains(c.signIn.text.Text, "Sign in again") {
		t.Fatalf("after revocation the composer shows %q (bar shown %v)", c.signIn.text.Text, c.signIn.bar.Visible())
	}
	if !c.SendButton.Disabled() || !strings.Contains(c.Status.Text, "Sign in again") {
		t.Fatalf("Send is enabled (%v) and the status says %q", !c.SendButton.Disabled(), c.Status.Text)
	}
	c.TrySend() // Ctrl+Enter: not ready, says why
	if c.panel != nil || c.sending {
		t.Fatal("a send started with a revoked sign-in")
	}
	test.Tap(c.signIn.button)
	if len(signIns) != 1 || signIns[0].ID != "work" {
		t.Fatalf("Sign in again opened %v, want the account work", signIns)
	}
	if n := r.logins.Load(); n != 0 || len(r.sb.Messages()) != 0 {
		t.Fatalf("the sandbox saw %d logins and %d messages, want none", n, len(r.sb.Messages()))
	}

	// Signed in again in the Accounts window (same Manager), which then
	// reloads the senders: the bar goes, and the message goes out.
	r.signIn(t)
	c.ReloadSenders()
	waitFor(t, "the bar to go", func() bool { return !c.signIn.bar.Visible() })
	if c.SendButton.Disabled() {
		t.Fatalf("Send stays disabled after signing in again: %s", c.Status.Text)
	}
	done := sendsDone(c)
	test.Tap(c.SendButton)
	waitDone(t, done)
	if len(r.sb.Messages()) != 1 {
		t.Fatalf("after signing in again the sandbox holds %d messages, want 1", len(r.sb.Messages()))
	}
}

func TestASignInRevokedAfterTheCheckFailsAtTheRenewalInWords(t *testing.T) {
	r := newOAuthRig(t)
	r.signIn(t)
	var signIns []Sender
	c, _ := r.composer(t, &signIns)
	if v := checked(t, c); v.needed {
		t.Fatalf("a working sign-in: %s", v.why)
	}
	// Revoked between the check and Send (the token the check left in
	// memory is within the renewal margin, so Send renews it first).
	if err := r.srv.RevokeRefreshToken(context.Background(), r.refreshToken(t)); err != nil {
		t.Fatal(err)
	}
	done := sendsDone(c)
	test.Type(c.To, "bob@example.net")
	test.Type(c.Subject, "Too late")
	test.Tap(c.SendButton)
	waitDone(t, done)
	p := c.panel
	if p.StepState(oauth.StepRefresh) != "failed" || p.StepState("connect") != "waiting" {
		t.Fatalf("steps: renew sign-in %s, connect %s", p.StepState(oauth.StepRefresh), p.StepState("connect"))
	}
	if !strings.Contains(p.Outcome.Text, "no longer accepts the saved sign-in") || !p.SignInAgain.Visible() || p.NewPassword.Visible() {
		t.Fatalf("the panel says %q (Sign in again shown %v, new password %v)", p.Outcome.Text, p.SignInAgain.Visible(), p.NewPassword.Visible())
	}
	saveShot(t, p.Window, "oauth-send-panel-revoked")
	test.Tap(p.SignInAgain)
	if len(signIns) != 1 {
		t.Fatal("the panel's Sign in again did not open the account")
	}
	if !c.signIn.bar.Visible() || !c.SendButton.Disabled() {
		t.Fatal("the composer does not say sign in again before the next Send")
	}
	if n := r.logins.Load(); n != 0 || len(r.sb.Messages()) != 0 {
		t.Fatalf("the sandbox saw %d logins and %d messages, want none", n, len(r.sb.Messages()))
	}
}

func TestAnOAuthAccountsKeyringEntryIsNeverTakenForAPassword(t *testing.T) {
	r := newOAuthRig(t)
	r.signIn(t)
	w := test.NewTempApp(t).NewWindow("Send")
	_, _, err := AccountConfig(r.store, r.secrets)(context.Background(), accountSender(r.acct), w)
	if err == nil || !strings.Contains(err.Error(), "signs in with its provider") {
		t.Fatalf("AccountConfig for an OAuth account = %v, want a refusal", err)
	}
	noSecretIn(t, "the error", err.Error(), r.refreshToken(t))
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatal("a password was asked for an account that signs in")
	}
}

func TestAnAccountNeverSignedInSaysSignInBeforeSend(t *testing.T) {
	r := newOAuthRig(t) // no sign-in saved
	var signIns []Sender
	c, _ := r.composer(t, &signIns)
	test.Type(c.To, "bob@example.net")
	v := checked(t, c)
	if !v.needed || !c.signIn.bar.Visible() || !strings.Contains(c.signIn.text.Text, "is not signed in") ||
		c.signIn.button.Text != "Sign in…" {
		t.Fatalf("the composer shows %q with the button %q", c.signIn.text.Text, c.signIn.button.Text)
	}
	if !c.SendButton.Disabled() || !strings.HasPrefix(c.Status.Text, "Sign in to send from") {
		t.Fatalf("Send enabled %v, status %q", !c.SendButton.Disabled(), c.Status.Text)
	}
	test.Tap(c.signIn.button)
	if len(signIns) != 1 || r.logins.Load() != 0 {
		t.Fatalf("%d sign-ins opened, %d logins at the sandbox; want 1 and none", len(signIns), r.logins.Load())
	}
}
