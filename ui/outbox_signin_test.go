package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/outbox"
)

func TestARevokedSignInBlocksSendBeforeAnythingIsQueued(t *testing.T) {
	r := newOAuthRig(t)
	r.signIn(t)
	if err := r.srv.RevokeRefreshToken(context.Background(), r.refreshToken(t)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := test.NewTempApp(t)
	a.Preferences().SetInt(prefUndoDelay, 0)
	u, err := NewOutbox(a, OutboxOptions{
		Dir: filepath.Join(dir, "Outbox"), SentDir: filepath.Join(dir, "Sent"),
		Send:           &outbox.AccountSender{Store: r.store, Secrets: r.secrets, Manager: r.manager},
		Passwords:      NewOutboxPasswords(r.store, r.secrets),
		NetworkChanges: func(context.Context) <-chan struct{} { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	var signIns []Sender
	s := NewComposers(a, Options{DataDir: dir, Senders: func() []Sender { return []Sender{accountSender(r.acct)} },
		OAuth: NewOAuthAccounts(r.store, r.secrets, r.manager), SignIn: func(s Sender) { signIns = append(signIns, s) }, Outbox: u})
	s.lastClosed = func() {}
	u.Start()
	t.Cleanup(func() {
		u.Stop(10 * time.Second)
		s.Wait(10 * time.Second)
		for _, c := range s.all {
			if c.timer != nil {
				c.timer.Stop()
			}
		}
	})
	c := s.Start(nil)
	test.Type(c.To, "bob@example.net")
	test.Type(c.Subject, "Revoked")
	if v := checked(t, c); !v.needed || !c.SendButton.Disabled() || !strings.Contains(c.Status.Text, "Sign in again") {
		t.Fatalf("after revocation: needed %v, Send disabled %v, status %q", v.needed, c.SendButton.Disabled(), c.Status.Text)
	}
	c.TrySend() // Ctrl+Enter: not ready, says why
	if ids := queuedIDs(t, dir); len(ids) != 0 || c.sending || c.confirming {
		t.Fatalf("a message went into the outbox with a revoked sign-in: %v", ids)
	}
	if c.Subject.Text != "Revoked" {
		t.Fatal("the form was cleared")
	}
}
