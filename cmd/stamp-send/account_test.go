package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/account"
	"stamp/smtpclient/sandbox"
)

// accountTestSecret is in every password these tests use, so
// scripts/test-keyring.sh can check that none leaks into output or files.
const accountTestSecret = "stamp-test-secret"

// accountEnv gives a test its own settings folder and keyring. Under
// scripts/test-keyring.sh (STAMP_REAL_KEYRING=1) the keyring is the real
// Secret Service; otherwise an in-memory one, so a developer's own keyring
// is never touched.
type accountEnv struct {
	dir  string
	kr   *account.MemoryKeyring // nil with the real keyring
	name string                 // a unique account name
}

func newAccountEnv(t *testing.T) *accountEnv {
	t.Helper()
	e := &accountEnv{dir: t.TempDir(), name: fmt.Sprintf("t%d", time.Now().UnixNano())}
	t.Setenv(account.ConfigDirEnv, e.dir)
	if os.Getenv("STAMP_REAL_KEYRING") != "1" {
		e.kr = account.NewMemoryKeyring()
		old := newSecrets
		newSecrets = func() *account.Secrets { return account.NewSecretsWith(e.kr) }
		t.Cleanup(func() { newSecrets = old })
	} else {
		t.Cleanup(func() { account.NewSecrets().Delete(context.Background(), e.name) })
	}
	return e
}

func (e *accountEnv) password(n int) string {
	return fmt.Sprintf("%s-%s-%d", accountTestSecret, e.name, n)
}

// noSecretIn fails when a password shows in the output or in a file under
// the settings folder.
func (e *accountEnv) noSecretIn(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, accountTestSecret) {
			t.Fatalf("a password was printed")
		}
	}
	filepath.WalkDir(e.dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), accountTestSecret) {
				t.Errorf("a password is in %s", path)
			}
		}
		return nil
	})
}

func TestAccountAddListShowRemove(t *testing.T) {
	e := newAccountEnv(t)
	pw := e.password(1)

	code, out, errOut := runCmd(t, pw+"\n", "account", "add", e.name, "--from", "Me Myself <me@gmail.com>", "--password-stdin", "--label", "Work")
	if code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"Gmail preset", "app password", "smtp.gmail.com:465", "Password saved in the system keyring"} {
		if !strings.Contains(out, want) {
			t.Errorf("add does not say %q:\n%s", want, out)
		}
	}
	e.noSecretIn(t, out, errOut)

	code, out, errOut = runCmd(t, "", "account", "list")
	if code != 0 || !strings.Contains(out, e.name) || !strings.Contains(out, "system keyring") || !strings.Contains(out, "*") {
		t.Errorf("list: exit %d\n%s%s", code, out, errOut)
	}
	e.noSecretIn(t, out, errOut)

	code, out, errOut = runCmd(t, "", "account", "show", "work") // by label, any case
	if code != 0 || !strings.Contains(out, `"Me Myself" <me@gmail.com>`) || !strings.Contains(out, "Password:   system keyring") {
		t.Errorf("show: exit %d\n%s%s", code, out, errOut)
	}
	e.noSecretIn(t, out, errOut)

	code, out, _ = runCmd(t, "", "account", "list", "--json")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &v) != nil ||
		v["password_location"] != "system keyring" || v["host"] != "smtp.gmail.com" || v["default"] != true {
		t.Errorf("list --json: exit %d, %v", code, v)
	}

	code, out, errOut = runCmd(t, "", "account", "remove", e.name)
	if code != 0 || !strings.Contains(out, "Removed") {
		t.Fatalf("remove: exit %d\n%s%s", code, out, errOut)
	}
	if loc, err := newSecrets().Location(context.Background(), e.name); loc != account.LocationNone || err != nil {
		t.Errorf("after remove the password is still in %v (%v)", loc, err)
	}
	if _, out, _ := runCmd(t, "", "account", "list"); !strings.Contains(out, "No saved accounts") {
		t.Errorf("after remove, list says:\n%s", out)
	}
}

