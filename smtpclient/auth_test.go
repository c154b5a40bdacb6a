package smtpclient

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"stamp/smtpclient/sandbox"
)

func TestEveryAuthMechanism(t *testing.T) {
	for _, tc := range []struct {
		name    string
		offered []string
		use     AuthMechanism
		token   bool
		prompts [2]string
	}{
		{"PLAIN with the initial response", []string{"PLAIN"}, AuthPlain, false, [2]string{}},
		{"LOGIN with the usual prompts", []string{"LOGIN"}, AuthLogin, false, [2]string{}},
		{"LOGIN whatever the prompts say", []string{"LOGIN"}, AuthLogin, false, [2]string{"User Name", "Secret please"}},
		{"CRAM-MD5 answers the challenge", []string{"CRAM-MD5"}, AuthCRAMMD5, false, [2]string{}},
		{"XOAUTH2 with a bearer token", []string{"XOAUTH2"}, AuthXOAUTH2, true, [2]string{}},
		{"OAUTHBEARER with a bearer token", []string{"OAUTHBEARER"}, AuthOAuthBearer, true, [2]string{}},
		{"auto picks PLAIN over TLS", []string{"CRAM-MD5", "LOGIN", "PLAIN"}, AuthAuto, false, [2]string{}},
		{"auto with a token takes OAUTHBEARER when XOAUTH2 is missing", []string{"PLAIN", "OAUTHBEARER"}, AuthAuto, true, [2]string{}},
	} {
		for _, secret := range []string{testPassword, testHostileSecret} {
			t.Run(tc.name+map[string]string{testPassword: "", testHostileSecret: ", a secret with quote, backslash and BEL"}[secret], func(t *testing.T) {
				password, token := testPassword, testToken
				if secret == testHostileSecret {
					password, token = testHostileSecret, testHostileSecret
				}
				srv := startSandbox(t, sandbox.Options{Security: sandbox.TLS, Username: testUser, Password: password,
					Token: token, Mechanisms: tc.offered, LoginPrompts: tc.prompts})
				cfg := configFor(srv)
				cfg.Auth = tc.use
				if tc.token {
					cfg.Password, cfg.OAuth2Token = "", token
				}
				var rec recorder
				caps, err := Probe(context.Background(), cfg, rec.on)
				if err != nil {
					t.Fatalf("Probe: %v\n%s", err, rec.transcript())
				}
				want := tc.use
				if want == AuthAuto {
					want = AuthPlain
					if tc.token {
						want = AuthOAuthBearer
					}
				}
				if caps.AuthUsed != want {
					t.Errorf("logged in with %q, want %q", caps.AuthUsed, want)
				}
				assertNoSecrets(t, rec.all())
			})
		}
	}
}

func TestWrongPasswordIsAnAuthenticationError(t *testing.T) {
	for _, mech := range []AuthMechanism{AuthPlain, AuthLogin, AuthCRAMMD5, AuthXOAUTH2, AuthOAuthBearer} {
		t.Run(string(mech), func(t *testing.T) {
			srv := startSandbox(t, sandbox.Options{Security: sandbox.STARTTLS, Username: testUser, Password: testPassword,
				Token: testToken, Mechanisms: []string{string(mech)}})
			cfg := configFor(srv)
			cfg.Password = testHostileSecret
			if mech == AuthXOAUTH2 || mech == AuthOAuthBearer {
				cfg.Password, cfg.OAuth2Token = "", testHostileSecret
			}
			var rec recorder
			res, err := Send(context.Background(), cfg, Envelope{From: testUser, To: []string{"bob@example.test"}}, testMessage("pw", "x"), rec.on)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v", err)
			}
			if e.Step != StepAuth || e.Code != 535 || e.EnhancedCode != "5.7.8" || e.Temporary {
				t.Errorf("error = %+v", e)
			}
			if !strings.Contains(e.Explain(), "app password") {
				t.Errorf("explanation does not mention app passwords: %s", e.Explain())
			}
			if res.Sent || len(srv.Messages()) != 0 {
				t.Error("a message was sent after failed AUTH")
			}
			assertNoSecrets(t, rec.all(), cfg.Password, cfg.OAuth2Token)
		})
	}
}

