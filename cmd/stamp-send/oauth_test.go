package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"stamp/account"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
	"stamp/smtpclient/sandbox"
)

func init() {
	// No test ever starts a browser; the tests that sign in replace this
	// with the provider's login form driven over plain HTTP.
	openBrowser = func(string) error { return errors.New("tests never open a browser") }
}

// browserLogsIn makes the "browser" log in to srv as the test user,
// following the redirect back to stamp-send's listener.
func browserLogsIn(t *testing.T, srv *oauthtest.Server) {
	t.Helper()
	old := openBrowser
	openBrowser = func(u string) error {
		go srv.Login(context.Background(), u, srv.Username(), oauthtest.Password, true)
		return nil
	}
	t.Cleanup(func() { openBrowser = old })
}

// introspectingSandbox runs a sandbox SMTP server (TLS) that accepts the
// mechanisms' logins as mailbox only for tokens srv's introspection calls
// active, and returns it with the path of its CA file.
func introspectingSandbox(t *testing.T, srv *oauthtest.Server, mailbox string, mechanisms ...string) (*sandbox.Server, string) {
	t.Helper()
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.TLS, Username: mailbox, Mechanisms: mechanisms,
		CheckToken: func(ctx context.Context, user, token string) error { return srv.CheckBearer(ctx, mailbox, user, token) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, sb.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return sb, ca
}

func TestOAuthAccountAddSendRefreshRevokeLogin(t *testing.T) {
	const mailbox = "me@example.test"
	e := newAccountEnv(t)
	srv := oauthtest.Start(t)
	ctx := context.Background()
	sb, ca := introspectingSandbox(t, srv, mailbox, "XOAUTH2", "OAUTHBEARER")
	browserLogsIn(t, srv)

	code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", "Me <"+mailbox+">", "--server", sb.Addr(), "--security", "tls",
		"--ca-file", ca, "--oauth", "custom", "--client-id", oauthtest.ClientID, "--issuer", srv.Issuer, "--scopes", "openid offline_access")
	if code != exitOK {
		t.Fatalf("add --oauth: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"open this link in your browser", srv.Issuer + "/auth?", "Signed in with your provider", "system keyring"} {
		if !strings.Contains(out, want) {
			t.Errorf("add --oauth does not say %q:\n%s", want, out)
		}
	}
	refreshToken := func() string {
		rt, _, _, err := newSecrets().RefreshToken(ctx, e.name)
		if err != nil {
			t.Fatalf("the keyring holds no sign-in: %v", err)
		}
		return rt
	}
	rt1 := refreshToken()
	if !srv.RefreshTokenActive(ctx, rt1) {
		t.Fatal("the refresh token in the keyring is not the provider's")
	}
	code, out, _ = runCmd(t, "", "account", "show", e.name, "--json")
	if code != exitOK || !strings.Contains(out, `"oauth":{"provider":"custom","client_id":"`+oauthtest.ClientID+`"`) {
		t.Errorf("account show --json does not show the sign-in settings:\n%s", out)
	}
	code, out, _ = runCmd(t, "", "account", "show", e.name)
	if code != exitOK || !strings.Contains(out, "Sign-in:") || !strings.Contains(out, "issuer "+srv.Issuer) {
		t.Errorf("account show does not show the sign-in settings:\n%s", out)
	}

	send := func(subject string) (int, string) {
		code, _, errOut := runCmd(t, "", "--account", e.name, "--to", "bob@example.test", "--subject", subject, "--body", "Hello")
		if strings.Contains(errOut, rt1) || strings.Contains(errOut, refreshToken()) {
			t.Fatal("a refresh token is in the transcript")
		}
		return code, errOut
	}
	code, errOut = send("first")
	if code != exitOK || len(sb.Messages()) != 1 {
		t.Fatalf("send with the signed-in account: exit %d, %d messages\n%s", code, len(sb.Messages()), errOut)
	}
	for _, want := range []string{"=== renew the sign-in with", "-> AUTH XOAUTH2 ********", "<- 235"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the transcript lacks %q:\n%s", want, errOut)
		}
	}
	// account test logs in with a fresh token and sends nothing.
	code, out, errOut = runCmd(t, "", "account", "test", e.name)
	if code != exitOK || len(sb.Messages()) != 1 || !strings.Contains(errOut, "-> AUTH XOAUTH2 ********") {
		t.Fatalf("account test: exit %d, %d messages\n%s%s", code, len(sb.Messages()), out, errOut)
	}
	rt2 := refreshToken()
	if rt2 == rt1 || srv.RefreshTokenActive(ctx, rt1) || !srv.RefreshTokenActive(ctx, rt2) {
		t.Fatal("the rotated refresh token was not stored")
	}
	filepath.WalkDir(e.dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(path); strings.Contains(string(b), rt1) || strings.Contains(string(b), rt2) {
				t.Errorf("a refresh token is in %s", path)
			}
		}
		return nil
	})

	// Revoked on the provider: a clear "sign in again", nothing sent.
	if err := srv.RevokeRefreshToken(ctx, rt2); err != nil {
		t.Fatal(err)
	}
	code, errOut = send("revoked")
	if code != exitAuth || len(sb.Messages()) != 1 {
		t.Fatalf("send after revocation: exit %d (want %d), %d messages (want 1)\n%s", code, exitAuth, len(sb.Messages()), errOut)
	}
	for _, want := range []string{"sign in again", "stamp-send account login " + e.name} {
		if !strings.Contains(errOut, want) {
			t.Errorf("after revocation the output lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "=== connect") {
		t.Error("stamp-send connected to the server although the sign-in was gone")
	}
	code, _, errOut = runCmd(t, "", "account", "test", e.name)
	if code != exitAuth || !strings.Contains(errOut, "stamp-send account login "+e.name) {
		t.Fatalf("account test after revocation: exit %d (want %d)\n%s", code, exitAuth, errOut)
	}

	// account login signs in again; sending works again.
	code, out, errOut = runCmd(t, "", "account", "login", e.name)
	if code != exitOK || !strings.Contains(out, "Signed in") {
		t.Fatalf("account login: exit %d\n%s%s", code, out, errOut)
	}
	if code, errOut = send("again"); code != exitOK || len(sb.Messages()) != 2 {
		t.Fatalf("send after signing in again: exit %d, %d messages\n%s", code, len(sb.Messages()), errOut)
	}
}

func TestOAuthFlagsRefuseWhatCannotWork(t *testing.T) {
	e := newAccountEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--client-id", "x"}, "--client-id needs --oauth"},
		{[]string{"--oauth", "yahoo"}, "unknown sign-in provider"},
		{[]string{"--oauth", "google", "--device"}, "Google does not offer sign-in on another device"},
		{[]string{"--oauth", "custom", "--client-id", "c", "--issuer", "http://id.example.org", "--scopes", "smtp"}, "must use https"},
	} {
		args := append([]string{"account", "add", e.name, "--from", "me@example.test", "--server", "127.0.0.1:465"}, tc.args...)
		code, out, errOut := runCmd(t, "", args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, want %d and %q\n%s%s", tc.args, code, exitUsage, tc.want, out, errOut)
		}
	}
	if code, _, _ := runCmd(t, "", "account", "list"); code != exitOK {
		t.Fatal("account list failed")
	}
	code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", "me@example.test", "--server", "127.0.0.1:465")
	if code != exitOK {
		t.Fatalf("add a password account: %d %s%s", code, out, errOut)
	}
	code, _, errOut = runCmd(t, "", "account", "login", e.name)
	if code != exitUsage || !strings.Contains(errOut, "logs in with a password") {
		t.Errorf("login to a password account: exit %d\n%s", code, errOut)
	}
}

