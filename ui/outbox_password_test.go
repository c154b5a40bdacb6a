package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/outbox"
	"stamp/smtpclient/sandbox"
)

// untickSave clears "Save it in the system keyring" in the password
// prompt on w, once it shows.
func untickSave(t *testing.T, w fyne.Window) {
	t.Helper()
	var box *widget.Check
	waitFor(t, "the password prompt", func() bool {
		if top := w.Canvas().Overlays().Top(); top != nil {
			walk(top, func(o fyne.CanvasObject) {
				if c, ok := o.(*widget.Check); ok && strings.Contains(c.Text, "keyring") {
					box = c
				}
			})
		}
		return box != nil
	})
	box.SetChecked(false)
}

// passwordRig is the app's wiring for an account whose password the
// keyring does not have: a real AUTH server on 127.0.0.1, the outbox
// with AccountSender and OutboxPasswords over an in-memory keyring.
type passwordRig struct {
	srv *sandbox.Server
	kr  *account.MemoryKeyring
	sec *account.Secrets
	u   *Outbox
	s   *Composers
	p   *OutboxPasswords
	dir string
}

func newPasswordRig(t *testing.T, password string) *passwordRig {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Username: "me@example.com", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	store, _ := account.Open(t.TempDir())
	acct := account.Account{ID: "work", Address: "me@example.com", Host: srv.Host(), Port: srv.Port(), Security: account.SecurityNone}
	if err := store.Add(acct); err != nil {
		t.Fatal(err)
	}
	kr := account.NewMemoryKeyring()
	secrets := account.NewSecretsWith(kr)
	dir := t.TempDir()
	a := test.NewTempApp(t)
	a.Preferences().SetInt(prefUndoDelay, 0)
	passwords := NewOutboxPasswords(store, secrets)
	u, err := NewOutbox(a, OutboxOptions{
		Dir: filepath.Join(dir, "Outbox"), SentDir: filepath.Join(dir, "Sent"),
		Send:           &outbox.AccountSender{Store: store, Secrets: secrets},
		Passwords:      passwords,
		NetworkChanges: func(context.Context) <-chan struct{} { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	s := NewComposers(a, Options{DataDir: dir, Senders: func() []Sender { return []Sender{accountSender(acct)} }, Outbox: u})
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
	return &passwordRig{srv: srv, kr: kr, sec: secrets, u: u, s: s, p: passwords, dir: dir}
}

func TestAMissingPasswordIsAskedAtSendAndKeptInMemoryOnly(t *testing.T) {
	const password = "stamp-test-secret-outbox-pw"
	r := newPasswordRig(t, password)
	srv, kr, secrets, u, s, dir := r.srv, r.kr, r.sec, r.u, r.s, r.dir
	c := s.Start(nil)
	typeMessage(c, "Needs a password")
	c.TrySend()
	untickSave(t, c.Window)
	if ids := queuedIDs(t, dir); len(ids) != 0 {
		t.Fatal("the message was queued before the password was given")
	}
	answerPasswordPrompt(t, c.Window, password)
	waitFor(t, "the delivery", func() bool { return len(srv.Messages()) == 1 && len(queuedIDs(t, dir)) == 0 })
	if n := len(kr.Entries()); n != 0 {
		t.Fatalf("the keyring holds %d entries; the person chose not to save the password", n)
	}
	// Never on disk: not in the outbox, the drafts, the Sent copy.
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), password) {
				t.Errorf("%s holds the password", p)
			}
		}
		return nil
	})

	// A second message in this session goes without asking.
	typeMessage(c, "Second one")
	c.TrySend()
	waitFor(t, "the second delivery", func() bool { return len(srv.Messages()) == 2 })

	// After a restart the session's password is gone: a message queued
	// without it (by stamp-send, or an earlier run) needs attention, and
	// the Outbox window's action asks for it.
	secrets.ForgetSession("work")
	seen := notices(c)
	typeMessage(c, "After a restart")
	m, err := c.formMessage()
	if err != nil {
		t.Fatal(err)
	}
	n, err := outbox.FromCompose(m)
	if err != nil {
		t.Fatal(err)
	}
	n.Account = "work"
	if _, err := u.Box.Enqueue(n); err != nil { // as stamp-send --queue or an earlier run left it
		t.Fatal(err)
	}
	waitChange(t, seen, "needs attention", func(ch outbox.Change) bool { return ch.Record.State == outbox.NeedsAttention })
	if !strings.Contains(c.Notice.Text, "Enter the password and retry") {
		t.Fatalf("the notice does not say what to do: %q", c.Notice.Text)
	}
	w := u.showWindow(c)
	b := findButton(w.Window.Content(), "Enter the password and retry…")
	if b == nil {
		t.Fatalf("no way to enter the password in the Outbox window: %s", dialogText(w.Window.Content()))
	}
	test.Tap(b)
	untickSave(t, w.Window)
	answerPasswordPrompt(t, w.Window, password)
	waitFor(t, "the third delivery", func() bool { return len(srv.Messages()) == 3 && len(queuedIDs(t, dir)) == 0 })
}

func TestATickedPasswordGoesToTheKeyringOnceItWorkedAndARefusedOneIsAskedAgain(t *testing.T) {
	const password = "stamp-test-secret-outbox-pw"
	r := newPasswordRig(t, password)
	c := r.s.Start(nil)
	seen := notices(c)
	typeMessage(c, "Wrong password first")
	c.TrySend()
	answerPasswordPrompt(t, c.Window, "not-the-password") // "save it" stays ticked
	waitChange(t, seen, "the refused login", func(ch outbox.Change) bool { return ch.Record.State == outbox.NeedsAttention })
	if n := len(r.kr.Entries()); n != 0 {
		t.Fatal("a refused password reached the keyring")
	}
	if _, _, err := r.sec.Get(context.Background(), "work"); err == nil {
		t.Fatal("the refused password stayed in the session")
	}
	w := r.u.showWindow(c)
	test.Tap(findButton(w.Window.Content(), "Enter the password and retry…"))
	answerPasswordPrompt(t, w.Window, password) // ticked: saved once it works
	waitFor(t, "the delivery", func() bool { return len(r.srv.Messages()) == 1 && len(queuedIDs(t, r.dir)) == 0 })
	waitFor(t, "the password in the keyring", func() bool { return len(r.kr.Entries()) == 1 })
	var text string
	waitFor(t, "a word on where the password went", func() bool {
		text = ""
		if top := c.Window.Canvas().Overlays().Top(); top != nil {
			text = dialogText(top)
		}
		return strings.Contains(text, "saved in the system keyring")
	})
}
