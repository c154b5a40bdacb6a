package smtpclient

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// S3 (minor): a server name typed in Unicode is dialled and verified as its
// A-labels. No DNS here: a Dialer records the address asked for and
// connects to a loopback server whose certificate names only the A-label.
func TestAUnicodeServerNameIsDialledAndVerifiedAsItsALabel(t *testing.T) {
	const unicodeHost, aLabel = "smtp.bücher.example", "smtp.xn--bcher-kva.example"
	ca := newTestCA(t)
	now := time.Now()
	cert := ca.leaf(t, []string{aLabel}, now.Add(-time.Hour), now.Add(time.Hour), false)
	cfg := implicitTLSScript(t, &tls.Config{Certificates: []tls.Certificate{cert}}, nil, func(c *scripted) {
		c.expect("QUIT")
		c.send("221 bye")
	})
	real := cfg.Address()
	var mu sync.Mutex
	var dialled []string
	cfg.Host, cfg.CAPEM = unicodeHost, ca.pem
	cfg.Dialer = func(ctx context.Context, network, address string) (net.Conn, error) {
		mu.Lock()
		dialled = append(dialled, address)
		mu.Unlock()
		return (&net.Dialer{}).DialContext(ctx, network, real)
	}
	var rec recorder
	caps, err := Probe(context.Background(), cfg, rec.on)
	if err != nil {
		t.Fatalf("Probe: %v\n%s", err, rec.transcript())
	}
	mu.Lock()
	got := dialled
	mu.Unlock()
	if _, port, _ := net.SplitHostPort(real); len(got) != 1 || got[0] != net.JoinHostPort(aLabel, port) {
		t.Errorf("dialled %q, want %s:%s", got, aLabel, port)
	}
	if caps.TLS.ServerName != aLabel {
		t.Errorf("the certificate was checked against %q", caps.TLS.ServerName)
	}

	// A certificate for the Unicode spelling would not match: verification
	// really used the A-label.
	cfg.Host = "smtp.bücher-other.example"
	_, err = Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorTLS {
		t.Errorf("a certificate for another name was accepted: %v", err)
	}
}

func TestASCIIHost(t *testing.T) {
	for in, want := range map[string]string{
		"smtp.example.com": "smtp.example.com",
		"SMTP.Example.com": "SMTP.Example.com",
		"127.0.0.1":        "127.0.0.1",
		"::1":              "::1",
		"münchen.example":  "xn--mnchen-3ya.example",
		"例え.テスト":           "xn--r8jz45g.xn--zckzah",
	} {
		if got, err := ASCIIHost(in); err != nil || got != want {
			t.Errorf("ASCIIHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := ASCIIHost("bad\u202e.example"); err == nil {
		t.Errorf("a name with a bidi override converted to %q", got)
	}
	// Refused before any dial (the Dialer would fail the test).
	cfg := Config{Host: "bad\u202e.example", Dialer: func(context.Context, string, string) (net.Conn, error) {
		t.Error("dialled a host that has no A-label form")
		return nil, errors.New("no")
	}}
	var e *Error
	if _, err := Probe(context.Background(), cfg, nil); !errors.As(err, &e) || e.Kind != ErrorInput {
		t.Errorf("err = %v, want an input error", err)
	}
}

// A Unicode name that DNS cannot hold is refused with a clear error rather
// than saved and failing later as a DNS error: an empty label, a label over
// 63 bytes, a converted name over 253 (found by the adversarial review,
// ATTACK2 item 12). One trailing dot is a fully qualified name and kept.
func TestASCIIHostRefusesUnicodeNamesDNSCannotHold(t *testing.T) {
	for _, h := range []string{
		"bücher..de",
		"bücher." + strings.Repeat("a", 64) + ".de",
		".bücher.de",
		"bücher.de..",
		"bücher" + strings.Repeat(".abcdefghi", 25) + ".de", // 265 bytes converted
		strings.Repeat("a", 61) + "ü.de",                    // 63 bytes typed, 70 as an A-label
		"\u200b.",
	} {
		a, err := ASCIIHost(h)
		if err == nil {
			t.Errorf("ASCIIHost(%q) = %q, nil; want an error (empty label or label over 63 bytes)", h, a)
		} else if !strings.Contains(err.Error(), "is not a valid international server name") {
			t.Errorf("ASCIIHost(%q): %v; want it to say it is not a valid international server name", h, err)
		}
	}
	if a, err := ASCIIHost("smtp.bücher.example."); err != nil || a != "smtp.xn--bcher-kva.example." {
		t.Errorf("ASCIIHost with one trailing dot = %q, %v; want smtp.xn--bcher-kva.example.", a, err)
	}
}

// What is dialled is what is shown: Address gives the A-label form, so a
// name folded by the lookup rules (fullwidth letters, an invisible
// zero-width space) shows as the name actually dialled.
func TestAddressShowsTheNameThatIsDialled(t *testing.T) {
	for host, want := range map[string]string{
		"smtp.example.com":             "smtp.example.com:465",
		"::1":                          "[::1]:465",
		"smtp.bücher.example":          "smtp.xn--bcher-kva.example:465",
		"ｅｘａｍｐｌｅ.com":                  "example.com:465",
		"smtp.exa\u200bmple.bücher.de": "smtp.example.xn--bcher-kva.de:465",
		"bücher..de":                   "bücher..de:465", // no A-label: shown as given, refused by Send
	} {
		cfg := Config{Host: host}
		if got := cfg.Address(); got != want {
			t.Errorf("Config{Host: %q}.Address() = %q, want %q", host, got, want)
		}
	}
}