// codeWatcher is stdout for a device sign-in: it hands out the user code
// stamp-send prints.
type codeWatcher struct {
	mu   sync.Mutex
	buf  strings.Builder
	code chan string
	sent bool
}

var userCodeLine = regexp.MustCompile(`enter the code (\S+) `)

func (w *codeWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := userCodeLine.FindStringSubmatch(w.buf.String()); m != nil && !w.sent {
		w.sent = true
		w.code <- m[1]
	}
	return len(p), nil
}

func (w *codeWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestOAuthDeviceSignInWithClientSecretThenSend(t *testing.T) {
	if testing.Short() {
		t.Skip("the device grant polls every 5 s")
	}
	const mailbox = "me@example.test"
	e := newAccountEnv(t)
	srv := oauthtest.Start(t)
	ctx := context.Background()
	sb, ca := introspectingSandbox(t, srv, mailbox, "OAUTHBEARER")
	t.Setenv("STAMP_TEST_CLIENT_SECRET", oauthtest.DeviceClientSecret)

	out := &codeWatcher{code: make(chan string, 1)}
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"account", "add", e.name, "--from", mailbox, "--server", sb.Addr(), "--security", "tls", "--ca-file", ca,
			"--oauth", "custom", "--client-id", oauthtest.DeviceClientID, "--client-secret-env", "STAMP_TEST_CLIENT_SECRET",
			"--issuer", srv.Issuer, "--scopes", "openid,offline_access", "--device"}, strings.NewReader(""), out, &errOut)
	}()
	select {
	case code := <-out.code:
		if err := srv.ApproveDevice(ctx, code, true); err != nil {
			t.Fatalf("approve on the other device: %v", err)
		}
	case code := <-done:
		t.Fatalf("add --device ended (exit %d) without printing a code:\n%s%s", code, out, errOut.String())
	case <-time.After(time.Minute):
		t.Fatal("no user code within a minute")
	}
	select {
	case code := <-done:
		if code != exitOK || !strings.Contains(out.String(), "Signed in") {
			t.Fatalf("add --device: exit %d\n%s%s", code, out, errOut.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("the device sign-in did not finish within a minute")
	}
	if strings.Contains(out.String()+errOut.String(), oauthtest.DeviceClientSecret) {
		t.Fatal("the client secret was printed")
	}
	if raw, _ := os.ReadFile(filepath.Join(e.dir, account.FileName)); strings.Contains(string(raw), oauthtest.DeviceClientSecret) {
		t.Fatal("the client secret is in the settings file")
	}

	// The refresh before sending needs the client secret: from the keyring.
	code, _, sendErr := runCmd(t, "", "--account", e.name, "--to", "bob@example.test", "--subject", "device", "--body", "Hi", "--json")
	if code != exitOK || len(sb.Messages()) != 1 {
		t.Fatalf("send: exit %d, %d messages\n%s", code, len(sb.Messages()), sendErr)
	}
	if !strings.Contains(sendErr, `"step":"oauth-refresh"`) || !strings.Contains(sendErr, `"auth_used":"OAUTHBEARER"`) {
		t.Errorf("the --json events lack the refresh step or the OAUTHBEARER login:\n%s", sendErr)
	}
}

func TestOAuthAddWithoutAClientIDSavesNothing(t *testing.T) {
	if oauth.MicrosoftClientID != "" {
		t.Skip("this build has Stamp's Microsoft client ID; the test would reach Microsoft")
	}
	e := newAccountEnv(t)
	code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", "me@outlook.com", "--oauth", "microsoft")
	if code != exitUsage {
		t.Fatalf("add --oauth microsoft without a client ID: exit %d, want %d\n%s%s", code, exitUsage, out, errOut)
	}
	for _, want := range []string{"no client ID for Microsoft", "App registrations", "--client-id ID", "Nothing was saved"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the error lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out, "open this link") {
		t.Error("a sign-in started without a client ID")
	}
	if _, err := newAccountStoreFind(e.name); err == nil {
		t.Error("the account was saved although no sign-in can start")
	}
}

func newAccountStoreFind(id string) (account.Account, error) {
	st, err := openStore()
	if err != nil {
		return account.Account{}, err
	}
	return st.Find(id)
}
