package oauth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// events records a send's events.
type events struct {
	mu   sync.Mutex
	list []smtpclient.Event
}

func (e *events) on(ev smtpclient.Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, ev)
}

// count is how many events of kind at step were seen.
func (e *events) count(kind smtpclient.EventKind, step smtpclient.Step) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, ev := range e.list {
		if ev.Kind == kind && ev.Step == step {
			n++
		}
	}
	return n
}

// leaks fails the test when an event holds one of the secrets.
func (e *events) leaks(t *testing.T, secrets ...string) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.list {
		text := ev.Text
		if ev.Err != nil {
			text += " " + ev.Err.Message
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Fatalf("an event of step %s holds a token", ev.Step)
			}
		}
	}
}

func TestSendSignedInRefreshesRetriesAndSaysSignInAgain(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)
	kr := account.NewLimitedKeyring()
	secrets := account.NewSecretsWith(kr)
	sess := oauth.NewManager(secrets).Session("me", p)
	sb := startIntrospectingSandbox(t, srv, sandbox.Options{})
	cfg := smtpConfig(sb, mailbox, "")
	env := smtpclient.Envelope{From: mailbox, To: []string{"bob@example.test"}}

	first := signIn(t, srv, p)
	if _, err := sess.Complete(ctx, first); err != nil {
		t.Fatal(err)
	}

	// The test server's access tokens live 5 minutes, within
	// oauth.ExpiryMargin: the token from the sign-in counts as about to
	// expire, so Send renews the sign-in before connecting.
	var ev events
	res, err := oauth.Send(ctx, sess, cfg, env, testMail("first"), ev.on)
	if err != nil {
		t.Fatalf("send after signing in: %v", err)
	}
	if n := len(sb.Messages()); n != 1 || sb.Messages()[0].User != mailbox {
		t.Fatalf("the sandbox holds %d messages, want 1 from %s", n, mailbox)
	}
	if ev.count(smtpclient.EventStepFinished, oauth.StepRefresh) != 1 || ev.count(smtpclient.EventStepStarted, smtpclient.StepAuth) != 1 {
		t.Fatalf("want one refresh step and one login, got %d refreshes, %d logins",
			ev.count(smtpclient.EventStepFinished, oauth.StepRefresh), ev.count(smtpclient.EventStepStarted, smtpclient.StepAuth))
	}
	if res.Capabilities == nil || res.Capabilities.AuthUsed != smtpclient.AuthXOAUTH2 {
		t.Fatalf("logged in with %v, want XOAUTH2 (offered first)", res.Capabilities)
	}
	rt1, _, _, err := secrets.RefreshToken(ctx, "me")
	if err != nil || rt1 == first.RefreshToken || !srv.RefreshTokenActive(ctx, rt1) {
		t.Fatalf("the rotated refresh token was not stored (same as the sign-in's %v, %v)", rt1 == first.RefreshToken, err)
	}
	ev.leaks(t, first.AccessToken, first.RefreshToken, rt1)

	// The sign-in's access token was rotated out: the sandbox refuses it.
	_, err = smtpclient.Send(ctx, smtpConfig(sb, mailbox, first.AccessToken), env, testMail("stale"), nil)
	var se *smtpclient.Error
	if !errors.As(err, &se) || se.Code != 535 {
		t.Fatalf("the rotated-out access token: %v, want 535", err)
	}

	t.Run("a token the server refuses is renewed once and the send retried", func(t *testing.T) {
		// A token in memory that looks valid (no expiry said) but that the
		// provider no longer calls active.
		if _, err := sess.Complete(ctx, &oauth2.Token{AccessToken: first.AccessToken, RefreshToken: rt1}); err != nil {
			t.Fatal(err)
		}
		var ev events
		if _, err := oauth.Send(ctx, sess, cfg, env, testMail("retried"), ev.on); err != nil {
			t.Fatalf("send with a refused token in memory: %v", err)
		}
		if n := len(sb.Messages()); n != 2 {
			t.Fatalf("the sandbox holds %d messages, want 2", n)
		}
		if f, r := ev.count(smtpclient.EventStepFailed, smtpclient.StepAuth), ev.count(smtpclient.EventStepFinished, oauth.StepRefresh); f != 1 || r != 1 {
			t.Fatalf("want one refused login then one refresh, got %d refused logins and %d refreshes", f, r)
		}
		rt2, _, _, _ := secrets.RefreshToken(ctx, "me")
		if rt2 == rt1 || !srv.RefreshTokenActive(ctx, rt2) || srv.RefreshTokenActive(ctx, rt1) {
			t.Fatal("the refresh during the retry did not store the rotated refresh token")
		}
	})

	t.Run("OAUTHBEARER when the server offers only it", func(t *testing.T) {
		sb := startIntrospectingSandbox(t, srv, sandbox.Options{Mechanisms: []string{"PLAIN", "OAUTHBEARER"}})
		res, err := oauth.Send(ctx, sess, smtpConfig(sb, mailbox, ""), env, testMail("bearer"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Capabilities.AuthUsed != smtpclient.AuthOAuthBearer || len(sb.Messages()) != 1 {
			t.Fatalf("logged in with %s, %d messages; want OAUTHBEARER, 1", res.Capabilities.AuthUsed, len(sb.Messages()))
		}
		caps, err := oauth.Probe(ctx, sess, smtpConfig(sb, mailbox, ""), nil)
		if err != nil || caps.AuthUsed != smtpclient.AuthOAuthBearer || len(sb.Messages()) != 1 {
			t.Fatalf("Probe: %v (logged in with %v); want an OAUTHBEARER login and nothing sent", err, caps)
		}
	})

	t.Run("5.7.139 is explained and not retried", func(t *testing.T) {
		sb := startIntrospectingSandbox(t, srv, sandbox.Options{RejectAuth: &sandbox.Reply{Code: 535, Enhanced: "5.7.139",
			Text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."}})
		var ev events
		_, err := oauth.Send(ctx, sess, smtpConfig(sb, mailbox, ""), env, testMail("disabled"), ev.on)
		var ae *oauth.AuthError
		if !errors.As(err, &ae) || !ae.Explained || !strings.Contains(err.Error(), "administrator") {
			t.Fatalf("send to a tenant without SMTP AUTH: %v, want an explained *AuthError", err)
		}
		if n := ev.count(smtpclient.EventStepStarted, smtpclient.StepAuth); n != 1 || len(sb.Messages()) != 0 {
			t.Fatalf("%d logins, %d messages; want one login (no retry) and nothing sent", n, len(sb.Messages()))
		}
	})

	t.Run("revoked on the provider: sign in again, nothing sent", func(t *testing.T) {
		rt, _, _, _ := secrets.RefreshToken(ctx, "me")
		if err := srv.RevokeRefreshToken(ctx, rt); err != nil {
			t.Fatal(err)
		}
		before := len(sb.Messages())
		var ev events
		_, err := oauth.Send(ctx, sess, cfg, env, testMail("revoked"), ev.on)
		var sa *oauth.SignInAgainError
		if !errors.As(err, &sa) || !errors.Is(err, oauth.ErrSignInAgain) || !strings.HasPrefix(err.Error(), "sign in again") {
			t.Fatalf("send after revocation: %v, want a *SignInAgainError", err)
		}
		if !sess.NeedsSignIn() {
			t.Fatal("the session does not say it needs a new sign-in")
		}
		if len(sb.Messages()) != before || ev.count(smtpclient.EventStepStarted, smtpclient.StepConnect) != 0 {
			t.Fatal("something was sent, or a connection opened, after the sign-in was revoked")
		}
		if ev.count(smtpclient.EventStepFailed, oauth.StepRefresh) != 1 {
			t.Fatal("the failed refresh is not reported as a step")
		}
		if strings.Contains(err.Error(), rt) {
			t.Fatal("the error holds the refresh token")
		}

		// Signing in again makes sending work again.
		again := signIn(t, srv, p)
		if _, err := sess.Complete(ctx, again); err != nil {
			t.Fatal(err)
		}
		if _, err := oauth.Send(ctx, sess, cfg, env, testMail("again"), nil); err != nil {
			t.Fatalf("send after signing in again: %v", err)
		}
		if len(sb.Messages()) != before+1 {
			t.Fatal("nothing arrived after signing in again")
		}
	})
}

func TestProviderForAnAccount(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	secrets := account.NewSecretsWith(account.NewMemoryKeyring())
	a := account.Account{ID: "custom", Address: mailbox, Host: "127.0.0.1", Security: account.SecurityTLS,
		OAuth: &account.OAuthSettings{Provider: account.OAuthCustom, ClientID: oauthtest.DeviceClientID, Issuer: srv.Issuer,
			Scopes: oauthtest.Scopes}}
	if err := secrets.SaveClientSecret(ctx, a.ID, oauthtest.DeviceClientSecret); err != nil {
		t.Fatal(err)
	}
	p, err := oauth.ProviderFor(ctx, a, secrets, nil)
	if err != nil {
		t.Fatalf("ProviderFor: %v", err)
	}
	if p.Kind != oauth.Custom || p.ClientID != oauthtest.DeviceClientID || p.ClientSecret != oauthtest.DeviceClientSecret ||
		!strings.HasPrefix(p.Endpoint.TokenURL, srv.Issuer) || !p.Device() {
		t.Fatalf("ProviderFor = %v (device %v): want the discovered endpoints, the account's client and its secret from the keyring", p, p.Device())
	}
	if _, err := oauth.ProviderFor(ctx, account.Account{ID: "pw"}, secrets, nil); err == nil {
		t.Fatal("ProviderFor took an account without OAuth settings")
	}
	g := a
	g.OAuth = &account.OAuthSettings{Provider: account.OAuthGoogle}
	var nc *oauth.NoClientIDError
	if _, err := oauth.ProviderFor(ctx, g, secrets, nil); oauth.GoogleClientID == "" && !errors.As(err, &nc) {
		t.Fatalf("Google without a client ID in a development build: %v, want *NoClientIDError", err)
	}
}
