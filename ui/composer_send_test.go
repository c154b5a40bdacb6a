package ui

import (
	"bytes"
	"context"
	"io"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// slowServerComposer is a composer that sends through PanelSend to a plain
// sandbox on 127.0.0.1 which answers the end of the message after delay;
// the client waits finalTimeout for it (0: the default).
func slowServerComposer(t *testing.T, dir string, delay, finalTimeout time.Duration) (*Composer, *sandbox.Server) {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.None, FinalReplyDelay: delay})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg := smtpclient.Config{Host: srv.Host(), Port: srv.Port(), Security: smtpclient.SecurityNone, FinalReplyTimeout: finalTimeout}
	return configComposer(t, dir, cfg), srv
}

// configComposer is a composer wired like the app (PanelSend) that sends
// with cfg.
func configComposer(t *testing.T, dir string, cfg smtpclient.Config) *Composer {
	t.Helper()
	c := NewComposer(test.NewTempApp(t), Options{
		DataDir: dir,
		Senders: func() []Sender { return []Sender{testSender} },
		Send: PanelSend(func(context.Context, Sender, fyne.Window) (smtpclient.Config, func(bool), error) {
			return cfg, nil, nil
		}, filepath.Join(dir, "Sent")),
	})
	t.Cleanup(func() {
		if !c.Wait(10 * time.Second) {
			t.Error("a send was still under way 10 s after the test")
		}
		if c.timer != nil {
			c.timer.Stop()
		}
	})
	return c
}

func typeMessage(c *Composer, subject string) {
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, subject)
	test.Type(c.Body, "Hello.")
}

// draftOnDisk is the draft as the next start would read it.
func draftOnDisk(t *testing.T, dir string) *draft {
	t.Helper()
	d, err := newDraftStore(dir).Load()
	if err != nil || d == nil {
		t.Fatalf("the draft on disk: %+v, %v", d, err)
	}
	return d
}

// restartNotice is what a new composer on dir says about the draft.
func restartNotice(t *testing.T, dir string) string {
	t.Helper()
	c2, _ := newTestComposer(t, dir)
	return c2.Notice.Text
}

func TestAMissingFinalReplyKeepsTheDraftMarkedAsPossiblySent(t *testing.T) {
	dir := t.TempDir()
	c, srv := slowServerComposer(t, dir, 2*time.Second, 200*time.Millisecond)
	typeMessage(c, "Maybe")
	done := sendsDone(c)
	c.TrySend()
	waitDone(t, done)

	outcome := c.panel.Outcome.Text
	if !strings.HasPrefix(outcome, "The message may have been delivered: it was sent completely, but the server did not confirm it in time.") {
		t.Fatalf("outcome = %q", outcome)
	}
	if n := strings.Count(outcome, "may have been delivered"); n != 1 {
		t.Errorf("the outcome says \"may have been delivered\" %d times, want once (Y6):\n%s", n, outcome)
	}
	if d := draftOnDisk(t, dir); !d.Sending || d.Subject != "Maybe" {
		t.Fatalf("draft after an unknown outcome: Sending=%v Subject=%q; want it kept and marked as possibly sent", d.Sending, d.Subject)
	}
	// An edit (autosave) keeps the mark.
	test.Type(c.Body, " More.")
	c.autosave()
	if d := draftOnDisk(t, dir); !d.Sending {
		t.Fatal("an autosave after the unknown outcome dropped the possibly-sent mark")
	}
	notice := restartNotice(t, dir)
	if !strings.Contains(notice, "may or may not have been delivered") || strings.Contains(notice, "Your unsent draft") {
		t.Fatalf("the next start says %q; want the may-or-may-not-have-been-delivered warning", notice)
	}
	// And indeed the server took it.
	waitMessages(t, srv, 1)
}

func TestClosingDuringASendKeepsThePromisedPossiblySentMark(t *testing.T) {
	dir := t.TempDir()
	c, _ := slowServerComposer(t, dir, 2*time.Second, 0)
	typeMessage(c, "Closing")
	done := sendsDone(c)
	c.TrySend()
	waitFor(t, "the message to be sent and the final reply awaited", func() bool {
		return c.panel != nil && c.panel.StepState(smtpclient.StepMessage) == "running"
	})
	c.closeRequested()
	tapButton(t, c.Window, "Yes")
	waitDone(t, done)
	if d := draftOnDisk(t, dir); !d.Sending || d.Subject != "Closing" {
		t.Fatalf("draft after closing during the send: Sending=%v Subject=%q; the dialog promised it stays marked as possibly sent", d.Sending, d.Subject)
	}
	if notice := restartNotice(t, dir); !strings.Contains(notice, "may or may not have been delivered") {
		t.Fatalf("the next start says %q", notice)
	}
}

func TestAfterTheAppsLoopEndsASendDoesNoUIWorkAndExitDoesNotWaitForIt(t *testing.T) {
	dir := t.TempDir()
	c, _ := slowServerComposer(t, dir, 500*time.Millisecond, 0)
	typeMessage(c, "Exit")
	finished := false
	c.afterSend = func() { finished = true }
	c.TrySend()
	waitFor(t, "the final reply to be awaited", func() bool {
		return c.panel != nil && c.panel.StepState(smtpclient.StepMessage) == "running"
	})
	Stopped()
	t.Cleanup(restartForTest)
	// The send's goroutine counts itself down; its UI work is dropped.
	if !c.Wait(5 * time.Second) {
		t.Fatal("exit waited for a send whose UI callback will never run")
	}
	drainUI()
	if finished || c.panel.done {
		t.Fatal("UI or draft work ran after the app's loop had ended")
	}
	if d := draftOnDisk(t, dir); !d.Sending {
		t.Fatal("the draft lost its sending mark")
	}
}

