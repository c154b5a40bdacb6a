package smtpclient

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testCA is a throw-away certificate authority that signs the certificates
// of the hostile TLS servers below.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Stamp hostile-test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// leaf is a server certificate for 127.0.0.1 and the given DNS names,
// valid from notBefore to notAfter; signed by ca, or self-signed when ca is nil.
func (ca *testCA) leaf(t *testing.T, dns []string, notBefore, notAfter time.Time, self bool) tls.Certificate {
	return ca.leafWith(t, dns, notBefore, notAfter, self, nil)
}

// leafWith is leaf with a last change to the template (edit, when not nil).
func (ca *testCA) leafWith(t *testing.T, dns []string, notBefore, notAfter time.Time, self bool, edit func(*x509.Certificate)) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "hostile.test"},
		NotBefore: notBefore, NotAfter: notAfter, DNSNames: dns,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if len(dns) == 0 {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	if edit != nil {
		edit(tmpl)
	}
	parent, signer := ca.cert, ca.key
	if self {
		parent, signer = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// startTLSScript is a scripted STARTTLS server: it offers STARTTLS (and the
// pre-TLS extensions in before), answers 220 and runs the TLS handshake with
// tc; after a successful handshake it answers EHLO with after and runs then.
func startTLSScript(t *testing.T, tc *tls.Config, before, after []string, then func(c *scripted)) Config {
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK(append([]string{"STARTTLS"}, before...)...)
		c.expect("STARTTLS")
		c.send("220 2.0.0 go ahead")
		s := tls.Server(c.Conn, tc)
		s.SetDeadline(time.Now().Add(5 * time.Second))
		if err := s.Handshake(); err != nil {
			return
		}
		tc := &scripted{t: t, Conn: s, r: newLineReader(s)}
		tc.expect("EHLO ")
		tc.ehloReply(after...)
		if then != nil {
			then(tc)
		}
	})
	cfg.Security = SecuritySTARTTLS
	return cfg
}

// implicitTLSScript is a scripted implicit-TLS server: TLS from the first
// byte with tc, then the greeting and an EHLO reply offering ext, then then.
func implicitTLSScript(t *testing.T, tc *tls.Config, ext []string, then func(c *scripted)) Config {
	cfg := scriptServer(t, func(c *scripted) {
		s := tls.Server(c.Conn, tc)
		s.SetDeadline(time.Now().Add(5 * time.Second))
		if err := s.Handshake(); err != nil {
			return
		}
		tc := &scripted{t: t, Conn: s, r: newLineReader(s)}
		tc.ehloOK(ext...)
		if then != nil {
			then(tc)
		}
	})
	cfg.Security = SecurityTLS
	return cfg
}

