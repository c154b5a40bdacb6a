package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/smtpclient"
)

// flakyPasswordComposer sends to the sandbox with a wrong password on the
// first attempt and the right one afterwards (the person fixed it).
func flakyPasswordComposer(t *testing.T) (*Composer, *Sandbox) {
	t.Helper()
	data := t.TempDir()
	sb, err := StartSandbox(context.Background(), filepath.Join(data, "Sandbox"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	var calls atomic.Int32
	config := func(context.Context, Sender, fyne.Window) (smtpclient.Config, func(bool), error) {
		cfg := sb.Config()
		if calls.Add(1) == 1 {
			cfg.Password = "wrong"
		}
		return cfg, nil, nil
	}
	c := NewComposer(test.NewTempApp(t), Options{
		DataDir: data,
		Senders: func() []Sender { return []Sender{sb.Sender()} },
		Send:    PanelSend(config, filepath.Join(data, "Sent")),
	})
	t.Cleanup(func() {
		if !c.Wait(10 * time.Second) { // a send or its Sent copy may still write into data
			t.Error("a send or its Sent copy was still under way 10 s after the test")
		}
		if c.timer != nil {
			c.timer.Stop()
		}
	})
	return c, sb
}

func TestRetrySendsTheMessageAsItIsNowWithAFreshLogin(t *testing.T) {
	c, sb := flakyPasswordComposer(t)
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "Version one")
	test.Type(c.Body, "first text")
	done := sendsDone(c)
	c.TrySend()
	p := c.panel
	waitDone(t, done)
	if p.StepState(smtpclient.StepAuth) != "failed" || !p.RetryButton.Visible() {
		t.Fatalf("first attempt: AUTH %s, Retry visible %v", p.StepState(smtpclient.StepAuth), p.RetryButton.Visible())
	}
	c.Body.SetText("fixed text after the failure")
	test.Tap(p.RetryButton)
	if data := receivedData(t, sb, 1); !strings.Contains(string(data), "fixed text after the failure") {
		t.Fatalf("Retry sent the old message:\n%s", data)
	}
	waitDone(t, done)
	if c.Body.Text != "" {
		t.Fatal("the composer was not cleared after the retry succeeded")
	}
}

func TestCtrlEnterTwiceWhileAskedSendsOnce(t *testing.T) {
	c, got := newTestComposer(t, t.TempDir())
	test.Type(c.To, "ann@example.com")
	test.Type(c.Body, "no subject here")
	c.TrySend()
	c.TrySend() // the shortcut again while "Before sending" is open
	if n := len(c.Window.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("%d dialogs open, want 1", n)
	}
	var sendAnyway *widget.Button
	walk(c.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Send anyway" {
			sendAnyway = b
		}
	})
	test.Tap(sendAnyway)
	c.TrySend() // and once more while the send runs
	if len(*got) != 1 {
		t.Fatalf("sent %d times, want once", len(*got))
	}
}

func TestAnAutosaveDuringASendKeepsTheSendingMark(t *testing.T) {
	dir := t.TempDir()
	c, _ := newTestComposer(t, dir)
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "Hello")
	c.TrySend() // never finishes: as if the send were still running
	test.Type(c.Body, "typed while it sends")
	c.autosave()
	d, err := c.drafts.Load()
	if err != nil || d == nil || !d.Sending {
		t.Fatalf("draft after an autosave during the send: %+v, %v; want it still marked as sending", d, err)
	}
}

