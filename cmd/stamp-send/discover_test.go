package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stamp/account"
	"stamp/discover/discovertest"
)

// discoverNet is a loopback network for `account discover`, with the
// dialer hooked in and the test CA in a file.
func discoverNet(t *testing.T) (*discovertest.Net, string) {
	t.Helper()
	n := discovertest.New(t)
	old := discoverDial
	discoverDial = n.Dial
	t.Cleanup(func() { discoverDial = old })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, n.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(account.ConfigDirEnv, t.TempDir())
	return n, ca
}

func runDiscover(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"account", "discover"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAccountDiscoverFindsMicrosoft365ByMX(t *testing.T) {
	n, ca := discoverNet(t)
	n.MX("corp.test", 0, "corp-test.mail.protection.outlook.com")
	n.File("autoconfig.corp.test", "/mail/config-v1.1.xml", []byte("<html>parked</html>"))
	code, out, errs := runDiscover(t, "me@corp.test", "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"Settings for me@corp.test: smtp.office365.com:587 (starttls), your domain's mail is handled by Microsoft 365 (MX)",
		"→ smtp.office365.com:587 (starttls), login xoauth2",
		"smtp.office365.com is outside your address's domain",
		"https://autoconfig.corp.test/mail/config-v1.1.xml?emailaddress=me%40corp.test: not a usable config-v1.1.xml file: the root element is <html>",
		"Nothing was saved.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if entries, _ := os.ReadDir(os.Getenv(account.ConfigDirEnv)); len(entries) != 0 {
		t.Errorf("discover wrote settings: %v", entries)
	}
}

func TestAccountDiscoverJSONListsEveryCandidate(t *testing.T) {
	n, ca := discoverNet(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(`<clientConfig version="1.1"><emailProvider id="example.test">
<displayName>Example Mail</displayName>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
<authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></outgoingServer>
</emailProvider></clientConfig>`))
	n.SRV("submission", "example.test", 587, "submit.example.test")
	code, out, errs := runDiscover(t, "ann@example.test", "--json", "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca)
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var got struct {
		Chosen struct {
			Candidate int
			Server    struct {
				Host, Security, Username string
				Port                     int
			}
		}
		Candidates []struct {
			Source, From string
		}
		Attempts []struct{ Source, Outcome string }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := got.Chosen.Server
	if s.Host != "smtp.example.test" || s.Port != 465 || s.Security != "tls" || s.Username != "ann" {
		t.Errorf("chosen %+v", got.Chosen)
	}
	if len(got.Candidates) != 2 || got.Candidates[0].Source != "autoconfig" || got.Candidates[1].Source != "srv" {
		t.Errorf("candidates %+v", got.Candidates)
	}
}

func TestAccountDiscoverNothingFound(t *testing.T) {
	n, ca := discoverNet(t)
	code, out, _ := runDiscover(t, "me@quiet.test", "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca)
	if code != exitFailure || !strings.Contains(out, "No usable settings found for me@quiet.test") {
		t.Fatalf("exit %d\n%s", code, out)
	}
}

func TestAccountDiscoverBadUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"me@example.test", "--resolver", "no-port"},
		{"me@example.test", "--ispdb", "ftp://x"},
		{"me@example.test", "--ca-file", "/nonexistent/ca.pem"},
		{"not-an-address"},
		{"me@example.test", "extra"},
	} {
		if code, _, errs := runDiscover(t, args...); code != exitUsage || errs == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errs)
		}
	}
}

func TestAccountDiscoverFlagsReachTheirServers(t *testing.T) {
	n, ca := discoverNet(t)
	n.File("ispdb.test", "/other/example.test", []byte(`<clientConfig><emailProvider id="x"><displayName>Hoster</displayName>
<outgoingServer type="smtp"><hostname>smtp.hoster.test</hostname><port>587</port><socketType>STARTTLS</socketType></outgoingServer>
</emailProvider></clientConfig>`))
	code, out, errs := runDiscover(t, "me@example.test", "--resolver", n.DNSAddr(), "--ispdb", "https://ispdb.test/other/", "--ca-file", ca)
	if code != exitOK || !strings.Contains(out, "smtp.hoster.test:587 (starttls), from the Thunderbird ISP database") {
		t.Fatalf("--ispdb: exit %d\n%s\n%s", code, out, errs)
	}
	for _, u := range n.Requests() {
		if strings.HasPrefix(u, "http:") {
			t.Fatalf("plain HTTP without --allow-http: %s", u)
		}
	}
	n.File("autoconfig.corp.test", "/mail/config-v1.1.xml", []byte(`<clientConfig><emailProvider id="x">
<outgoingServer type="smtp"><hostname>smtp.corp.test</hostname><port>465</port><socketType>SSL</socketType></outgoingServer>
</emailProvider></clientConfig>`))
	code, out, errs = runDiscover(t, "me@corp.test", "--allow-http", "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca)
	// The same file answers over HTTPS and HTTP: both are listed, HTTPS chosen.
	if code != exitOK || !strings.Contains(out, "Settings for me@corp.test: smtp.corp.test:465 (tls), from your provider's own settings file") ||
		!strings.Contains(out, "plain HTTP (unverified)") {
		t.Fatalf("--allow-http: exit %d\n%s\n%s", code, out, errs)
	}
}

// An ISP database over plain HTTP is refused unless --allow-http says the
// person accepts unverified answers (attack finding 5).
func TestAccountDiscoverRefusesAPlainHTTPISPDBWithoutAllowHTTP(t *testing.T) {
	_, ca := discoverNet(t)
	code, _, stderr := runDiscover(t, "me@example.test", "--ca-file", ca, "--resolver", "127.0.0.1:1", "--ispdb", "http://ispdb.test/v1.1/")
	if code != exitUsage || !strings.Contains(stderr, "--allow-http") {
		t.Errorf("exit %d, stderr %q; want the plain-HTTP ISPDB refused, naming --allow-http", code, stderr)
	}
}