func TestNoPasswordInClearText(t *testing.T) {
	t.Run("a non-loopback server without TLS never sees AUTH", func(t *testing.T) {
		var sawAuth atomic.Bool
		cfg := scriptServer(t, func(c *scripted) {
			c.ehloOK("AUTH PLAIN LOGIN")
			l, _ := c.r.ReadString('\n') // the client hangs up instead
			sawAuth.Store(strings.HasPrefix(l, "AUTH"))
		})
		addr := cfg.Address()
		cfg.Host, cfg.Username, cfg.Password = "mail.example.test", testUser, testPassword
		cfg.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return fakeRemote{c}, nil
		}
		_, err := Probe(context.Background(), cfg, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorPolicy || e.Step != StepAuth {
			t.Fatalf("err = %v", err)
		}
		if sawAuth.Load() {
			t.Error("the client sent AUTH in clear text")
		}
	})
	t.Run("STARTTLS required but not offered stops before AUTH", func(t *testing.T) {
		srv := startSandbox(t, sandbox.Options{Security: sandbox.None, Username: testUser, Password: testPassword})
		cfg := configFor(srv)
		cfg.Security = SecuritySTARTTLS
		var rec recorder
		_, err := Send(context.Background(), cfg, Envelope{From: testUser, To: []string{"b@example.test"}}, testMessage("s", "x"), rec.on)
		var e *Error
		if !errors.As(err, &e) || e.Step != StepSTARTTLS || e.Kind != ErrorPolicy {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(rec.transcript(), "-> AUTH") {
			t.Errorf("AUTH was attempted:\n%s", rec.transcript())
		}
	})
}

// fakeRemote pretends the server is not on this machine.
type fakeRemote struct{ net.Conn }

func (fakeRemote) RemoteAddr() net.Addr { return &net.TCPAddr{IP: net.IPv4(192, 0, 2, 25), Port: 25} }

// assertNoSecrets checks that no event — its text, its reply, its error,
// its JSON — contains a test secret, raw, escaped (strconv.Quote, JSON,
// Printable) or in any base64 form the wire used.
func assertNoSecrets(t *testing.T, events []Event, extra ...string) {
	t.Helper()
	forms := secretForms(append([]string{testPassword, testToken, testHostileSecret}, extra...)...)
	if len(events) == 0 {
		t.Fatal("no events recorded")
	}
	for _, ev := range events {
		j, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		texts := []string{string(j), ev.Text}
		if ev.Reply != nil {
			texts = append(texts, ev.Reply.String())
		}
		if ev.Err != nil {
			texts = append(texts, ev.Err.Explain(), ev.Err.Error())
		}
		for _, text := range texts {
			if f := leaksIn(text, forms); f != "" {
				t.Errorf("secret (as %q) leaked in event %s", f, j)
			}
		}
	}
}

func TestAPasswordThroughACustomDialerNeedsTLSEvenOnLoopback(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Security: sandbox.None, Username: testUser, Password: testPassword})
	cfg := configFor(srv)
	cfg.Security = SecurityNone
	// Without a Dialer, the sandbox on 127.0.0.1 may take the password in
	// clear: the connection cannot leave this machine.
	if _, err := Probe(context.Background(), cfg, nil); err != nil {
		t.Fatalf("plain AUTH to the loopback sandbox: %v", err)
	}
	// Through a Dialer (a proxy, say) it may, so the password stays home.
	addr := cfg.Address()
	cfg.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	_, err := Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorPolicy || e.Step != StepAuth {
		t.Fatalf("err = %v, want the no-clear-text policy at AUTH", err)
	}
}