// tapButton taps the button labelled text in w's top dialog.
func tapButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	var found *widget.Button
	walk(w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no %q button in the dialog", text)
	}
	test.Tap(found)
}

// sessionProxy relays one connection to target and reports when the
// server's side of it has ended (the server closed the connection after
// the client went away): from then on the server cannot store anything.
func sessionProxy(t *testing.T, target string) (port int, ended <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	end := make(chan struct{})
	go func() {
		client, err := ln.Accept()
		if err != nil {
			return
		}
		defer client.Close()
		server, err := net.Dial("tcp", target)
		if err != nil {
			return
		}
		defer server.Close()
		go func() {
			io.Copy(server, client)
			server.(*net.TCPConn).CloseWrite()
		}()
		io.Copy(client, server) // until the server closes its side
		close(end)
	}()
	return ln.Addr().(*net.TCPAddr).Port, end
}

func TestCancelDuringDataEndsQuicklyAndKeepsTheMessage(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.None})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	port, ended := sessionProxy(t, srv.Addr())
	c := configComposer(t, dir, smtpclient.Config{Host: "127.0.0.1", Port: port, Security: smtpclient.SecurityNone})
	big := writeFile(t, t.TempDir(), "big.bin", bytes.Repeat([]byte("0123456789abcdef"), 4<<20)) // 64 MiB
	typeMessage(c, "Big")
	c.AttachFiles(big)
	done := sendsDone(c)
	c.TrySend()                           // the production path: PanelSend, the panel, its Cancel button
	tapButton(t, c.Window, "Send anyway") // 64 MiB is over the usual limit
	waitFor(t, "DATA to start", func() bool { return c.panel != nil && c.panel.Progress.Value > 0 })
	start := time.Now()
	test.Tap(c.panel.CancelButton)
	waitDone(t, done)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("cancel took %v, want under a second", d)
	}
	if !strings.Contains(c.panel.Outcome.Text, "Cancelled") {
		t.Fatalf("outcome = %q", c.panel.Outcome.Text)
	}
	if c.To.Text != "ann@example.com" || c.Subject.Text != "Big" || len(c.Attachments.Paths()) != 1 {
		t.Fatal("the composer lost the message after a cancel")
	}
	waitRecv(t, ended, "the server's session to end")
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("the server stored %d cancelled messages", n)
	}
	if d := draftOnDisk(t, dir); d.Sending {
		t.Fatal("a send cancelled before its end is marked as possibly sent")
	}
}

func TestTheServersSizeLimitIsLearntForTheNextWarning(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.None, MaxSize: 60_000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	c := configComposer(t, dir, smtpclient.Config{Host: srv.Host(), Port: srv.Port(), Security: smtpclient.SecurityNone})
	typeMessage(c, "First")
	done := sendsDone(c)
	c.TrySend()
	waitDone(t, done)
	waitMessages(t, srv, 1)

	// 50 kB of attachment is about 68 kB in the message: over the 60 kB the
	// server announced, though the sender itself states no limit.
	typeMessage(c, "Second")
	c.AttachFiles(writeFile(t, t.TempDir(), "a.bin", bytes.Repeat([]byte{7}, 50_000)))
	c.TrySend()
	var warning string
	walk(c.Window.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "60.0 kB") {
			warning = l.Text
		}
	})
	if warning == "" {
		t.Fatal("the second send did not warn with the server's 60.0 kB limit")
	}
}

func TestARefusedLoginOffersANewPasswordThatIsUsedForTheRetry(t *testing.T) {
	dir := t.TempDir()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.None, Username: "me", Password: "right-stamp-test-secret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	password := "wrong" // what the keyring holds
	account := Sender{ID: "work", Label: "Work", From: testSender.From}
	opened := ""
	c := NewComposer(test.NewTempApp(t), Options{
		DataDir: dir,
		Senders: func() []Sender { return []Sender{account} },
		Send: PanelSend(func(context.Context, Sender, fyne.Window) (smtpclient.Config, func(bool), error) {
			return smtpclient.Config{Host: srv.Host(), Port: srv.Port(), Security: smtpclient.SecurityNone,
				Username: "me", Password: password}, nil, nil
		}, filepath.Join(dir, "Sent")),
		NewPassword: func(ctx context.Context, s Sender, parent fyne.Window) error {
			password = "right-stamp-test-secret" // as typed into the dialog and saved
			return nil
		},
		OpenAccount: func(s Sender) { opened = s.ID },
	})
	t.Cleanup(func() { c.Wait(10 * time.Second) })
	typeMessage(c, "Login")
	done := sendsDone(c)
	c.TrySend()
	waitDone(t, done)
	p := c.panel
	if !p.NewPassword.Visible() || p.NewPassword.Text != "Enter a new password…" || !p.OpenAccount.Visible() {
		t.Fatalf("after a refused login: new password visible=%v %q, open account visible=%v; outcome %q",
			p.NewPassword.Visible(), p.NewPassword.Text, p.OpenAccount.Visible(), p.Outcome.Text)
	}
	test.Tap(p.OpenAccount)
	if opened != "work" {
		t.Fatalf("Open the account opened %q", opened)
	}
	test.Tap(p.NewPassword)
	waitDone(t, done)
	if msgs := waitMessages(t, srv, 1); msgs[0].User != "me" {
		t.Fatalf("the retry logged in as %q", msgs[0].User)
	}
	if !strings.HasPrefix(p.Outcome.Text, "Sent to 1 recipient.") || p.NewPassword.Visible() {
		t.Fatalf("after the retry: outcome %q, new password still offered=%v", p.Outcome.Text, p.NewPassword.Visible())
	}
}
