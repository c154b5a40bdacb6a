package oauth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"stamp/oauth/oauthtest"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// mailbox is the address the test user's mailbox has on the sandbox.
const mailbox = "test-user@127.0.0.1"

// startIntrospectingSandbox runs a sandbox SMTP server that accepts an
// XOAUTH2 or OAUTHBEARER login only for a token srv's introspection calls
// active and issued to the test user, for mailbox; ErrWrongAccount becomes
// Microsoft's 535 5.7.3.
func startIntrospectingSandbox(t *testing.T, srv *oauthtest.Server, o sandbox.Options) *sandbox.Server {
	t.Helper()
	o.Security = sandbox.TLS
	o.Username = mailbox
	if o.Mechanisms == nil {
		o.Mechanisms = []string{"XOAUTH2", "OAUTHBEARER"}
	}
	o.CheckToken = func(ctx context.Context, user, token string) error {
		err := srv.CheckBearer(ctx, mailbox, user, token)
		if errors.Is(err, oauthtest.ErrWrongAccount) {
			return &sandbox.Reply{Code: 535, Enhanced: "5.7.3", Text: "Authentication unsuccessful"}
		}
		return err
	}
	sb, err := sandbox.Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

// smtpConfig logs in to sb as user with token.
func smtpConfig(sb *sandbox.Server, user, token string) smtpclient.Config {
	return smtpclient.Config{Host: sb.Host(), Port: sb.Port(), Security: smtpclient.SecurityTLS, CAPEM: sb.CAPEM(),
		Username: user, OAuth2Token: token, Timeout: 10 * time.Second}
}

func testMail(subject string) smtpclient.Bytes {
	return smtpclient.Bytes("From: " + mailbox + "\r\nTo: bob@example.test\r\nSubject: " + subject + "\r\n\r\nHello.\r\n")
}

func TestSandboxAcceptsOnlyTokensTheProviderCallsActive(t *testing.T) {
	srv := oauthtest.Start(t)
	tok := signIn(t, srv, provider(t, srv))
	ctx := context.Background()
	env := smtpclient.Envelope{From: mailbox, To: []string{"bob@example.test"}}

	for _, mech := range []smtpclient.AuthMechanism{smtpclient.AuthXOAUTH2, smtpclient.AuthOAuthBearer} {
		t.Run(string(mech), func(t *testing.T) {
			sb := startIntrospectingSandbox(t, srv, sandbox.Options{})
			cfg := smtpConfig(sb, mailbox, tok.AccessToken)
			cfg.Auth = mech
			if _, err := smtpclient.Send(ctx, cfg, env, testMail("active"), nil); err != nil {
				t.Fatalf("a token the provider just issued was refused: %v", err)
			}
			if m := sb.Messages(); len(m) != 1 || m[0].User != mailbox {
				t.Fatalf("the sandbox kept %d messages, want 1 from %s", len(m), mailbox)
			}

			cfg.OAuth2Token = "made-up-token-the-provider-never-issued"
			_, err := smtpclient.Send(ctx, cfg, env, testMail("made up"), nil)
			var e *smtpclient.Error
			if !errors.As(err, &e) || e.Code != 535 || e.EnhancedCode != "5.7.8" {
				t.Fatalf("a made-up token: %v, want 535 5.7.8", err)
			}

			cfg.OAuth2Token, cfg.Username = tok.AccessToken, "someone-else@127.0.0.1"
			_, err = smtpclient.Send(ctx, cfg, env, testMail("other mailbox"), nil)
			if !errors.As(err, &e) || e.Code != 535 || e.EnhancedCode != "5.7.3" {
				t.Fatalf("another mailbox's login: %v, want 535 5.7.3", err)
			}
			if n := len(sb.Messages()); n != 1 {
				t.Fatalf("the sandbox kept %d messages after two refused logins, want 1", n)
			}
		})
	}

	t.Run("5.7.139", func(t *testing.T) {
		sb := startIntrospectingSandbox(t, srv, sandbox.Options{RejectAuth: &sandbox.Reply{Code: 535, Enhanced: "5.7.139",
			Text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."}})
		_, err := smtpclient.Send(ctx, smtpConfig(sb, mailbox, tok.AccessToken), env, testMail("disabled"), nil)
		var e *smtpclient.Error
		if !errors.As(err, &e) || e.Code != 535 || e.EnhancedCode != "5.7.139" {
			t.Fatalf("send to a tenant without SMTP AUTH: %v, want 535 5.7.139", err)
		}
		if n := len(sb.Messages()); n != 0 {
			t.Fatalf("the sandbox kept %d messages, want none", n)
		}
	})
}
