package smtpclient

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"stamp/smtpclient/sandbox"
)

// A connection that drops during the TLS handshake (a server restarting,
// flaky Wi-Fi, a middlebox's reset) is a connection failure — temporary,
// explained as such — not a certificate problem; a real certificate
// problem stays ErrorTLS with its advice (TestCertificatesAreVerified).
func TestAConnectionDroppedDuringTheHandshakeIsAConnectionFailure(t *testing.T) {
	hangUp := func(reset bool) func(c *scripted) {
		return func(c *scripted) {
			c.Read(make([]byte, 512)) // the ClientHello
			if tc, ok := c.Conn.(*net.TCPConn); ok && reset {
				tc.SetLinger(0) // RST, not FIN
			}
		}
	}
	for _, reset := range []bool{false, true} {
		cfg := scriptServer(t, hangUp(reset))
		cfg.Security = SecurityTLS
		_, err := Probe(context.Background(), cfg, nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorConnection || e.Step != StepTLS {
			t.Fatalf("reset %v: %v, want a connection failure at the TLS step", reset, err)
		}
		if strings.Contains(e.Explain(), "certificate") {
			t.Errorf("reset %v: explained as a certificate problem: %s", reset, e.Explain())
		}
	}
	// STARTTLS: the server hangs up in the handshake after its 220.
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("STARTTLS")
		c.expect("STARTTLS")
		c.send("220 go ahead")
		c.Read(make([]byte, 512))
	})
	cfg.Security = SecuritySTARTTLS
	_, err := Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorConnection || e.Step != StepSTARTTLS {
		t.Fatalf("STARTTLS: %v, want a connection failure", err)
	}
	// A server that speaks no TLS on the TLS port is still a TLS problem.
	srv := startSandbox(t, sandbox.Options{})
	cfg = configFor(srv)
	cfg.Security = SecurityTLS
	if _, err := Probe(context.Background(), cfg, nil); !errors.As(err, &e) || e.Kind != ErrorTLS {
		t.Fatalf("plain SMTP on the TLS port: %v, want ErrorTLS", err)
	}
}