func TestHostileCertificates(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	valid := func(t *testing.T) tls.Certificate {
		return ca.leaf(t, nil, now.Add(-time.Hour), now.Add(time.Hour), false)
	}
	for _, tc := range []struct {
		name    string
		cert    func(t *testing.T) tls.Certificate
		maxVer  uint16
		wantErr string // "" for success
		pinHint bool   // the error carries the fingerprint to pin
	}{
		{"a valid certificate from the account's CA works (the control case)", valid, 0, "", false},
		{"an expired certificate is refused", func(t *testing.T) tls.Certificate {
			return ca.leaf(t, nil, now.Add(-48*time.Hour), now.Add(-24*time.Hour), false)
		}, 0, "expired", true},
		{"a certificate not yet valid is refused", func(t *testing.T) tls.Certificate {
			return ca.leaf(t, nil, now.Add(24*time.Hour), now.Add(48*time.Hour), false)
		}, 0, "not yet valid", true},
		{"a self-signed certificate is refused", func(t *testing.T) tls.Certificate {
			return ca.leaf(t, nil, now.Add(-time.Hour), now.Add(time.Hour), true)
		}, 0, "unknown authority", true},
		{"a certificate for another host is refused", func(t *testing.T) tls.Certificate {
			return ca.leaf(t, []string{"mail.other.test"}, now.Add(-time.Hour), now.Add(time.Hour), false)
		}, 0, "127.0.0.1", true},
		{"a certificate for clients only (no server-auth usage) is refused", func(t *testing.T) tls.Certificate {
			return ca.leafWith(t, nil, now.Add(-time.Hour), now.Add(time.Hour), false, func(c *x509.Certificate) {
				c.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
			})
		}, 0, "incompatible key usage", true},
		{"TLS 1.1 is refused even with a valid certificate", valid, tls.VersionTLS11, "protocol version", false},
		{"TLS 1.0 is refused even with a valid certificate", valid, tls.VersionTLS10, "protocol version", false},
	} {
		for _, implicit := range []bool{false, true} {
			name, step := tc.name+" (STARTTLS)", StepSTARTTLS
			if implicit {
				name, step = tc.name+" (implicit TLS)", StepTLS
			}
			t.Run(name, func(t *testing.T) {
				scfg := &tls.Config{Certificates: []tls.Certificate{tc.cert(t)}}
				if tc.maxVer != 0 {
					scfg.MinVersion, scfg.MaxVersion = tls.VersionTLS10, tc.maxVer
				}
				var sawAuth atomic.Bool
				script := func(c *scripted) {
					l := c.expect("AUTH PLAIN")
					sawAuth.Store(l != "")
					c.send("235 2.7.0 ok")
					c.expect("QUIT")
					c.send("221 bye")
				}
				cfg := startTLSScript(t, scfg, []string{"AUTH PLAIN"}, []string{"AUTH PLAIN"}, script)
				if implicit {
					cfg = implicitTLSScript(t, scfg, []string{"AUTH PLAIN"}, script)
				}
				cfg.CAPEM, cfg.Username, cfg.Password = ca.pem, testUser, testPassword
				cfg.Timeout = 2 * time.Second
				var rec recorder
				caps, err := Probe(context.Background(), cfg, rec.on)
				if tc.wantErr == "" {
					if err != nil || caps.TLS == nil || !sawAuth.Load() {
						t.Fatalf("caps %+v, err %v\n%s", caps, err, rec.transcript())
					}
					assertNoSecrets(t, rec.all())
					return
				}
				var e *Error
				if !errors.As(err, &e) || e.Kind != ErrorTLS || e.Step != step || !strings.Contains(e.Message, tc.wantErr) {
					t.Fatalf("err = %v (kind %v), want a TLS error at %v about %q", err, kindOf(e), step, tc.wantErr)
				}
				if tc.pinHint && len(e.CertificateSHA256) != 64 {
					t.Errorf("no fingerprint to pin in the error: %q", e.CertificateSHA256)
				}
				if !strings.Contains(e.Explain(), "verification is never switched off") {
					t.Errorf("explanation: %s", e.Explain())
				}
				if sawAuth.Load() || strings.Contains(rec.transcript(), "-> AUTH") {
					t.Error("AUTH was sent after a failed handshake")
				}
				assertNoSecrets(t, rec.all())
			})
		}
	}
}

func TestHandshakeThatStallsTimesOut(t *testing.T) {
	for _, starttls := range []bool{false, true} {
		name := map[bool]string{false: "implicit TLS", true: "STARTTLS"}[starttls]
		t.Run(name, func(t *testing.T) {
			cfg := scriptServer(t, func(c *scripted) {
				if starttls {
					c.ehloOK("STARTTLS")
					c.expect("STARTTLS")
					c.send("220 2.0.0 go ahead")
				}
				c.waitClose() // read the ClientHello, answer nothing
			})
			step := StepTLS
			cfg.Security = SecurityTLS
			if starttls {
				cfg.Security, step = SecuritySTARTTLS, StepSTARTTLS
			}
			cfg.Timeout = 300 * time.Millisecond
			start := time.Now()
			_, err := Probe(context.Background(), cfg, nil)
			var e *Error
			if !errors.As(err, &e) || e.Kind != ErrorTimeout || e.Step != step {
				t.Fatalf("err = %v (kind %v), want a timeout at %s", err, kindOf(e), step)
			}
			if took := time.Since(start); took > 3*cfg.Timeout {
				t.Errorf("took %v with a %v timeout", took, cfg.Timeout)
			}
		})
	}
}

