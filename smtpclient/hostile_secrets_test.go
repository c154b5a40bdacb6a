package smtpclient

// Regression tests from the adversarial review (ATTACK1 S-A, S-B, S-C,
// S-D, D-E): secrets and server text that got past the engine's clean
// (mask, then Printable).

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"testing"

	"stamp/smtpclient/sandbox"
)

// sendThroughScript logs in with password (AUTH PLAIN), sends one message
// and answers the end of the data with final.
func sendThroughScript(t *testing.T, password, final string) (*Result, error, []Event) {
	t.Helper()
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("AUTH PLAIN")
		c.expect("AUTH PLAIN ")
		c.send("235 2.7.0 ok")
		c.expect("MAIL")
		c.send("250 ok")
		c.expect("RCPT")
		c.send("250 ok")
		c.expect("DATA")
		c.send("354 go ahead")
		c.readData()
		c.send(final)
		c.expect("QUIT")
		c.send("221 bye")
	})
	cfg.Username, cfg.Password, cfg.Auth = testUser, password, AuthPlain
	var rec recorder
	res, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}},
		testMessage("queue", "hi"), rec.on)
	return res, err, rec.all()
}

// Result.QueueID is taken from the clean final reply, not the raw one: a
// server that names the message after the password (or a run of it: the
// pattern stops at the first character outside [A-Za-z0-9._-], leaving a
// prefix the mask could not recognise) must not put the password in
// Result.QueueID, its JSON (`stamp-send --json`), stamp-send's "sent to 1
// recipient, queue id …" line or the GUI's "The server queued it as …".
func TestTheQueueIDNeverCarriesAnEchoedPassword(t *testing.T) {
	for _, tc := range []struct{ name, password, leak string }{
		{"the whole password", "Attack1QueuePw9", "Attack1QueuePw9"},
		{"a prefix up to a character outside the pattern", "Attack1-Queue_pw!x", "Attack1-Queue_pw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err, events := sendThroughScript(t, tc.password, "250 2.0.0 Ok: queued as "+tc.password)
			if err != nil {
				t.Fatal(err)
			}
			j, _ := json.Marshal(res)
			if strings.Contains(res.QueueID, tc.leak) || strings.Contains(string(j), tc.leak) {
				t.Errorf("Result.QueueID = %q; the Result JSON holds the password (or its prefix %q)", res.QueueID, tc.leak)
			}
			for _, ev := range events {
				if strings.Contains(ev.Text, tc.leak) {
					t.Errorf("event %q holds it", ev.Text)
				}
			}
		})
	}
}

// A server that wraps a long line (or echoes a password over a multi-line
// reply) splits the password; masking each line alone would let both halves
// reach Error.Message, the events and the transcript.
func TestAPasswordSplitOverReplyLinesIsMasked(t *testing.T) {
	const pw = "Attack1SplitPasswordLong42"
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("AUTH PLAIN")
		c.expect("AUTH PLAIN ")
		c.send("535-5.7.8 Authentication failed for password "+pw[:13], "535 5.7.8 "+pw[13:]+" (see the log)")
		c.waitClose()
	})
	cfg.Username, cfg.Password, cfg.Auth = testUser, pw, AuthPlain
	var rec recorder
	_, err := Probe(context.Background(), cfg, rec.on)
	var e *Error
	if !errors.As(err, &e) || e.Code != 535 {
		t.Fatalf("err = %v", err)
	}
	t.Logf("Error.Message: %q", e.Message)
	for _, half := range []string{pw[:13], pw[13:]} {
		if strings.Contains(e.Message, half) {
			t.Errorf("half %q of the password is in Error.Message %q", half, e.Message)
		}
	}
}

// AUTH LOGIN sends base64(password); a server that quotes the line back
// without its "=" padding must be masked too (SecretForms lists it).
func TestUnpaddedBase64OfThePasswordIsMasked(t *testing.T) {
	const pw = "Attack1-b64-pw" // 14 bytes: base64 ends in "="
	enc := base64.StdEncoding.EncodeToString([]byte(pw))
	raw := strings.TrimRight(enc, "=")
	if raw == enc {
		t.Fatal("choose a password whose base64 is padded")
	}
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("AUTH LOGIN")
		c.expect("AUTH LOGIN")
		c.send("334 VXNlcm5hbWU6")
		c.expect("")
		c.send("334 UGFzc3dvcmQ6")
		c.expect("")
		c.send("535 5.7.8 cannot decode " + raw)
		c.waitClose()
	})
	cfg.Username, cfg.Password, cfg.Auth = testUser, pw, AuthLogin
	_, err := Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(e.Message, raw) {
		t.Errorf("the password's base64 without padding is in Error.Message: %q (decodes with RawStdEncoding)", e.Message)
	}
}

