package smtpclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// Issue 9, the AUTH family: a server that offers nothing usable, sends
// nonsense challenges or asks twice gets a clear error, and the password
// never shows in clear — not on the wire, not in an event, not in an error.

func TestHostileAUTH(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, tc := range []struct {
		name   string
		mech   AuthMechanism
		token  bool
		script func(c *scripted, got *[]string)
		kind   ErrorKind
		want   string
	}{
		{"no AUTH offered", AuthAuto, false, func(c *scripted, _ *[]string) {
			c.ehloOK("PIPELINING")
			c.waitClose()
		}, ErrorPolicy, "offers no AUTH mechanism"},
		{"only mechanisms Stamp does not speak", AuthAuto, false, func(c *scripted, _ *[]string) {
			c.ehloOK("AUTH GSSAPI NTLM")
			c.waitClose()
		}, ErrorPolicy, "no AUTH mechanism in common"},
		{"a CRAM-MD5 challenge that is not base64", AuthCRAMMD5, false, func(c *scripted, got *[]string) {
			c.ehloOK("AUTH CRAM-MD5")
			*got = append(*got, c.expect("AUTH CRAM-MD5"))
			c.send("334 <1896.697170952@hostile.test> not base64!")
			c.waitClose()
		}, ErrorProtocol, "not valid base64"},
		{"an XOAUTH2 error challenge that is not base64", AuthXOAUTH2, true, func(c *scripted, got *[]string) {
			c.ehloOK("AUTH XOAUTH2")
			*got = append(*got, c.expect("AUTH XOAUTH2"))
			c.send("334 {\"status\":\"401\"}")
			c.waitClose()
		}, ErrorProtocol, "not valid base64"},
		{"a server asking for the password twice", AuthLogin, false, func(c *scripted, got *[]string) {
			c.ehloOK("AUTH LOGIN")
			c.expect("AUTH LOGIN")
			c.send("334 " + b64("Username:"))
			*got = append(*got, c.expect(""))
			c.send("334 " + b64("Password:"))
			*got = append(*got, c.expect(""))
			c.send("334 " + b64("Password:"))
			c.SetReadDeadline(time.Now().Add(2 * time.Second))
			if l, err := c.r.ReadString('\n'); err == nil {
				*got = append(*got, l)
			}
		}, ErrorProtocol, "asked for the password twice"},
		{"CRAM-MD5 with a second challenge", AuthCRAMMD5, false, func(c *scripted, got *[]string) {
			c.ehloOK("AUTH CRAM-MD5")
			c.expect("AUTH CRAM-MD5")
			c.send("334 " + b64("<1.2@hostile.test>"))
			*got = append(*got, c.expect(""))
			c.send("334 " + b64("<3.4@hostile.test>"))
			c.waitClose()
		}, ErrorProtocol, "second challenge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var got []string
			cfg := scriptServer(t, func(c *scripted) {
				var g []string
				tc.script(c, &g)
				mu.Lock()
				got = g
				mu.Unlock()
			})
			cfg.Timeout = time.Second
			cfg.Username, cfg.Password, cfg.Auth = testUser, testPassword, tc.mech
			if tc.token {
				cfg.Password, cfg.OAuth2Token = "", testToken
			}
			var rec recorder
			start := time.Now()
			_, err := Probe(context.Background(), cfg, rec.on)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Step != StepAuth || !strings.Contains(e.Message, tc.want) {
				t.Fatalf("err = %v (kind %v), want %v at auth about %q\n%s", err, kindOf(e), tc.kind, tc.want, rec.transcript())
			}
			if took := time.Since(start); took > 2*cfg.Timeout {
				t.Errorf("took %v", took)
			}
			assertNoSecrets(t, rec.all())
			assertNoSecretInError(t, e)
			// The password went at most once, and only where asked for.
			mu.Lock()
			defer mu.Unlock()
			if n := strings.Count(strings.Join(got, "\n"), b64(testPassword)); n > 1 {
				t.Errorf("the password was sent %d times: %q", n, got)
			}
		})
	}
}

