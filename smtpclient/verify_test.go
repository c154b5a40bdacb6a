package smtpclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"testing"
	"time"
)

// testChain is a CA and a leaf for 127.0.0.1 that it signed.
func testChain(t *testing.T) (ca, leaf *x509.Certificate) {
	t.Helper()
	c := newTestCA(t)
	l := c.leaf(t, nil, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), false)
	leaf, err := x509.ParseCertificate(l.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	return c.cert, leaf
}

func TestVerifyChainTriesTheAccountCAFirstWithTheSameAnswers(t *testing.T) {
	ca, leaf := testChain(t)
	otherCA, _ := testChain(t)
	pool := func(c *x509.Certificate) *x509.CertPool { p := x509.NewCertPool(); p.AddCert(c); return p }
	for _, tc := range []struct {
		name        string
		host        string
		first       *x509.CertPool
		wantErr     any
		wantAllUsed bool
	}{
		{"the account's CA completes the chain: the system roots are not loaded", "127.0.0.1", pool(ca), nil, false},
		{"a certificate for another host fails after trying all roots", "127.0.0.2", pool(ca), &x509.HostnameError{}, true},
		{"a certificate from an unknown CA fails after trying all roots", "127.0.0.1", pool(otherCA), &x509.UnknownAuthorityError{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			used := false
			all := func() *x509.CertPool { used = true; return tc.first }
			err := verifyChain([]*x509.Certificate{leaf}, tc.host, tc.first, all)
			if used != tc.wantAllUsed {
				t.Errorf("all roots loaded: %v, want %v", used, tc.wantAllUsed)
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ve *tls.CertificateVerificationError
			if !errors.As(err, &ve) || len(ve.UnverifiedCertificates) != 1 {
				t.Fatalf("got %v, want a *tls.CertificateVerificationError", err)
			}
			switch tc.wantErr.(type) {
			case *x509.HostnameError:
				var he x509.HostnameError
				if !errors.As(err, &he) {
					t.Fatalf("got %v, want a host name error", err)
				}
			case *x509.UnknownAuthorityError:
				var ue x509.UnknownAuthorityError
				if !errors.As(err, &ue) {
					t.Fatalf("got %v, want an unknown authority error", err)
				}
			}
		})
	}
}