func TestAccountAddRefusals(t *testing.T) {
	e := newAccountEnv(t)
	if code, _, _ := runCmd(t, "", "account", "add", e.name, "--from", "me@example.org", "--server", "smtp.example.org"); code != 0 {
		t.Fatalf("setup add failed: %d", code)
	}
	tests := []struct {
		name string
		args []string
		says string
	}{
		{"a password given as a flag value is refused", []string{"add", "x", "--from", "me@example.org", "--password", "hunter2"}, "never taken from a flag"},
		{"a second account with the same name is refused", []string{"add", e.name, "--from", "me@example.org", "--server", "smtp.example.org"}, "--replace"},
		{"an account without --from is refused", []string{"add", "x"}, "--from"},
		{"an account without a name is refused", []string{"add", "--from", "me@example.org"}, "NAME is missing"},
		{"a password over plain text to a remote server is refused", []string{"add", "x", "--from", "me@example.org", "--server", "smtp.example.org:25", "--security", "none"}, "anyone on the network"},
		{"a security mode the provider does not offer is refused", []string{"add", "x", "--from", "me@icloud.com", "--security", "tls"}, "iCloud Mail offers smtp.mail.me.com:587 (starttls)"},
		{"an unknown subcommand is refused", []string{"rename", "x"}, "unknown command"},
		{"showing an unknown account is refused", []string{"show", "nobody"}, "no such account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, "", append([]string{"account"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(errOut, tt.says) {
				t.Errorf("exit %d, want 2 saying %q\n%s%s", code, tt.says, out, errOut)
			}
		})
	}
	t.Run("--replace replaces the account", func(t *testing.T) {
		code, _, errOut := runCmd(t, "", "account", "add", e.name, "--from", "other@example.org", "--server", "mail.example.org:587", "--replace")
		if code != 0 {
			t.Fatalf("exit %d %s", code, errOut)
		}
		if _, out, _ := runCmd(t, "", "account", "show", e.name); !strings.Contains(out, "mail.example.org:587") {
			t.Errorf("show after --replace:\n%s", out)
		}
	})
}

