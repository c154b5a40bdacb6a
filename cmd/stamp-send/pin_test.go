package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// selfSignedServer runs a scripted SMTP server with implicit TLS and a
// self-signed certificate that nothing trusts, and returns its address
// and the certificate's SHA-256 in hex, computed here from its DER bytes.
func selfSignedServer(t *testing.T) (addr, fingerprint string) {
	t.Helper()
	return selfSignedServerNamed(t, "Stamp pin test")
}

// selfSignedServerNamed is selfSignedServer with the certificate's
// common name chosen by the caller.
func selfSignedServerNamed(t *testing.T, cn string) (addr, fingerprint string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2036, 1, 2, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return serveScript(t, ln, smtpScript{}), hex.EncodeToString(sum[:])
}

// colons writes a fingerprint as browsers and openssl do: "AB:CD:…".
func colons(h string) string {
	var parts []string
	for i := 0; i < len(h); i += 2 {
		parts = append(parts, strings.ToUpper(h[i:i+2]))
	}
	return strings.Join(parts, ":")
}

// shellWords splits a command line as a POSIX shell would, for the
// quoting stamp-send prints (plain words and single quotes).
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var cur strings.Builder
	inWord, quoted := false, false
	for _, r := range line {
		switch {
		case quoted && r == '\'':
			quoted = false
		case quoted:
			cur.WriteRune(r)
		case r == '\'':
			quoted, inWord = true, true
		case r == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quotes in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// printedCommand finds the `stamp-send account add` command in out.
func printedCommand(t *testing.T, out string) []string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimPrefix(l, "stamp-send: ")
		if strings.HasPrefix(strings.TrimSpace(l), "stamp-send account add ") {
			return shellWords(t, strings.TrimSpace(l))
		}
	}
	t.Fatalf("no `stamp-send account add` command in:\n%s", out)
	return nil
}

func TestPinningASelfSignedServer(t *testing.T) {
	addr, fp := selfSignedServer(t)
	send := []string{"--server", addr, "--security", "tls", "--timeout", "5s",
		"--from", "a@example.com", "--to", "b@example.com", "--body", "pinned"}

	t.Run("without a pin the send fails and shows the certificate", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", send...)
		if code != exitConnect {
			t.Fatalf("exit %d, want 3\n%s", code, stderr)
		}
		for _, want := range []string{"SHA-256 fingerprint: " + colons(fp), "issued to: CN=Stamp pin test", "issued by: CN=Stamp pin test",
			"valid from 2026-01-02 00:00 UTC until 2036-01-02 00:00 UTC", "add --pin " + fp + " to trust this certificate for one send"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("the output lacks %q:\n%s", want, stderr)
			}
		}
		cmd := printedCommand(t, stderr)
		want := []string{"stamp-send", "account", "add", "NAME", "--from", "a@example.com", "--server", addr, "--security", "tls", "--pin", fp}
		if strings.Join(cmd, "\x00") != strings.Join(want, "\x00") {
			t.Errorf("printed command %q, want %q", cmd, want)
		}
	})
	t.Run("--json names the fingerprint in the error", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", append(send, "--json")...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		var last struct {
			Error struct {
				SHA256 string `json:"certificate_sha256"`
			} `json:"error"`
		}
		if code != exitConnect || json.Unmarshal([]byte(lines[len(lines)-1]), &last) != nil || last.Error.SHA256 != fp {
			t.Errorf("exit %d, last line %s", code, lines[len(lines)-1])
		}
	})
	t.Run("with the pin (colons, upper case) the send works", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", append(send, "--pin", colons(fp))...)
		if code != exitOK || !strings.Contains(stderr, "sent to 1 recipient") {
			t.Errorf("exit %d\n%s", code, stderr)
		}
	})
	t.Run("with a wrong pin the send fails", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", append(send, "--pin", strings.Repeat("0", 64))...)
		if code != exitConnect || !strings.Contains(stderr, "not the pinned one") || !strings.Contains(stderr, "--pin "+fp) {
			t.Errorf("exit %d, want 3 naming the server's real fingerprint\n%s", code, stderr)
		}
	})
	t.Run("a pin that is not a fingerprint is a usage error", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", append(send, "--pin", "sha256:abc")...)
		if code != exitUsage || !strings.Contains(stderr, "--pin: the SHA-256 fingerprint must be 64 hex digits") {
			t.Errorf("exit %d\n%s", code, stderr)
		}
	})
}

