package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	gomail "github.com/emersion/go-message/mail"

	"stamp/account"
	"stamp/oauth"
	"stamp/smtpclient"
)

// useLockedKeyring gives the rig a keyring that refuses every call, as a
// locked GNOME Keyring whose prompt nobody answers does: sign-ins are kept
// for this session only.
func (r *oauthRig) useLockedKeyring() {
	kr := account.NewMemoryKeyring()
	kr.Fail = errors.New("org.freedesktop.Secret.Error.IsLocked: the collection is locked")
	r.secrets = account.NewSecretsWith(kr)
	r.manager = oauth.NewManager(r.secrets)
	r.locked = true
}

// After Sign out in the Accounts window (the app's one oauth.Manager, as
// cmd/stamp wires it), the composer says "Sign in…" before Send and
// nothing more reaches the server: the real provider and the sandbox,
// deliveries counted.
func TestSignOutInTheAccountsWindowStopsTheComposerSending(t *testing.T) {
	for _, locked := range []bool{false, true} {
		name := "keyring"
		if locked {
			name = "locked keyring, signed in for this session"
		}
		t.Run(name, func(t *testing.T) {
			r := newOAuthRig(t)
			if locked {
				r.useLockedKeyring()
			}
			r.signIn(t)
			var signIns []Sender
			c, _ := r.composer(t, &signIns)
			if v := checked(t, c); v.needed {
				t.Fatalf("a working sign-in: %s", v.why)
			}
			done := sendsDone(c)
			test.Type(c.To, "bob@example.net")
			test.Type(c.Subject, "Before signing out")
			test.Tap(c.SendButton)
			waitDone(t, done)
			msgs := r.sb.Messages()
			if len(msgs) != 1 {
				t.Fatalf("signed in, the sandbox holds %d messages, want 1 (%s)", len(msgs), c.panel.Outcome.Text)
			}
			mr, err := gomail.CreateReader(bytes.NewReader(msgs[0].Data))
			if err != nil {
				t.Fatal(err)
			}
			if subj, _ := mr.Header.Subject(); subj != "Before signing out" {
				t.Fatalf("the message arrived with the subject %q", subj)
			}
			logins := r.logins.Load()

			w := NewAccountsWindowWith(c.app, r.store, r.secrets, AccountsOptions{OAuth: r.manager})
			t.Cleanup(func() { w.Window.Close() })
			w.OnChanged = c.ReloadSenders
			w.Edit(r.acct.ID)
			w.SignOut(r.acct.ID)
			waitFor(t, "the sign-out", func() bool {
				return !w.SignOutButton.Disabled() && w.SignedIn.Text != "Signing out…"
			})
			waitFor(t, "the composer to say Sign in", func() bool {
				return c.signIn.verdicts[r.acct.ID].first && c.signIn.bar.Visible()
			})
			saveShot(t, c.Window, "oauth-signed-out-"+map[bool]string{false: "keyring", true: "locked"}[locked])
			if c.signIn.button.Text != "Sign in…" || !strings.Contains(c.signIn.text.Text, "not signed in") {
				t.Fatalf("after signing out the composer shows %q with the button %q", c.signIn.text.Text, c.signIn.button.Text)
			}
			if !c.SendButton.Disabled() || !strings.Contains(c.Status.Text, "Sign in to send") {
				t.Fatalf("Send is enabled (%v) and the status says %q", !c.SendButton.Disabled(), c.Status.Text)
			}
			c.TrySend() // Ctrl+Enter
			if c.sending {
				t.Fatal("a send started after signing out")
			}

			// The send path itself refuses too (stamp-send's, and the
			// composer's when its check has not run yet).
			sess := r.manager.Session(r.acct.ID, mustProvider(t, r))
			cfg := r.acct.SMTPConfig(account.Credential{})
			env := smtpclient.Envelope{From: oauthMailbox, To: []string{"bob@example.net"}}
			_, err = oauth.Send(context.Background(), sess, cfg, env, smtpclient.Bytes("Subject: after\r\n\r\nno\r\n"), nil)
			if !errors.Is(err, oauth.ErrSignInAgain) {
				t.Fatalf("oauth.Send after signing out: %v, want sign in again", err)
			}
			if n, m := r.logins.Load(), len(r.sb.Messages()); n != logins || m != 1 {
				t.Fatalf("after signing out the sandbox saw %d more logins and holds %d messages, want none more and 1",
					n-logins, m)
			}
			if _, _, _, err := r.secrets.RefreshToken(context.Background(), r.acct.ID); err == nil {
				t.Fatal("the sign-in is still kept after signing out")
			}
		})
	}
}

func mustProvider(t *testing.T, r *oauthRig) *oauth.Provider {
	t.Helper()
	p, err := oauth.ProviderFor(context.Background(), r.acct, r.secrets, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