func TestCancelWhilePreparingStopsBeforeConnecting(t *testing.T) {
	data := t.TempDir()
	sb, err := StartSandbox(context.Background(), filepath.Join(data, "Sandbox"))
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	asked := make(chan struct{})
	config := func(ctx context.Context, _ Sender, _ fyne.Window) (smtpclient.Config, func(bool), error) {
		close(asked)
		<-ctx.Done() // waiting for the keyring or the person
		return smtpclient.Config{}, nil, ctx.Err()
	}
	c := NewComposer(test.NewTempApp(t), Options{DataDir: data, Senders: func() []Sender { return []Sender{sb.Sender()} },
		Send: PanelSend(config, filepath.Join(data, "Sent"))})
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "Hello")
	done := sendsDone(c)
	c.TrySend()
	waitRecv(t, (<-chan struct{})(asked), "the password to be asked for")
	if !c.panel.CancelButton.Visible() || c.panel.RetryButton.Visible() {
		t.Fatal("while preparing, only Cancel should be offered")
	}
	c.panel.Cancel()
	waitDone(t, done)
	if !strings.Contains(c.panel.Outcome.Text, "Cancelled") || len(sb.Server.Messages()) != 0 || c.Subject.Text != "Hello" {
		t.Fatalf("outcome %q, messages %d, subject %q", c.panel.Outcome.Text, len(sb.Server.Messages()), c.Subject.Text)
	}
}

func TestAMistypedPasswordIsAskedForAgainAndNeverSaved(t *testing.T) {
	store, _ := account.Open(t.TempDir())
	acct := account.Account{ID: "work", Address: "me@example.org", Host: "127.0.0.1", Security: account.SecurityNone, Auth: account.AuthPlain}
	if err := store.Add(acct); err != nil {
		t.Fatal(err)
	}
	kr := account.NewMemoryKeyring()
	secrets := account.NewSecretsWith(kr)
	w := test.NewTempApp(t).NewWindow("Stamp")
	config := AccountConfig(store, secrets)
	ask := func(password string) func(bool) {
		t.Helper()
		type out struct {
			settle func(bool)
			err    error
		}
		done := make(chan out, 1)
		go func() {
			_, settle, err := config(context.Background(), accountSender(acct), w)
			done <- out{settle, err}
		}()
		answerPasswordPrompt(t, w, password)
		o := <-done
		if o.err != nil {
			t.Fatal(o.err)
		}
		return o.settle
	}
	ask("typo")(false) // the server said 535
	if _, loc, err := secrets.Get(context.Background(), "work"); err == nil {
		t.Fatalf("a refused password is still kept (%v)", loc)
	}
	ask("right-stamp-test-secret")(true)
	waitFor(t, "the keyring save", func() bool { return kr.Len() == 1 })
	if got, _, _ := secrets.Password(context.Background(), "work"); got != "right-stamp-test-secret" {
		t.Fatalf("kept %q, want the password that worked", got)
	}
}

// answerPasswordPrompt waits for the password dialog on w, types password
// and presses Send. It returns the dialog's explanation (the label that
// mentions the password or the keyring).
func answerPasswordPrompt(t *testing.T, w fyne.Window, password string) (hint string) {
	t.Helper()
	var entry *widget.Entry
	var send *widget.Button
	waitFor(t, "the password prompt", func() bool {
		entry, send = nil, nil
		if top := w.Canvas().Overlays().Top(); top != nil {
			walk(top, func(o fyne.CanvasObject) {
				switch x := o.(type) {
				case *widget.Entry:
					if x.Password {
						entry = x
					}
				case *widget.Button:
					if x.Text == "Send" {
						send = x
					}
				case *widget.Label:
					if strings.Contains(x.Text, "keyring") || strings.Contains(x.Text, "password") {
						hint = x.Text
					}
				}
			})
		}
		return entry != nil && send != nil
	})
	test.Type(entry, password)
	test.Tap(send)
	return hint
}

func TestAConnectionLostDuringRcptOffersRetryNotAPartialSend(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	p.OnRetry = func() {}
	p.Reset(testJob(smtpclient.SecurityTLS, "", "ann@example.com", "bob@example.com"))
	p.Apply(smtpclient.Event{Kind: smtpclient.EventRecipient, Step: smtpclient.StepRcpt, Recipient: "ann@example.com", Accepted: true})
	p.Finish(&smtpclient.Result{}, &smtpclient.Error{Step: smtpclient.StepRcpt, Kind: smtpclient.ErrorConnection, Err: errors.New("EOF")})
	if p.AcceptedOnly.Visible() || !p.RetryButton.Visible() {
		t.Fatalf("send-to-accepted visible %v, Retry visible %v", p.AcceptedOnly.Visible(), p.RetryButton.Visible())
	}
}