// Error.Message and Error.Err's text are clean: a certificate whose names
// carry escapes (any machine in the middle can present one; Go checks the
// name before the chain) must not reach a `%v` of errors.Unwrap(err), or a
// wrapper that uses Err.Error(), raw. errors.As still finds the certificate
// (the GUI's trust dialog and stamp-send's --pin hint need it).
func TestErrorErrIsPrintableAndStillReachesTheCertificate(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Security: sandbox.TLS, Names: []string{"evil\x1b]0;pwned\x07\x1b[2K.test"}})
	cfg := configFor(srv)
	cfg.Host = "mail.attack.test"
	addr := net.JoinHostPort(srv.Host(), fmt.Sprint(srv.Port()))
	cfg.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	_, err := Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorTLS {
		t.Fatalf("err = %v", err)
	}
	if strings.ContainsRune(e.Message, 0x1b) {
		t.Errorf("Message holds a raw ESC: %q", e.Message)
	}
	if inner := errors.Unwrap(e); inner != nil && strings.ContainsRune(inner.Error(), 0x1b) {
		t.Errorf("Error.Err (errors.Unwrap) holds the certificate's raw escapes: %q", inner.Error())
	}
	var ve *tls.CertificateVerificationError
	if !errors.As(err, &ve) || len(ve.UnverifiedCertificates) == 0 {
		t.Fatalf("errors.As does not reach the certificate through Error.Err (%T)", e.Err)
	}
	if got := ve.UnverifiedCertificates[0].DNSNames; !slices.ContainsFunc(got, func(n string) bool { return strings.HasPrefix(n, "evil\x1b") }) {
		t.Errorf("the certificate found is not the server's: %q", got)
	}
}

// Config redacts itself for %v, %+v, %#v and %s, but not for
// encoding/json (slog's JSON handler, a future
// settings dump, a test's t.Logf of json.Marshal).
func TestConfigDoesNotPrintItsSecretsThroughJSON(t *testing.T) {
	const pw, tok = "Attack1-config-pw", "Attack1-config-token"
	cfg := Config{Host: "h", Username: "u", Password: pw, OAuth2Token: tok}
	// (%d and friends would print the fields, but go vet refuses them.)
	outs := map[string]string{}
	j, _ := json.Marshal(cfg)
	outs["json.Marshal"] = string(j)
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Info("send", "config", cfg)
	outs["slog JSON"] = b.String()
	for how, out := range outs {
		if strings.Contains(out, pw) || strings.Contains(out, tok) {
			t.Errorf("%s shows a secret: %s", how, out)
		}
	}
}

// A server that echoes the password as Python's json.dumps does by default
// (ensure_ascii: every non-ASCII character as \uNNNN), or as Go's %+q
// (strconv.QuoteToASCII), is masked: the engine masks every form
// SecretForms lists, the forms scripts/secret-forms.go searches test
// output for.
func TestAnASCIIOnlyEscapedPasswordIsMasked(t *testing.T) {
	const pw = "Attack1-pässwörd-密码"
	asciiJSON := `Attack1-p\u00e4ssw\u00f6rd-\u5bc6\u7801`
	quoteASCII := strings.Trim(fmt.Sprintf("%+q", pw), `"`)
	for name, echo := range map[string]string{"JSON, ASCII only": asciiJSON, "strconv.QuoteToASCII": quoteASCII} {
		t.Run(name, func(t *testing.T) {
			cfg := scriptServer(t, func(c *scripted) {
				c.ehloOK("AUTH PLAIN")
				c.expect("AUTH PLAIN ")
				c.send(`535 5.7.8 {"error": "bad credentials", "password": "` + echo + `"}`)
				c.waitClose()
			})
			cfg.Username, cfg.Password, cfg.Auth = testUser, pw, AuthPlain
			_, err := Probe(context.Background(), cfg, nil)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(e.Message, echo) {
				t.Errorf("the %s form of the password is in Error.Message: %q", name, e.Message)
			}
		})
	}
}