// assertNoSecretInError checks every text of an error a person or a log
// could see.
func assertNoSecretInError(t *testing.T, e *Error) {
	t.Helper()
	j, _ := e.MarshalJSON()
	forms := secretForms(testPassword, testToken, testHostileSecret)
	for _, text := range []string{e.Error(), e.Explain(), e.Message, string(j)} {
		if f := leaksIn(text, forms); f != "" {
			t.Errorf("a secret (as %q) is in the error: %s", f, text)
		}
	}
}

// wireRecorder is a TCP relay in front of a server that keeps every byte
// the client sent, to check what crossed the network.
type wireRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *wireRecorder) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *wireRecorder) bytes() []byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]byte(nil), w.buf.Bytes()...)
}

// relay listens on loopback and forwards each connection to target,
// recording what the client sends.
func relay(t *testing.T, target string) (string, *wireRecorder) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rec := &wireRecorder{}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(io.MultiWriter(s, rec), c); s.Close() }()
			go func() { defer wg.Done(); io.Copy(c, s); c.Close() }()
		}
	}()
	return ln.Addr().String(), rec
}

func TestThePasswordNeverCrossesTheWireInClear(t *testing.T) {
	user, pass := testUser, testPassword
	forms := []string{pass, base64.StdEncoding.EncodeToString([]byte(pass)),
		base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + pass)), user}
	for _, sec := range []sandbox.Security{sandbox.STARTTLS, sandbox.TLS} {
		for _, mech := range []string{"PLAIN", "LOGIN", "CRAM-MD5"} {
			t.Run(map[sandbox.Security]string{sandbox.STARTTLS: "STARTTLS ", sandbox.TLS: "TLS "}[sec]+mech, func(t *testing.T) {
				srv := startSandbox(t, sandbox.Options{Security: sec, Username: user, Password: pass, Mechanisms: []string{mech}})
				addr, wire := relay(t, srv.Addr())
				cfg := configFor(srv)
				cfg.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
					return (&net.Dialer{}).DialContext(ctx, network, addr)
				}
				var rec recorder
				res, err := Send(context.Background(), cfg, Envelope{From: user, To: []string{"bob@example.test"}}, testMessage("wire", "x"), rec.on)
				if err != nil || !res.Sent || res.Capabilities.AuthUsed != AuthMechanism(mech) {
					t.Fatalf("res %+v, err %v\n%s", res, err, rec.transcript())
				}
				raw := wire.bytes()
				if len(raw) == 0 {
					t.Fatal("nothing recorded")
				}
				for _, f := range forms {
					// The user name is not secret, but seeing it would mean
					// AUTH went in clear: it must not be readable either.
					if bytes.Contains(raw, []byte(f)) {
						t.Errorf("%q crossed the wire in clear", f)
					}
				}
				if sec == sandbox.STARTTLS && !bytes.Contains(raw, []byte("STARTTLS\r\n")) {
					t.Error("the recording does not show the plain-text start of the session")
				}
				assertNoSecrets(t, rec.all())
			})
		}
	}
}

func TestCredentialsEchoedByTheServerAreMasked(t *testing.T) {
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("AUTH PLAIN")
		l := c.expect("AUTH PLAIN ")
		blob := strings.TrimPrefix(l, "AUTH PLAIN ")
		c.send("535-5.7.8 Bad credentials: " + blob)
		c.send("535 5.7.8 password " + base64.StdEncoding.EncodeToString([]byte(testPassword)) + " is not " + testPassword)
		c.waitClose()
	})
	cfg.Username, cfg.Password, cfg.Auth = testUser, testPassword, AuthPlain
	cfg.Timeout = 500 * time.Millisecond
	var rec recorder
	_, err := Probe(context.Background(), cfg, rec.on)
	var e *Error
	if !errors.As(err, &e) || e.Code != 535 || !strings.Contains(e.Message, Mask) {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, rec.all())
	assertNoSecretInError(t, e)
}
