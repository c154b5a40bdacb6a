package smtpclient

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"stamp/smtpclient/sandbox"
)

// A pinned certificate on an account without encryption (security none)
// is refused before anything is sent, with words that say why: the pin
// promises "trust exactly this certificate", and a plain connection has no
// certificate at all (found by the adversarial review, ATTACK2 item 10).
func TestAPinWithoutTLSIsRefusedBeforeAnythingIsSent(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Security: sandbox.None})
	cfg := configFor(srv)
	cfg.PinnedSHA256 = strings.Repeat("ab", 32) // no server has this certificate
	res, err := Send(context.Background(), cfg, Envelope{From: "a@example.com", To: []string{"b@example.com"}},
		testMessage("pinned", "hello"), nil)
	if err == nil && res.Sent {
		t.Fatalf("a send pinned to certificate abab… went out over a connection with no TLS at all (security %v)", cfg.Security)
	}
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorInput || !errors.Is(err, ErrPinWithoutTLS) ||
		!strings.Contains(err.Error(), "choose TLS or STARTTLS") {
		t.Fatalf("Send = %v; want an input error that says a pin needs TLS or STARTTLS", err)
	}
	if got := len(srv.Messages()); got != 0 {
		t.Fatalf("the server received %d messages", got)
	}
	if _, err := Probe(context.Background(), cfg, nil); !errors.Is(err, ErrPinWithoutTLS) {
		t.Fatalf("Probe = %v; want ErrPinWithoutTLS", err)
	}
}

// With a pin the CA file is not read at all (Config.PinnedSHA256 says it
// is not consulted): a pinned account whose old CA file was moved or
// deleted still connects (ATTACK2 item 11).
func TestAPinnedAccountDoesNotReadItsCAFile(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Security: sandbox.STARTTLS})
	cfg := configFor(srv)
	cfg.CAPEM = nil
	_, err := Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) || len(e.CertificateSHA256) != 64 {
		t.Fatalf("untrusted certificate: %v", err)
	}
	cfg.PinnedSHA256 = e.CertificateSHA256
	cfg.CAFile = filepath.Join(t.TempDir(), "moved-ca.pem")
	if _, err := Probe(context.Background(), cfg, nil); err != nil {
		t.Fatalf("pinned to the server's own certificate, the probe fails on the CA file it does not consult: %v", err)
	}
	// Nor is a CA given as bytes that does not parse.
	cfg.CAFile, cfg.CAPEM = "", []byte("not a certificate")
	if _, err := Probe(context.Background(), cfg, nil); err != nil {
		t.Fatalf("pinned to the server's own certificate, the probe fails on the CAPEM it does not consult: %v", err)
	}
	// The pin still decides: another fingerprint is refused.
	cfg.PinnedSHA256 = strings.Repeat("ab", 32)
	if _, err := Probe(context.Background(), cfg, nil); !errors.As(err, &e) || e.Kind != ErrorTLS {
		t.Fatalf("pinned to another certificate, Probe = %v; want a TLS error", err)
	}
}