// Regression check of review S1/S2: a password with a
// quote, a backslash, BEL, ESC, %, non-ASCII, over 80 bytes, echoed by a
// server that knows it (a second connection) in the greeting, EHLO, a RCPT
// refusal, the final reply, a multi-line reply, a malformed line (quoted
// and cut at 80 bytes), in base64 and in strconv.Quote/JSON form.
func TestAnEchoedPasswordIsMaskedEverywhere(t *testing.T) {
	pw := `Attack1"q\b` + "\x07\x1b%s%d-é-密-" + strings.Repeat("L", 90)
	q := strings.Trim(fmt.Sprintf("%q", pw), `"`)
	j, _ := json.Marshal(pw)
	js := strings.Trim(string(j), `"`)
	b := base64.StdEncoding.EncodeToString([]byte(pw))
	for _, tc := range []struct {
		name   string
		script func(c *scripted)
	}{
		{"greeting, EHLO, RCPT, final", func(c *scripted) {
			c.send("220 hello " + pw)
			c.expect("EHLO")
			c.send("250-script.test "+q, "250-X-ECHO "+js, "250 AUTH PLAIN")
			c.expect("AUTH PLAIN ")
			c.send("235 2.7.0 ok " + b)
			c.expect("MAIL")
			c.send("250 ok " + pw)
			c.expect("RCPT")
			c.send("250 ok " + pw)
			c.expect("RCPT")
			c.send("550-5.1.1 no " + pw)
			c.send("550 5.1.1 no " + q)
			c.expect("DATA")
			c.send("354 " + js)
			c.readData()
			c.send("250 2.0.0 queued " + pw)
			c.expect("QUIT")
			c.send("221 " + pw)
		}},
		{"a malformed line after 70 bytes", func(c *scripted) {
			c.ehloOK("AUTH PLAIN")
			c.expect("AUTH PLAIN ")
			c.send("oops " + strings.Repeat("x", 65) + pw)
			c.waitClose()
		}},
		{"a multi-line 535 with every form", func(c *scripted) {
			c.ehloOK("AUTH PLAIN")
			c.expect("AUTH PLAIN ")
			c.send("535-5.7.8 "+pw, "535-5.7.8 "+q, "535-5.7.8 "+js, "535 5.7.8 "+b)
			c.waitClose()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := scriptServer(t, tc.script)
			cfg.Username, cfg.Password, cfg.Auth, cfg.ContinueOnRejected = testUser, pw, AuthPlain, true
			var rec recorder
			res, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: []string{"b@example.test", "c@example.test"}},
				testMessage("echo", "hi"), rec.on)
			var texts []string
			rj, _ := json.Marshal(res)
			texts = append(texts, string(rj))
			if err != nil {
				var e *Error
				errors.As(err, &e)
				ej, _ := json.Marshal(e)
				texts = append(texts, err.Error(), e.Explain(), string(ej))
				if e.Err != nil {
					texts = append(texts, e.Err.Error())
				}
			}
			for _, ev := range rec.all() {
				ej, _ := json.Marshal(ev)
				texts = append(texts, string(ej), ev.Text)
				if ev.Reply != nil {
					texts = append(texts, ev.Reply.String())
				}
			}
			masked := 0
			for _, text := range texts {
				masked += strings.Count(text, Mask)
			}
			t.Logf("%d masks in %d texts", masked, len(texts))
			if masked == 0 {
				t.Fatal("no echo was masked: the script did not run as meant")
			}
			for _, text := range texts {
				for _, f := range []string{pw, q, js, b, Printable(pw), pw[:40], pw[len(pw)-60:]} {
					if strings.Contains(text, f) {
						t.Errorf("a form of the password (%.12q…) is in %.200q", f, text)
					}
				}
			}
		})
	}
}

// parseEHLO upper-cases each keyword before cleanCaps masks it: a password
// echoed as an EHLO keyword (by a server that learnt it on an earlier
// connection) must not survive, upper-cased, in Result.Capabilities (and
// `stamp-send --json`).
func TestAnEHLOKeywordEchoOfThePasswordIsMaskedUpperCased(t *testing.T) {
	const pw = "attack1lowerpw"
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("AUTH PLAIN", pw)
		c.expect("AUTH PLAIN ")
		c.send("235 ok")
		c.expect("QUIT")
		c.send("221 bye")
	})
	cfg.Username, cfg.Password, cfg.Auth = testUser, pw, AuthPlain
	caps, err := Probe(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(caps)
	if strings.Contains(strings.ToLower(string(j)), pw) {
		t.Errorf("the capabilities hold the password, upper-cased: %s", j)
	}
}