func TestAccountAddForUnknownDomainSaysItIsAGuess(t *testing.T) {
	newAccountEnv(t)
	// Discovery's own check finds nothing there (no network in tests):
	// the unchecked guess needs --accept-warnings.
	code, out, errOut := runCmd(t, "", "account", "add", "guess", "--from", "me@example.org", "--accept-warnings")
	if code != 0 || !strings.Contains(out, "GUESS") || !strings.Contains(out, "smtp.example.org:465 (tls), then smtp.example.org:587 (starttls)") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestAccountAddForChineseProviderPrintsTheChecklistInBothLanguages(t *testing.T) {
	newAccountEnv(t)
	code, out, _ := runCmd(t, "", "account", "add", "qq", "--from", "12345@qq.com")
	if code != 0 || !strings.Contains(out, "授权码") || !strings.Contains(out, "authorization code") || !strings.Contains(out, "发件人") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestAccountPasswordWhenTheKeyringIsUnavailable(t *testing.T) {
	e := newAccountEnv(t)
	if e.kr == nil {
		t.Skip("needs the in-memory keyring to simulate a locked one")
	}
	e.kr.Fail = &account.KeyringUnavailableError{Reason: account.ReasonLocked}
	code, out, errOut := runCmd(t, e.password(1)+"\n", "account", "add", e.name, "--from", "me@gmail.com", "--password-stdin")
	if code != exitFailure || !strings.Contains(errOut, "NOT saved") || !strings.Contains(errOut, "locked") {
		t.Errorf("exit %d, want 1 saying the password was not saved\n%s%s", code, out, errOut)
	}
	if _, out, _ := runCmd(t, "", "account", "list"); !strings.Contains(out, "unknown (keyring unavailable)") {
		t.Errorf("list does not say the keyring is unavailable:\n%s", out)
	}
	e.noSecretIn(t, out, errOut)

	// Removing the account still works; a locked keyring is reported.
	code, out, errOut = runCmd(t, "", "account", "remove", e.name)
	if code != exitFailure || !strings.Contains(out, "Removed account") || !strings.Contains(errOut, "may still be in the system keyring") {
		t.Errorf("remove with a locked keyring: exit %d\n%s%s", code, out, errOut)
	}
	// With no keyring service at all there is nothing to leave behind.
	e.kr.Fail = &account.KeyringUnavailableError{Reason: account.ReasonNoService}
	runCmd(t, "", "account", "add", "other", "--from", "me@gmail.com")
	if code, out, errOut := runCmd(t, "", "account", "remove", "other"); code != 0 || errOut != "" {
		t.Errorf("remove without a keyring service: exit %d\n%s%s", code, out, errOut)
	}
}

func TestAccountBrokenSettingsFile(t *testing.T) {
	e := newAccountEnv(t)
	path := filepath.Join(e.dir, account.FileName)
	os.WriteFile(path, []byte("{not json"), 0o600)
	code, _, errOut := runCmd(t, "", "account", "list")
	if code == 0 || !strings.Contains(errOut, "stamp-send account reset") {
		t.Fatalf("list on a broken file: exit %d\n%s", code, errOut)
	}
	code, out, errOut := runCmd(t, "", "account", "reset")
	if code != 0 || !strings.Contains(out, account.FileName+".broken-") {
		t.Fatalf("reset: exit %d\n%s%s", code, out, errOut)
	}
	kept, _ := filepath.Glob(path + ".broken-*")
	if len(kept) != 1 {
		t.Fatalf("kept files: %v", kept)
	}
	if b, _ := os.ReadFile(kept[0]); string(b) != "{not json" {
		t.Errorf("the kept file holds %q", b)
	}
	if code, _, _ := runCmd(t, "", "account", "list"); code != 0 {
		t.Errorf("list after reset: exit %d", code)
	}
}

func TestAccountFillsTheSendOptions(t *testing.T) {
	e := newAccountEnv(t)
	pw := e.password(1)
	if code, _, errOut := runCmd(t, pw+"\n", "account", "add", e.name, "--from", "Me <me@example.org>", "--server", "smtp.example.org:587",
		"--user", "login-me", "--auth", "login", "--password-stdin"); code != 0 {
		t.Fatalf("add: %s", errOut)
	}
	msg := []string{"--to", "you@example.net", "--subject", "hi", "--body", "hello"}

	t.Run("settings and the keyring password fill what the flags leave empty", func(t *testing.T) {
		got, _ := captureSend(t)
		if code, _, errOut := runCmd(t, "", append([]string{"--account", e.name}, msg...)...); code != 0 {
			t.Fatalf("exit %d %s", code, errOut)
		}
		if got.Host != "smtp.example.org" || got.Port != 587 || got.Security != "starttls" || got.User != "login-me" ||
			got.Auth != "login" || got.From != `"Me" <me@example.org>` || got.Password != pw {
			t.Errorf("options: host %q port %d security %q user %q auth %q from %q password match %v",
				got.Host, got.Port, got.Security, got.User, got.Auth, got.From, got.Password == pw)
		}
	})
	t.Run("flags on the command line win over the account", func(t *testing.T) {
		got, _ := captureSend(t)
		t.Setenv("OTHER_PW", e.password(2))
		code, _, errOut := runCmd(t, "", append([]string{"--account", e.name, "--server", "relay.example.org:2525", "--from", "alias@example.org",
			"--password-env", "OTHER_PW"}, msg...)...)
		if code != 0 {
			t.Fatalf("exit %d %s", code, errOut)
		}
		if got.Host != "relay.example.org" || got.Port != 2525 || got.From != "alias@example.org" || got.Password != e.password(2) {
			t.Errorf("options: host %q port %d from %q password match %v", got.Host, got.Port, got.From, got.Password == e.password(2))
		}
	})
	t.Run("a dry run needs no password", func(t *testing.T) {
		if e.kr != nil {
			e.kr.Fail = &account.KeyringUnavailableError{Reason: account.ReasonNoService}
			defer func() { e.kr.Fail = nil }()
		}
		code, out, errOut := runCmd(t, "", append([]string{"--account", e.name, "--dry-run"}, msg...)...)
		if code != 0 || !strings.Contains(out, "From: Me <me@example.org>") {
			t.Errorf("exit %d\n%s", code, errOut)
		}
	})
	t.Run("an unknown account is a usage error", func(t *testing.T) {
		if code, _, errOut := runCmd(t, "", append([]string{"--account", "nobody"}, msg...)...); code != exitUsage || !strings.Contains(errOut, "no such account") {
			t.Errorf("exit %d %s", code, errOut)
		}
	})
	t.Run("no saved password says how to give one", func(t *testing.T) {
		runCmd(t, "", "account", "add", "nopw", "--from", "me@example.org", "--server", "smtp.example.org")
		defer runCmd(t, "", "account", "remove", "nopw")
		code, _, errOut := runCmd(t, "", append([]string{"--account", "nopw"}, msg...)...)
		if code != exitUsage || !strings.Contains(errOut, "--password-stdin") {
			t.Errorf("exit %d %s", code, errOut)
		}
	})
}

// sandboxAccount starts a TLS sandbox that wants a login and saves an
// account for it.
func sandboxAccount(t *testing.T, e *accountEnv) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.TLS, Username: "alice", Password: e.password(1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, srv.CAPEM(), 0o600)
	code, out, errOut := runCmd(t, e.password(1)+"\n", "account", "add", e.name, "--from", "Alice <alice@example.org>",
		"--server", srv.Addr(), "--security", "tls", "--ca-file", ca, "--user", "alice", "--password-stdin")
	if code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errOut)
	}
	return srv
}

