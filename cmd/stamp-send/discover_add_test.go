package main

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"stamp/account"
	"strings"
	"testing"

	"stamp/discover/discovertest"
	"stamp/smtpclient/sandbox"
)

// TestMain keeps every lookup of `account add` and `account discover` on
// this machine: a test that gives no --resolver meets a DNS server that
// is not there, and a dial that the test did not point at its loopback
// servers is refused. No test asks a real DNS or web server.
func TestMain(m *testing.M) {
	discoverResolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no DNS in tests")
	}}
	discoverDial = func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no network in tests")
	}
	// The tests read stamp-send's English whatever this machine's language;
	// lang_test.go sets its own.
	os.Unsetenv("LANGUAGE")
	os.Setenv("LC_ALL", "C.UTF-8")
	// A send that succeeds learns its recipients into the contacts: never
	// into the person's own settings folder.
	if os.Getenv(account.ConfigDirEnv) == "" {
		dir, err := os.MkdirTemp("", "stamp-send-test-config-")
		if err != nil {
			panic(err)
		}
		os.Setenv(account.ConfigDirEnv, dir)
		code := m.Run()
		os.RemoveAll(dir)
		os.Exit(code)
	}
	os.Exit(m.Run())
}

const exampleTestConfig = `<clientConfig version="1.1"><emailProvider id="example.test">
<displayName>Example Mail</displayName>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
<authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></outgoingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>587</port><socketType>STARTTLS</socketType>
<authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></outgoingServer>
</emailProvider></clientConfig>`

// addWithLookups runs `account add` with the lookups pointed at n.
func addWithLookups(t *testing.T, n *discovertest.Net, ca string, args ...string) (int, string, string) {
	t.Helper()
	args = append([]string{"account", "add"}, args...)
	return runCmd(t, "", append(args, "--resolver", n.DNSAddr(), "--ispdb", discovertest.ISPDB, "--ca-file", ca)...)
}

func TestAccountAddUsesTheDomainsAutoconfigFile(t *testing.T) {
	n, ca := discoverNet(t)
	newAccountEnv(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(exampleTestConfig))
	code, out, errs := addWithLookups(t, n, ca, "work", "--from", "Ann <ann@example.test>")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		"Found settings for ann@example.test: smtp.example.test:465 (tls), from your provider's own settings file (autoconfig.example.test) — Example Mail\n",
		"where: https://autoconfig.example.test/mail/config-v1.1.xml",
		"Saved account \"work\": ann@example.test via smtp.example.test:465",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("add does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "GUESS") || strings.Contains(out, " ! ") {
		t.Errorf("settings from the domain's own file are shown as a guess or with warnings:\n%s", out)
	}
	_, show, _ := runCmd(t, "", "account", "show", "work", "--json")
	if !strings.Contains(show, `"host":"smtp.example.test","port":465,"security":"tls","username":"ann"`) {
		t.Errorf("saved settings:\n%s", show)
	}
}

func TestAccountAddRefusesAnotherDomainWithoutAcceptWarnings(t *testing.T) {
	n, ca := discoverNet(t)
	newAccountEnv(t)
	n.MX("corp.test", 0, "corp-test.mail.protection.outlook.com")
	code, out, errs := addWithLookups(t, n, ca, "corp", "--from", "me@corp.test")
	if code != exitUsage || !strings.Contains(out, "your domain's mail is handled by Microsoft 365 (MX)") ||
		!strings.Contains(out, "! smtp.office365.com is outside your address's domain") ||
		!strings.Contains(errs, "--accept-warnings") || !strings.Contains(errs, "Nothing was saved") {
		t.Fatalf("exit %d, want 2 with the warning and the way on\n%s\n%s", code, out, errs)
	}
	if _, list, _ := runCmd(t, "", "account", "list"); !strings.Contains(list, "No saved accounts") {
		t.Fatalf("an account was saved anyway:\n%s", list)
	}
	code, out, errs = addWithLookups(t, n, ca, "corp", "--from", "me@corp.test", "--accept-warnings")
	if code != exitOK || !strings.Contains(out, "Saved account \"corp\": me@corp.test via smtp.office365.com:587") ||
		!strings.Contains(out, "Where the settings came from: your domain's mail is handled by Microsoft 365 (MX)") {
		t.Fatalf("with --accept-warnings: exit %d\n%s\n%s", code, out, errs)
	}
}