func TestPinningASelfSignedServerForAnAccount(t *testing.T) {
	e := newAccountEnv(t)
	addr, fp := selfSignedServer(t)
	if code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", "Pin Test <pin@example.org>", "--server", addr,
		"--security", "tls", "--auth", "none", "--label", "Self signed"); code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
	}

	// The test fails and prints the command that trusts this certificate.
	code, out, errOut := runCmd(t, "", "account", "test", e.name, "--timeout", "5s", "--quiet")
	if code != exitConnect || !strings.Contains(errOut, "SHA-256 fingerprint: "+colons(fp)) ||
		!strings.Contains(errOut, "trust this certificate for this account only") {
		t.Fatalf("test without a pin: exit %d, want 3 with the fingerprint\n%s%s", code, out, errOut)
	}
	cmd := printedCommand(t, errOut)
	if cmd[len(cmd)-1] != "--replace" || !strings.Contains(strings.Join(cmd, " "), "--pin "+fp) {
		t.Fatalf("printed command %q", cmd)
	}

	// Running that very command keeps the account and adds the pin.
	if code, out, errOut := runCmd(t, "", cmd[1:]...); code != 0 {
		t.Fatalf("the printed command failed: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "", "account", "show", e.name)
	for _, want := range []string{"Pinned certificate:", "SHA-256 " + fp, `"Pin Test" <pin@example.org>`, "Self signed", "Auth:", "none"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("show lacks %q: exit %d\n%s%s", want, code, out, errOut)
		}
	}
	code, out, errOut = runCmd(t, "", "account", "show", e.name, "--json")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["pinned_sha256"] != fp {
		t.Errorf("show --json: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runCmd(t, "", "account", "test", e.name, "--timeout", "5s"); code != 0 || !strings.Contains(out, "works") {
		t.Errorf("test with the pin: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "", "--account", e.name, "--to", "b@example.com", "--body", "pinned", "--timeout", "5s"); code != 0 {
		t.Errorf("send with the pinned account: exit %d\n%s", code, errOut)
	}

	// A wrong pin in the account fails again.
	if code, _, errOut := runCmd(t, "", "account", "add", e.name, "--from", "pin@example.org", "--server", addr, "--security", "tls",
		"--auth", "none", "--pin", strings.Repeat("AB:", 31)+"AB", "--replace"); code != 0 {
		t.Fatalf("add --pin: exit %d\n%s", code, errOut)
	}
	if code, out, errOut := runCmd(t, "", "account", "test", e.name, "--timeout", "5s"); code != exitConnect || !strings.Contains(errOut, "not the pinned one") {
		t.Errorf("test with a wrong pin: exit %d, want 3\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "", "account", "add", "bad", "--from", "pin@example.org", "--server", addr, "--pin", "12:34"); code != exitUsage ||
		!strings.Contains(errOut, "--pin: the SHA-256 fingerprint must be 64 hex digits") {
		t.Errorf("add with a short pin: exit %d\n%s", code, errOut)
	}
}

// The certificate's names are the server's text too.
func TestAnUntrustedCertificatesNamesAreShownNotObeyed(t *testing.T) {
	addr, fp := selfSignedServerNamed(t, strings.ToValidUTF8(hostileLF, "?")) // a certificate holds UTF-8 only
	code, stdout, stderr := runCmd(t, "", "--server", addr, "--security", "tls", "--timeout", "5s",
		"--from", "a@example.com", "--to", "b@example.com", "--body", "x")
	if code != exitConnect || !strings.Contains(stderr, "--pin "+fp) || !strings.Contains(stderr, "issued to: CN=evil") {
		t.Errorf("exit %d, want 3 with the certificate described\n%s", code, stderr)
	}
	assertShowable(t, "stdout", stdout, true)
	assertShowable(t, "stderr", stderr, true)
	assertNoForgedLine(t, "stderr", stderr)
}

// A pin with --security none is refused before anything is sent, on the
// command line, for a saved account, and when saving one: a plain
// connection has no certificate to check (ATTACK2 item 10).
func TestAPinWithSecurityNoneIsRefused(t *testing.T) {
	srv, args := sandboxArgs(t, sandbox.Options{Security: sandbox.None})
	pin := strings.Repeat("ab", 32)
	send := append(args, "--from", "a@example.com", "--to", "b@example.com", "--body", "x", "--pin", pin)
	code, _, stderr := runCmd(t, "", send...)
	if code != exitUsage || !strings.Contains(stderr, "--pin with --security none") || !strings.Contains(stderr, "choose TLS or STARTTLS") {
		t.Errorf("send --pin --security none: exit %d, want %d saying a pin needs TLS or STARTTLS\n%s", code, exitUsage, stderr)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("the server received %d messages", n)
	}

	e := newAccountEnv(t)
	code, _, stderr = runCmd(t, "", "account", "add", e.name, "--from", "pin@example.org", "--server", srv.Addr(),
		"--security", "none", "--auth", "none", "--pin", pin)
	if code != exitUsage || !strings.Contains(stderr, "needs an encrypted connection") {
		t.Errorf("account add --security none --pin: exit %d, want %d saying a pin needs encryption\n%s", code, exitUsage, stderr)
	}
	if code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", "pin@example.org", "--server", srv.Addr(),
		"--security", "none", "--auth", "none"); code != 0 {
		t.Fatalf("account add --security none: exit %d\n%s%s", code, out, errOut)
	}
	code, _, stderr = runCmd(t, "", "--account", e.name, "--to", "b@example.com", "--body", "x", "--timeout", "5s", "--pin", pin)
	if code != exitUsage || !strings.Contains(stderr, "--pin with --security none") {
		t.Errorf("--account (security none) --pin: exit %d, want %d\n%s", code, exitUsage, stderr)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("the server received %d messages", n)
	}
}
