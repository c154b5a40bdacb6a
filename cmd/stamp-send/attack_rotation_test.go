package main

import (
	"errors"
	"strings"
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
// says "sign in again": the sign-in was lost without a word. Now the
// loss cannot be avoided (the keyring refuses), but it is said.
func TestAttackRotationTheKeyringRefusedIsUsedAndLost(t *testing.T) {
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
	kr.FailSet = nil
	// The provider rotated the refresh token and the keyring refused the
	// new one: nothing can keep the sign-in for the next run. The mail is
	// sent (exit 0: a script must not send it twice), and the person is
	// told, on stderr, that the renewed sign-in was not saved.
	if code != exitOK || len(sb.Messages()) != 1 {
		t.Fatalf("send with the keyring refusing writes: exit %d, %d messages\n%s", code, len(sb.Messages()), errOut)
	}
	if !strings.Contains(errOut, "warning: the renewed sign-in") || !strings.Contains(errOut, "kept for this session only") ||
		!strings.Contains(errOut, "stamp-send account login "+e.name) {
		t.Errorf("stamp-send does not warn that the renewed sign-in was not saved:\n%s", errOut)
	}
}
