package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"stamp/account"
	"stamp/oauth/oauthtest"
)

func TestOAuthLogoutRevokesAtTheProviderAndDeletesTheKeyringEntries(t *testing.T) {
	const mailbox = "me@example.test"
	e := newAccountEnv(t)
	srv := oauthtest.Start(t)
	ctx := context.Background()
	sb, ca := introspectingSandbox(t, srv, mailbox, "XOAUTH2")
	browserLogsIn(t, srv)
	code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", mailbox, "--server", sb.Addr(), "--security", "tls",
		"--ca-file", ca, "--oauth", "custom", "--client-id", oauthtest.ClientID, "--issuer", srv.Issuer, "--scopes", "openid offline_access")
	if code != exitOK {
		t.Fatalf("add --oauth: exit %d\n%s%s", code, out, errOut)
	}

	// --json shows the renewal of the sign-in as its own step.
	code, _, errOut = runCmd(t, "", "--account", e.name, "--to", "bob@example.test", "--subject", "json", "--body", "Hi", "--json")
	if code != exitOK || !strings.Contains(errOut, `"step":"oauth-refresh"`) {
		t.Fatalf("send --json: exit %d, want an oauth-refresh step event:\n%s", code, errOut)
	}
	rt, _, _, err := newSecrets().RefreshToken(ctx, e.name)
	if err != nil || !srv.RefreshTokenActive(ctx, rt) {
		t.Fatalf("no active sign-in in the keyring: %v", err)
	}
	if strings.Contains(errOut, rt) {
		t.Fatal("the --json events hold the refresh token")
	}

	code, out, errOut = runCmd(t, "", "account", "logout", e.name)
	if code != exitOK || !strings.Contains(out, "revoked the sign-in") || !strings.Contains(out, "stamp-send account login "+e.name) {
		t.Fatalf("account logout: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, rt) {
		t.Fatal("logout printed the refresh token")
	}
	if srv.RefreshTokenActive(ctx, rt) {
		t.Fatal("the provider still accepts the refresh token after logout")
	}
	if _, _, _, err := newSecrets().RefreshToken(ctx, e.name); !errors.Is(err, account.ErrNoSecret) {
		t.Fatalf("the keyring still holds the sign-in: %v", err)
	}
	if e.kr != nil && e.kr.Len() != 0 {
		t.Fatalf("%d keyring entries left after logout", e.kr.Len())
	}
	if code, out, _ := runCmd(t, "", "account", "show", e.name, "--json"); code != exitOK || !strings.Contains(out, `"provider":"custom"`) {
		t.Fatalf("the account's settings did not stay: exit %d\n%s", code, out)
	}

	// Sending now says sign in again, and nothing reaches the server.
	before := len(sb.Messages())
	code, _, errOut = runCmd(t, "", "--account", e.name, "--to", "bob@example.test", "--subject", "after", "--body", "Hi")
	if code != exitAuth || len(sb.Messages()) != before || !strings.Contains(errOut, "stamp-send account login "+e.name) {
		t.Fatalf("send after logout: exit %d (want %d), %d new messages\n%s", code, exitAuth, len(sb.Messages())-before, errOut)
	}

	// signout is the same command; a second one has nothing to revoke.
	code, out, errOut = runCmd(t, "", "account", "signout", e.name)
	if code != exitOK || !strings.Contains(out, "was not signed in") {
		t.Fatalf("account signout of a signed-out account: exit %d\n%s%s", code, out, errOut)
	}

	// A password account has no sign-in to end.
	code, _, _ = runCmd(t, "", "account", "add", e.name+"pw", "--from", "pw@example.test", "--server", "127.0.0.1:465")
	if code != exitOK {
		t.Fatal("add a password account")
	}
	if code, _, errOut := runCmd(t, "", "account", "logout", e.name+"pw"); code != exitUsage || !strings.Contains(errOut, "logs in with a password") {
		t.Fatalf("logout of a password account: exit %d\n%s", code, errOut)
	}
}