func TestAccountAddNeverSavesAPlainServerFromDiscovery(t *testing.T) {
	n, ca := discoverNet(t)
	newAccountEnv(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(`<clientConfig><emailProvider id="x">
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>25</port><socketType>plain</socketType></outgoingServer>
</emailProvider></clientConfig>`))
	for _, extra := range [][]string{nil, {"--accept-warnings"}} {
		code, out, errs := addWithLookups(t, n, ca, append([]string{"plain", "--from", "me@example.test"}, extra...)...)
		if code != exitUsage || !strings.Contains(errs, "smtp.example.test:25 (none)") || !strings.Contains(errs, "no encryption") || !strings.Contains(errs, "Nothing was saved") {
			t.Errorf("%q: exit %d, want 2 naming the plain server\n%s\n%s", extra, code, out, errs)
		}
	}
	if _, list, _ := runCmd(t, "", "account", "list"); !strings.Contains(list, "No saved accounts") {
		t.Fatalf("an account was saved anyway:\n%s", list)
	}
}

// Nothing is published and discovery's own connection check finds no
// server where the guess points: the unchecked guess is not saved without
// --accept-warnings (a guess that answered needs it too); with it, it is
// saved, marked GUESS.
func TestAccountAddFallsBackToTheMarkedGuessWhenNothingIsFound(t *testing.T) {
	n, ca := discoverNet(t)
	newAccountEnv(t)
	code, out, errs := addWithLookups(t, n, ca, "quiet", "--from", "me@quiet.test")
	if code != exitUsage || !strings.Contains(out, "! smtp.quiet.test:465 (tls): ") || !strings.Contains(errs, "--accept-warnings") ||
		!strings.Contains(errs, "Nothing was saved") {
		t.Fatalf("exit %d, want the dead guess refused (exit %d)\n%s\n%s", code, exitUsage, out, errs)
	}
	if _, list, _ := runCmd(t, "", "account", "list"); !strings.Contains(list, "No saved accounts") {
		t.Fatalf("an account was saved anyway:\n%s", list)
	}
	code, out, errs = addWithLookups(t, n, ca, "quiet", "--from", "me@quiet.test", "--accept-warnings")
	if code != exitOK || !strings.Contains(out, "No settings published for quiet.test") || !strings.Contains(out, "GUESS") ||
		!strings.Contains(out, "smtp.quiet.test:465 (tls), then smtp.quiet.test:587 (starttls)") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
}

func TestAccountAddForAPresetDomainAsksNoNetwork(t *testing.T) {
	n, ca := discoverNet(t)
	newAccountEnv(t)
	code, out, errs := addWithLookups(t, n, ca, "g", "--from", "me@gmail.com")
	if code != exitOK || !strings.Contains(out, "Settings from the Gmail preset") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if q, r, d := n.DNSQueries(), n.Requests(), n.Dials(); q != 0 || len(r) != 0 || len(d) != 0 {
		t.Errorf("a preset domain asked the network: %d DNS questions, requests %q, dials %q", q, r, d)
	}
}

func TestAccountAddProbeTriesTheDiscoveredServers(t *testing.T) {
	n, _ := discoverNet(t)
	newAccountEnv(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(exampleTestConfig))
	// Nothing listens on 465; a STARTTLS server answers on 587.
	srv := n.SMTPServer("smtp.example.test", 587, sandbox.Options{Security: sandbox.STARTTLS})
	both := filepath.Join(t.TempDir(), "both.pem")
	if err := os.WriteFile(both, append(append([]byte{}, n.CAPEM()...), srv.CAPEM()...), 0o600); err != nil {
		t.Fatal(err)
	}
	old := accountDialer
	accountDialer = n.Dial
	t.Cleanup(func() { accountDialer = old })
	code, out, errs := addWithLookups(t, n, both, "probe", "--from", "ann@example.test", "--probe", "--timeout", "5s")
	if code != exitOK || !strings.Contains(out, "Saved account \"probe\": ann@example.test via smtp.example.test:587 (") {
		t.Fatalf("exit %d, want the answering 587 saved\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "smtp.example.test:465") {
		t.Errorf("465 was not tried first:\n%s", errs)
	}
}