func TestAccountTestAgainstTheSandbox(t *testing.T) {
	e := newAccountEnv(t)
	sandboxAccount(t, e)

	code, out, errOut := runCmd(t, "", "account", "test", e.name, "--timeout", "5s")
	if code != 0 || !strings.Contains(out, "works") || !strings.Contains(out, "logged in as alice") || !strings.Contains(out, "TLS 1.3") {
		t.Fatalf("test: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "-> AUTH") || !strings.Contains(errOut, "<- 235") {
		t.Errorf("the transcript does not show the login:\n%s", errOut)
	}
	e.noSecretIn(t, out, errOut)

	// A wrong password: exit 4, explained, still no secret in the output.
	if code, _, errOut := runCmd(t, e.password(9)+"\n", "account", "password", e.name, "--password-stdin"); code != 0 {
		t.Fatalf("password: exit %d %s", code, errOut)
	}
	code, out, errOut = runCmd(t, "", "account", "test", e.name, "--timeout", "5s")
	if code != exitAuth || !strings.Contains(errOut, "535") {
		t.Errorf("test with a wrong password: exit %d, want 4\n%s%s", code, out, errOut)
	}
	e.noSecretIn(t, out, errOut)
}

func TestAccountTestNamesTheGuessWhenItFails(t *testing.T) {
	e := newAccountEnv(t)
	// A guessed account for a name that cannot resolve (RFC 6761 .invalid).
	runCmd(t, "", "account", "add", e.name, "--from", "me@nowhere.invalid", "--auth", "none", "--accept-warnings")
	code, _, errOut := runCmd(t, "", "account", "test", e.name, "--timeout", "2s", "--quiet")
	if code != exitConnect || !strings.Contains(errOut, "were a guess") || !strings.Contains(errOut, "smtp.nowhere.invalid:587 (starttls)") {
		t.Errorf("exit %d, want 3 naming the other guesses\n%s", code, errOut)
	}
}

func TestAccountSendsThroughTheSandbox(t *testing.T) {
	e := newAccountEnv(t)
	srv := sandboxAccount(t, e)
	code, out, errOut := runCmd(t, "", "--account", e.name, "--to", "bob@example.net", "--subject", "via account", "--body", "hello", "--timeout", "5s")
	if code != 0 {
		t.Fatalf("send: exit %d\n%s%s", code, out, errOut)
	}
	msgs, err := srv.Wait(context.Background(), 1)
	if err != nil || len(msgs) != 1 || msgs[0].User != "alice" || msgs[0].From != "alice@example.org" || !msgs[0].TLS {
		t.Fatalf("the sandbox got %+v, %v", msgs, err)
	}
	if !strings.Contains(string(msgs[0].Data), "From: Alice <alice@example.org>") {
		t.Errorf("the From header is not the account's:\n%s", msgs[0].Data)
	}
	e.noSecretIn(t, out, errOut)
}

func TestAccountAddProbeSavesNothingWhenNoGuessAnswers(t *testing.T) {
	newAccountEnv(t)
	var dialed []string
	old := accountDialer
	accountDialer = func(ctx context.Context, network, address string) (net.Conn, error) {
		dialed = append(dialed, address)
		return nil, errors.New("connection refused")
	}
	defer func() { accountDialer = old }()
	code, out, errOut := runCmd(t, "", "account", "add", "guess", "--from", "me@example.org", "--probe", "--timeout", "2s")
	if code != exitConnect || !strings.Contains(errOut, "smtp.example.org:465 (tls): ") ||
		!strings.Contains(errOut, "smtp.example.org:587 (starttls): ") || !strings.Contains(errOut, "Nothing was saved") {
		t.Errorf("exit %d, want 3 listing both guesses\n%s%s", code, out, errOut)
	}
	if strings.Join(dialed, " ") != "smtp.example.org:465 smtp.example.org:587" {
		t.Errorf("dialled %q, want 465 then 587", dialed)
	}
	if _, out, _ := runCmd(t, "", "account", "list"); !strings.Contains(out, "No saved accounts") {
		t.Errorf("an account was saved anyway:\n%s", out)
	}
}
