package main

import (
	"context"
	"strings"
	"testing"

	"stamp/oauth/oauthtest"
)

// TestAttackAccountPasswordOverwritesTheSignIn: `stamp-send account
// password NAME` on an account that signs in with OAuth 2 is taken: the
// password replaces the refresh token in the keyring (the sign-in is lost
// without being revoked, and sending now says "sign in again"), where it
// should be refused ("NAME signs in with …; use account login").
func TestAttackAccountPasswordOverwritesTheSignIn(t *testing.T) {
	e := newAccountEnv(t)
	srv := oauthtest.Start(t)
	ctx := context.Background()
	_, ca := introspectingSandbox(t, srv, "me@example.test", "XOAUTH2")
	browserLogsIn(t, srv)
	code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", "me@example.test", "--server", "127.0.0.1:1", "--security", "tls",
		"--ca-file", ca, "--oauth", "custom", "--client-id", oauthtest.ClientID, "--issuer", srv.Issuer, "--scopes", "openid offline_access")
	if code != exitOK {
		t.Fatalf("add --oauth: exit %d\n%s%s", code, out, errOut)
	}
	rt, _, _, err := newSecrets().RefreshToken(ctx, e.name)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCmd(t, e.password(1)+"\n", "account", "password", e.name, "--password-stdin")
	t.Logf("account password: exit %d\n%s%s", code, out, errOut)
	after, _, _, err := newSecrets().RefreshToken(ctx, e.name)
	if err != nil || after != rt {
		t.Errorf("account password on an OAuth account (exit %d) replaced its sign-in in the keyring: %v", code, err)
	}
	if code == exitOK {
		t.Errorf("account password on an OAuth account succeeded; it should be refused")
	}
}

// TestAttackReplacingAnOAuthAccountWithAPasswordOneKeepsTheSignIn:
// `stamp-send account add NAME --replace` without --oauth turns a signed-in
// account into a password account. The refresh token stays in the keyring
// (not revoked, not deleted: the UI's saveWork deletes it in the same
// case), and stamp-send says "The password saved in the system keyring is
// kept" although there is no password, only the sign-in.
func TestAttackReplacingAnOAuthAccountWithAPasswordOneKeepsTheSignIn(t *testing.T) {
	e := newAccountEnv(t)
	srv := oauthtest.Start(t)
	ctx := context.Background()
	_, ca := introspectingSandbox(t, srv, "me@example.test", "XOAUTH2")
	browserLogsIn(t, srv)
	code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", "me@example.test", "--server", "127.0.0.1:1", "--security", "tls",
		"--ca-file", ca, "--oauth", "custom", "--client-id", oauthtest.ClientID, "--issuer", srv.Issuer, "--scopes", "openid offline_access")
	if code != exitOK {
		t.Fatalf("add --oauth: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "", "account", "add", e.name, "--replace", "--from", "me@example.test", "--server", "127.0.0.1:1",
		"--security", "tls", "--ca-file", ca)
	t.Logf("add --replace (password): exit %d\n%s%s", code, out, errOut)
	if strings.Contains(out, "password saved in the system keyring is kept") {
		t.Errorf("stamp-send says a password is kept; the keyring holds the old sign-in, not a password")
	}
	if _, _, _, err := newSecrets().RefreshToken(ctx, e.name); err == nil {
		t.Errorf("the account logs in with a password now, but its refresh token is still in the keyring")
	}
}