func TestAUTHOfferedOnlyInClearIsNotUsed(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	scfg := &tls.Config{Certificates: []tls.Certificate{ca.leaf(t, nil, now.Add(-time.Hour), now.Add(time.Hour), false)}}
	var after atomic.Value
	cfg := startTLSScript(t, scfg, []string{"AUTH PLAIN LOGIN"}, []string{"PIPELINING"}, func(c *scripted) {
		l, _ := c.r.ReadString('\n')
		after.Store(l)
	})
	cfg.CAPEM, cfg.Username, cfg.Password = ca.pem, testUser, testPassword
	var rec recorder
	_, err := Probe(context.Background(), cfg, rec.on)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorPolicy || e.Step != StepAuth || !strings.Contains(e.Message, "no AUTH mechanism") {
		t.Fatalf("err = %v\n%s", err, rec.transcript())
	}
	if l, _ := after.Load().(string); strings.HasPrefix(l, "AUTH") {
		t.Errorf("the client sent %q after TLS although AUTH was only offered before it", l)
	}
	assertNoSecrets(t, rec.all())
}

func TestAPinMatchesTheServersOwnCertificateOnlyNotItsCA(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	leaf := ca.leaf(t, nil, now.Add(-time.Hour), now.Add(time.Hour), false)
	leaf.Certificate = append(leaf.Certificate, ca.cert.Raw) // the CA goes on the wire too
	hexSum := func(der []byte) string {
		sum := sha256.Sum256(der)
		return hex.EncodeToString(sum[:])
	}
	for _, tc := range []struct {
		name string
		pin  string
		ok   bool
	}{
		{"the server's own certificate, pinned, is trusted (the control case)", hexSum(leaf.Certificate[0]), true},
		{"the CA's fingerprint, sent in the chain, does not stand for the server's", hexSum(ca.cert.Raw), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := startTLSScript(t, &tls.Config{Certificates: []tls.Certificate{leaf}}, nil, nil, func(c *scripted) {
				c.expect("QUIT")
				c.send("221 bye")
			})
			cfg.PinnedSHA256, cfg.Timeout = tc.pin, 2*time.Second
			_, err := Probe(context.Background(), cfg, nil)
			var e *Error
			switch {
			case tc.ok && err != nil:
				t.Fatalf("err = %v", err)
			case !tc.ok && (!errors.As(err, &e) || e.Kind != ErrorTLS):
				t.Fatalf("a pin of the CA was accepted for the server: err = %v", err)
			}
		})
	}
}

// intermediate is a CA signed by ca, for chains of three.
func (ca *testCA) intermediate(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Stamp hostile-test intermediate"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func TestAChainThroughAnIntermediateNeedsTheServerToSendIt(t *testing.T) {
	root := newTestCA(t)
	mid := root.intermediate(t)
	now := time.Now()
	for _, tc := range []struct {
		name    string
		sendMid bool
		wantErr string
	}{
		{"the server sends its intermediate: trusted through the account's root", true, ""},
		{"the server leaves the intermediate out: refused", false, "unknown authority"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leaf := mid.leaf(t, nil, now.Add(-time.Hour), now.Add(time.Hour), false)
			if tc.sendMid {
				leaf.Certificate = append(leaf.Certificate, mid.cert.Raw)
			}
			cfg := implicitTLSScript(t, &tls.Config{Certificates: []tls.Certificate{leaf}}, nil, func(c *scripted) {
				c.expect("QUIT")
				c.send("221 bye")
			})
			cfg.CAPEM, cfg.Timeout = root.pem, 2*time.Second
			_, err := Probe(context.Background(), cfg, nil)
			var e *Error
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tc.wantErr != "" && (!errors.As(err, &e) || e.Kind != ErrorTLS || !strings.Contains(e.Message, tc.wantErr)):
				t.Fatalf("err = %v, want a TLS error about %q", err, tc.wantErr)
			}
		})
	}
}
