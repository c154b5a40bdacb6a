package smtpclient

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

func TestProbeReportsCapabilities(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Security: sandbox.STARTTLS, Username: testUser, Password: testPassword, MaxSize: 25 << 20, SMTPUTF8: true})
	var rec recorder
	caps, err := Probe(context.Background(), configFor(srv), rec.on)
	if err != nil {
		t.Fatalf("Probe: %v\n%s", err, rec.transcript())
	}
	if caps.TLS == nil || !caps.TLS.STARTTLS || caps.TLS.Version == "" || caps.TLS.CipherSuite == "" ||
		!strings.Contains(caps.TLS.Subject, "localhost") || caps.TLS.NotAfter.Before(time.Now()) {
		t.Errorf("TLS = %+v", caps.TLS)
	}
	if !caps.Pipelining || !caps.EightBitMIME || !caps.SMTPUTF8 || caps.MaxSize != 25<<20 || caps.AuthUsed != AuthPlain {
		t.Errorf("caps = %+v", caps)
	}
	if strings.Join(caps.Auth, " ") != "PLAIN LOGIN" {
		t.Errorf("auth = %v", caps.Auth)
	}
	// After TLS the capabilities are the ones learnt again: no STARTTLS.
	if caps.StartTLS {
		t.Error("capabilities from before STARTTLS survived the upgrade")
	}
	if !strings.Contains(rec.transcript(), "-> QUIT") {
		t.Error("Probe did not QUIT")
	}
}

