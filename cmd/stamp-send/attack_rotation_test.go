package main

import (
	"context"
	"errors"
	"os"
	"testing"

	"stamp/account"
	"stamp/oauth/oauthtest"
)

// TestAttackRotationTheKeyringRefusedIsUsedAndLost: stamp-send sends while
// the keyring refuses writes (a collection that locks between the read and
// the write; the account package's LimitedKeyring with FailSet). The
// provider rotates the refresh token; the new one cannot be saved, so
// Secrets keeps it "for this session" — in a process that ends right after
// the send. The access token is used anyway, the old refresh token in the
// keyring is already dead at the provider, and the next stamp-send run
// says "sign in again": the sign-in was lost without a word.
func TestAttackRotationTheKeyringRefusedIsUsedAndLost(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack finding 6")
	}
	const mailbox = "me@example.test"
	e := newAccountEnv(t)
	kr := account.NewLimitedKeyring()
	old := newSecrets
	newSecrets = func() *account.Secrets { return account.NewSecretsWith(kr) }
	t.Cleanup(func() { newSecrets = old })
	srv := oauthtest.Start(t)
	sb, ca := introspectingSandbox(t, srv, mailbox, "XOAUTH2")
	browserLogsIn(t, srv)
	code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", mailbox, "--server", sb.Addr(), "--security", "tls",
		"--ca-file", ca, "--oauth", "custom", "--client-id", oauthtest.ClientID, "--issuer", srv.Issuer, "--scopes", "openid offline_access")
	if code != exitOK {
		t.Fatalf("add --oauth: exit %d\n%s%s", code, out, errOut)
	}
	kr.FailSet = errors.New("org.freedesktop.Secret.Error.IsLocked: collection is locked")
	code, _, errOut = runCmd(t, "", "--account", e.name, "--to", "bob@example.test", "--subject", "one", "--body", "Hello")
	t.Logf("send with the keyring refusing writes: exit %d, %d messages\n%s", code, len(sb.Messages()), errOut)
	kr.FailSet = nil
	rt, _, _, err := newSecrets().RefreshToken(context.Background(), e.name)
	if err != nil || !srv.RefreshTokenActive(context.Background(), rt) {
		t.Fatalf("after a send that exited %d the keyring holds a refresh token the provider no longer knows: the sign-in is lost (sent %d)", code, len(sb.Messages()))
	}
}