func TestCertificatesAreVerified(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Security: sandbox.TLS})
	t.Run("an unknown CA is refused", func(t *testing.T) {
		cfg := configFor(srv)
		cfg.CAPEM = nil
		_, err := Probe(context.Background(), cfg, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorTLS || e.Step != StepTLS {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a certificate for another host is refused", func(t *testing.T) {
		cfg := configFor(srv)
		addr := cfg.Address()
		cfg.Host = "mail.example.test"
		cfg.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		_, err := Probe(context.Background(), cfg, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorTLS {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(e.Explain(), "CA file") {
			t.Errorf("explanation: %s", e.Explain())
		}
	})
	t.Run("the CA file of the account is trusted by name too", func(t *testing.T) {
		cfg := configFor(srv)
		cfg.Host = "localhost"
		if _, err := Probe(context.Background(), cfg, nil); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSTARTTLSNeverFallsBack(t *testing.T) {
	t.Run("454 to STARTTLS stops the session", func(t *testing.T) {
		cfg := scriptServer(t, func(c *scripted) {
			c.ehloOK("STARTTLS", "AUTH PLAIN")
			c.expect("STARTTLS")
			c.send("454 4.7.0 TLS not available due to temporary reason")
			l, _ := c.r.ReadString('\n')
			if l != "" && !strings.HasPrefix(l, "QUIT") {
				t.Errorf("after a refused STARTTLS the client sent %q", l)
			}
		})
		cfg.Security, cfg.Username, cfg.Password = SecuritySTARTTLS, testUser, testPassword
		_, err := Probe(context.Background(), cfg, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorTLS || e.Step != StepSTARTTLS || e.Code != 454 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("data injected after 220 aborts before the handshake", func(t *testing.T) {
		cfg := scriptServer(t, func(c *scripted) {
			c.ehloOK("STARTTLS")
			c.expect("STARTTLS")
			// One write: the reply and an injected reply to a command the
			// client will send after TLS.
			c.Write([]byte("220 2.0.0 Ready\r\n250 injected\r\n"))
			c.r.ReadString('\n')
		})
		cfg.Security = SecuritySTARTTLS
		_, err := Probe(context.Background(), cfg, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorProtocol || e.Step != StepSTARTTLS || !strings.Contains(e.Message, "injection") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestGreetingRefused(t *testing.T) {
	cfg := scriptServer(t, func(c *scripted) {
		c.send("554 5.7.1 Your IP is on a block list")
	})
	_, err := Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) || e.Step != StepGreeting || e.Code != 554 || !strings.Contains(e.Summary(), "refuses connections from your address") {
		t.Fatalf("err = %v", err)
	}
}

func TestHELOFallback(t *testing.T) {
	old := func(c *scripted) {
		c.send("220 old.test SMTP")
		c.expect("EHLO ")
		c.send("502 5.5.1 Command not recognized")
		if l, _ := c.r.ReadString('\n'); strings.HasPrefix(l, "HELO ") {
			c.send("250 old.test")
			c.expect("QUIT")
			c.send("221 bye")
		}
	}
	t.Run("without STARTTLS or AUTH, HELO is fine", func(t *testing.T) {
		cfg := scriptServer(t, old)
		caps, err := Probe(context.Background(), cfg, nil)
		if err != nil || caps.ESMTP {
			t.Fatalf("caps %+v, err %v", caps, err)
		}
	})
	t.Run("an account that needs AUTH does not fall back", func(t *testing.T) {
		cfg := scriptServer(t, old)
		cfg.Username, cfg.Password = testUser, testPassword
		_, err := Probe(context.Background(), cfg, nil)
		var e *Error
		if !errors.As(err, &e) || e.Step != StepEHLO || e.Kind != ErrorPolicy {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestEHLONameIsAFQDNOrAddressLiteral(t *testing.T) {
	got := make(chan string, 1)
	cfg := scriptServer(t, func(c *scripted) {
		c.send("220 x")
		got <- c.expect("EHLO ")
	})
	Probe(context.Background(), cfg, nil)
	name := strings.TrimPrefix(<-got, "EHLO ")
	if !(strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]")) && !(strings.Contains(name, ".") && validDomain(name)) {
		t.Errorf("EHLO %q is neither a FQDN nor an address literal", name)
	}
}

func TestReplyParsing(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		code     int
		enhanced string
		lines    int
		problem  string
	}{
		{"single line", "250 ok\r\n", 250, "", 1, ""},
		{"multi-line with enhanced code", "250-first\r\n250-2.1.0 second\r\n250 last\r\n", 250, "", 3, ""},
		{"enhanced code on the first line", "550 5.1.1 <x@y>: unknown\r\n", 550, "5.1.1", 1, ""},
		{"enhanced class must match the code", "250 5.1.1 odd\r\n", 250, "", 1, ""},
		{"bare code", "250\r\n", 250, "", 1, ""},
		{"bare LF line ends are tolerated", "250-a\n250 b\n", 250, "", 2, ""},
		{"inconsistent codes", "250-a\r\n550 b\r\n", 0, "", 0, "differ"},
		{"code outside 2xx-5xx", "199 what\r\n", 0, "", 0, "outside"},
		{"garbage", "hello there\r\n", 0, "", 0, "three-digit"},
		{"no separator", "250x\r\n", 0, "", 0, "space or hyphen"},
		{"a line of megabytes", strings.Repeat("2", 1<<20) + "\r\n", 0, "", 0, "longer than"},
		{"a reply that never ends", strings.Repeat("250-more\r\n", 10000), 0, "", 0, "more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := readReply(bufio.NewReaderSize(strings.NewReader(tc.in), MaxReplyLineLength), nil, nil)
			if tc.problem != "" {
				var e *Error
				if !errors.As(err, &e) || e.Kind != ErrorProtocol || !strings.Contains(e.Message, tc.problem) {
					t.Fatalf("err = %v, want a protocol error about %q", err, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Code != tc.code || r.Enhanced != tc.enhanced || len(r.Lines) != tc.lines {
				t.Errorf("reply = %+v", r)
			}
		})
	}
}

func FuzzReplyParser(f *testing.F) {
	for _, s := range []string{"250 ok\r\n", "250-a\r\n250 b\r\n", "550 5.1.1 x\r\n", "2", "250-\n250 \n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := readReply(bufio.NewReaderSize(strings.NewReader(string(in)), MaxReplyLineLength), nil, nil)
		var e *Error
		if errors.As(err, &e) && Printable(e.Message) != e.Message {
			t.Fatalf("error quotes the line unprintably: %q", e.Message)
		}
		if err != nil {
			return
		}
		if r.Code < 200 || r.Code > 599 || len(r.Lines) == 0 || len(r.Lines) > MaxReplyLines {
			t.Fatalf("accepted an invalid reply %+v", r)
		}
		parseEHLO(r) // must not panic
	})
}

func TestEHLOCapabilities(t *testing.T) {
	r := &Reply{Code: 250, Lines: []string{"mx.test greets you", "PIPELINING", "SIZE 35882577", "8BITMIME",
		"AUTH LOGIN PLAIN XOAUTH2", "AUTH=LOGIN PLAIN", "ENHANCEDSTATUSCODES", "SMTPUTF8", "starttls"}}
	c := parseEHLO(r)
	if !c.Pipelining || c.MaxSize != 35882577 || !c.EightBitMIME || !c.SMTPUTF8 || !c.StartTLS || !c.EnhancedStatusCodes {
		t.Errorf("caps = %+v", c)
	}
	if strings.Join(c.Auth, " ") != "LOGIN PLAIN XOAUTH2" {
		t.Errorf("auth = %v", c.Auth)
	}
}

func TestExplanations(t *testing.T) {
	for _, tc := range []struct {
		err  Error
		want string
	}{
		{Error{Step: StepAuth, Code: 535, EnhancedCode: "5.7.8"}, "app password"},
		{Error{Step: StepMail, Code: 530, EnhancedCode: "5.7.0"}, "secure connection or a login"},
		{Error{Step: StepMessage, Code: 552, EnhancedCode: "5.3.4"}, "too big"},
		{Error{Step: StepGreeting, Code: 554}, "refuses connections from your address"},
		{Error{Step: StepRcpt, Code: 550, EnhancedCode: "5.1.1"}, "recipient address is unknown"},
		{Error{Step: StepMail, Code: 421}, "Try again later"},
		{Error{Step: StepConnect, Kind: ErrorConnection}, "Could not connect"},
		{Error{Step: StepTLS, Kind: ErrorTLS}, "certificate"},
		{Error{Step: StepMessage, Kind: ErrorTimeout, MayHaveBeenDelivered: true}, "may have been delivered"},
		{Error{Step: StepRcpt, Kind: ErrorCanceled}, "cancelled"},
	} {
		if tc.err.Code != 0 {
			tc.err.Kind = ErrorReply
		}
		if got := tc.err.Explain(); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q does not say %q", tc.err.Error(), got, tc.want)
		}
	}
}

func TestQueueID(t *testing.T) {
	for text, want := range map[string]string{
		"2.0.0 Ok: queued as 4F3A2C0B1":                     "4F3A2C0B1",
		"OK id=1rXyZ-000123-AB":                             "1rXyZ-000123-AB",
		"2.0.0 OK  1699999999 a1b2c3d4e5-6v7si.123 - gsmtp": "1699999999",
		"Requested mail action okay, completed":             "",
	} {
		r := &Reply{Code: 250, Lines: []string{text}}
		r.splitEnhanced()
		if got := queueID(r); got != want {
			t.Errorf("%q: queue id %q, want %q", text, got, want)
		}
	}
}

func TestPinnedCertificate(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Security: sandbox.STARTTLS})
	cfg := configFor(srv)
	cfg.CAPEM = nil
	_, err := Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorTLS || len(e.CertificateSHA256) != 64 {
		t.Fatalf("an untrusted certificate: err = %v, kind %v", err, kindOf(e))
	}
	t.Run("the fingerprint from the error, pinned, is trusted", func(t *testing.T) {
		cfg.PinnedSHA256 = strings.ToUpper(e.CertificateSHA256[:2]) + ":" + e.CertificateSHA256[2:]
		caps, err := Probe(context.Background(), cfg, nil)
		if err != nil || caps.TLS.SHA256 != e.CertificateSHA256 {
			t.Fatalf("caps %+v, err %v", caps, err)
		}
	})
	t.Run("another fingerprint is refused", func(t *testing.T) {
		cfg.PinnedSHA256 = strings.Repeat("ab", 32)
		_, err := Probe(context.Background(), cfg, nil)
		var e2 *Error
		if !errors.As(err, &e2) || e2.Kind != ErrorTLS || e2.CertificateSHA256 != e.CertificateSHA256 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a malformed pin is an input error", func(t *testing.T) {
		cfg.PinnedSHA256 = "not hex"
		_, err := Probe(context.Background(), cfg, nil)
		var e3 *Error
		if !errors.As(err, &e3) || e3.Kind != ErrorInput {
			t.Fatalf("err = %v", err)
		}
	})
}
