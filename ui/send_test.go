package ui

import (
	"bytes"
	"context"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// sandboxComposer is a composer wired like the app: the real engine sending
// to the real sandbox server on 127.0.0.1, with the live send panel.
func sandboxComposer(t *testing.T) (*Composer, *Sandbox, string) {
	t.Helper()
	data := t.TempDir()
	sb, err := StartSandbox(context.Background(), filepath.Join(data, "Sandbox"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	a := test.NewTempApp(t)
	c := NewComposer(a, Options{
		DataDir: data,
		Senders: func() []Sender { return []Sender{sb.Sender()} },
		Send: PanelSend(func(context.Context, Sender, fyne.Window) (smtpclient.Config, func(bool), error) {
			return sb.Config(), nil, nil
		}, filepath.Join(data, "Sent")),
	})
	t.Cleanup(func() {
		if !c.Wait(10 * time.Second) { // a send or its Sent copy may still write into data
			t.Error("a send or its Sent copy was still under way 10 s after the test")
		}
		if c.timer != nil {
			c.timer.Stop()
		}
	})
	return c, sb, data
}

// receivedData waits until the sandbox inbox on disk holds n messages and
// returns the newest one's bytes (the server keeps none in memory).
func receivedData(t *testing.T, sb *Sandbox, n int) []byte {
	t.Helper()
	waitFor(t, "the message in the sandbox inbox", func() bool {
		items := loadEMLDir(sb.Dir)
		return len(items) == n && items[0].Envelope != nil
	})
	data, err := os.ReadFile(loadEMLDir(sb.Dir)[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// sendsDone reports each completed SendFinished of c (drafts written, form
// cleared): waiting on it, a test never ends while the composer still writes.
func sendsDone(c *Composer) <-chan struct{} {
	ch := make(chan struct{}, 8)
	c.afterSend = func() { ch <- struct{}{} }
	return ch
}

// waitDone waits for one completed send.
func waitDone(t *testing.T, done <-chan struct{}) {
	t.Helper()
	waitRecv(t, done, "the send to finish")
}

// waitFor polls cond, running the UI work queued meanwhile (drainUI) on
// this goroutine, the test's UI goroutine.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for drainUI(); !cond(); drainUI() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestARealSendToTheSandboxDeliversToAllAndHidesBcc(t *testing.T) {
	c, sb, data := sandboxComposer(t)
	c.SetShowCcBcc(true)
	att := writeFile(t, t.TempDir(), "数据.bin", bytes.Repeat([]byte{0, 1, 2, 250}, 100_000))
	test.Type(c.To, "Ann <ann@example.com>")
	test.Type(c.Cc, "bob@example.com")
	test.Type(c.Bcc, "carol@example.com")
	test.Type(c.Subject, "Sandbox test ✓")
	test.Type(c.Body, "Hello from the test.")
	c.AttachFiles(att)
	done := sendsDone(c)
	c.TrySend()

	got := waitMessages(t, sb.Server, 1)[0]
	if strings.Join(got.To, ",") != "ann@example.com,bob@example.com,carol@example.com" {
		t.Fatalf("envelope recipients = %v", got.To)
	}
	got.Data = receivedData(t, sb, 1)
	parsed, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	if parsed.Header.Get("Bcc") != "" || bytes.Contains(got.Data, []byte("carol@example.com")) {
		t.Fatal("the Bcc recipient is visible in the transmitted message")
	}
	if !got.TLS || got.User != "stamp" {
		t.Fatalf("the sandbox session was TLS=%v user=%q; want STARTTLS with AUTH", got.TLS, got.User)
	}

	waitDone(t, done)
	if c.To.Text != "" || c.Subject.Text != "" {
		t.Fatal("the composer still holds the sent message")
	}
	waitFor(t, "the Sent copy", func() bool { return strings.Contains(c.Notice.Text, "A copy is in your Sent folder") })
	if !strings.Contains(c.Notice.Text, "Delivered to the built-in sandbox server only") {
		t.Fatalf("notice = %q, want it to say the mail stayed on this computer", c.Notice.Text)
	}
	sent, _ := filepath.Glob(filepath.Join(data, "Sent", "*.eml"))
	if len(sent) != 1 {
		t.Fatalf("Sent folder holds %v", sent)
	}
	copyData, _ := os.ReadFile(sent[0])
	saved, err := mail.ReadMessage(bytes.NewReader(copyData))
	if err != nil {
		t.Fatal(err)
	}
	if saved.Header.Get("Message-ID") == "" || saved.Header.Get("Message-ID") != parsed.Header.Get("Message-ID") ||
		saved.Header.Get("Date") != parsed.Header.Get("Date") {
		t.Fatalf("the Sent copy is not the message that was sent: Message-ID %q vs %q, Date %q vs %q",
			saved.Header.Get("Message-ID"), parsed.Header.Get("Message-ID"), saved.Header.Get("Date"), parsed.Header.Get("Date"))
	}
	if !strings.Contains(saved.Header.Get("Bcc"), "carol@example.com") || saved.Header.Get("X-Stamp-Note") == "" {
		t.Fatalf("the saved copy should keep Bcc, marked: Bcc=%q note=%q", saved.Header.Get("Bcc"), saved.Header.Get("X-Stamp-Note"))
	}

	waitFor(t, "the sandbox inbox file", func() bool {
		items := loadEMLDir(sb.Dir)
		return len(items) == 1 && items[0].Envelope != nil
	})
	items := loadEMLDir(sb.Dir)
	raw, _ := os.ReadFile(items[0].Path)
	desc := items[0].describe(raw)
	if !strings.Contains(desc, "RCPT TO: <carol@example.com>   ← Bcc") || strings.Contains(desc, "<ann@example.com>   ← Bcc") {
		t.Fatalf("inbox description does not single out the Bcc recipient:\n%s", desc)
	}
	if items[0].Subject != "Sandbox test ✓" {
		t.Fatalf("inbox subject = %q", items[0].Subject)
	}
}

func TestAWrongPasswordAtTheSandboxEndsInThe535Explanation(t *testing.T) {
	_, sb, _ := sandboxComposer(t)
	cfg := sb.Config()
	cfg.Password = "not-the-password"
	p := newSendPanel(test.NewTempApp(t))
	finished := make(chan error, 1)
	p.OnFinished = func(_ *smtpclient.Result, err error) { finished <- err }
	p.Start(sendJob{Config: cfg, Envelope: smtpclient.Envelope{From: "me@sandbox.stamp.test", To: []string{"ann@example.com"}},
		Message: rawMessage("Subject: hi\r\n\r\nhello\r\n"), Title: "hi"})
	waitRecv(t, finished, "the send")
	if p.StepState(smtpclient.StepAuth) != "failed" || !strings.Contains(p.Outcome.Text, "did not accept the user name and password") {
		t.Fatalf("AUTH=%s outcome=%q", p.StepState(smtpclient.StepAuth), p.Outcome.Text)
	}
	if strings.Contains(p.TranscriptText(), "not-the-password") {
		t.Fatal("the password is in the transcript")
	}
}

func TestTestConnectionReportsWhatTheServerOffers(t *testing.T) {
	_, sb, _ := sandboxComposer(t)
	p := newSendPanel(test.NewTempApp(t))
	p.StartProbe(sb.Config(), "Sandbox")
	waitFor(t, "the probe", func() bool { p.flush(); return p.done })
	for _, want := range []string{"Connection works.", "Encrypted with TLS 1.3", "Logged in as stamp with PLAIN", "Largest message accepted: 200.0 MB"} {
		if !strings.Contains(p.Outcome.Text, want) {
			t.Errorf("outcome lacks %q:\n%s", want, p.Outcome.Text)
		}
	}
	if p.StepState(smtpclient.StepRcpt) != "skipped" || p.StepState(smtpclient.StepAuth) != "done" {
		t.Errorf("RCPT=%s AUTH=%s", p.StepState(smtpclient.StepRcpt), p.StepState(smtpclient.StepAuth))
	}
}

// rawMessage is a ready message for the engine.
type rawMessage string

func (m rawMessage) Size() int64 { return int64(len(m)) }
func (m rawMessage) WriteTo(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, string(m))
	return int64(n), err
}

func TestTheSecondSendReusesTheSendPanelWindowAndStartsClean(t *testing.T) {
	c, sb, _ := sandboxComposer(t)
	done := sendsDone(c)
	for i, to := range []string{"ann@example.com", "bob@example.com"} {
		test.Type(c.To, to)
		test.Type(c.Subject, "Message "+to)
		test.Type(c.Body, "Hello.")
		c.TrySend()
		waitDone(t, done)
		waitMessages(t, sb.Server, i+1)
		p := c.panel
		if p == nil || !p.HideOnClose {
			t.Fatalf("send %d: the composer keeps no reusable panel", i+1)
		}
		// The transcript and the recipients are this send's only.
		if n := strings.Count(p.TranscriptText(), "-> MAIL FROM:"); n != 1 {
			t.Fatalf("send %d: the transcript holds %d MAIL FROM lines, want 1:\n%s", i+1, n, p.TranscriptText())
		}
		if got := strings.Join(p.RecipientStates(), ";"); got != "To "+to+" accepted" {
			t.Fatalf("send %d: recipients %q", i+1, got)
		}
		if i == 0 {
			first := p
			first.CloseButton.OnTapped() // hides it: the next send shows the same window
			if c.panel != first {
				t.Fatal("closing the panel dropped it")
			}
			continue
		}
		if !strings.Contains(p.Window.Title(), "Message bob@example.com") {
			t.Fatalf("title %q", p.Window.Title())
		}
	}
}

func TestAConnectionTestReusesItsPanelAndClosesWithTheAccountsWindow(t *testing.T) {
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.None})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	w, _, _, _ := newTestAccountsWindow(t)
	probed := probesDone(w)
	test.Type(w.Address, "me@example.com")
	w.Host.SetText(srv.Host())
	w.Port.SetText(strconv.Itoa(srv.Port()))
	w.setSecurity(account.SecurityNone)
	w.setAuth(account.AuthNone)
	for i := 0; i < 2; i++ {
		w.TestConnection()
		w.waitIdle(t)
		p := w.probe
		waitDone(t, probed) // not p.flush() here: the probe goroutine may be in FinishProbe
		if !strings.Contains(p.Outcome.Text, "Connection works.") || strings.Count(p.TranscriptText(), "-> EHLO") != 1 {
			t.Fatalf("test %d: outcome %q, transcript:\n%s", i+1, p.Outcome.Text, p.TranscriptText())
		}
		if i == 1 {
			break
		}
		first := p
		p.CloseButton.OnTapped()
		w.TestConnection()
		w.waitIdle(t)
		if w.probe != first {
			t.Fatal("the second test opened another window")
		}
		waitDone(t, probed)
	}
	closed := false
	w.probe.Window.SetOnClosed(func() { closed = true })
	w.Window.Close()
	if !closed {
		t.Fatal("the connection test's window outlived the accounts window")
	}
}

func TestAnOpenSentFolderShowsANewlySentMessage(t *testing.T) {
	c, _, data := sandboxComposer(t)
	w := ShowSentFolder(c.app, filepath.Join(data, "Sent"))
	rows := func() int {
		n := -1
		walk(w.Content(), func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.List); ok && n < 0 {
				n = l.Length()
			}
		})
		return n
	}
	if rows() != 0 {
		t.Fatalf("the Sent folder starts with %d rows", rows())
	}
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "Kept")
	test.Type(c.Body, "Hello.")
	done := sendsDone(c)
	c.TrySend()
	waitDone(t, done)
	waitFor(t, "the Sent folder to list the copy", func() bool { return rows() == 1 })
}

func TestTheSandboxKeepsNoMessageBytesInMemoryAndTheInboxStillShowsTheMessage(t *testing.T) {
	c, sb, _ := sandboxComposer(t)
	big := writeFile(t, t.TempDir(), "big.bin", bytes.Repeat([]byte("0123456789abcdef"), 1<<20)) // 16 MiB
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "A large one")
	c.AttachFiles(big)
	done := sendsDone(c)
	c.TrySend()
	waitDone(t, done)
	if c.Subject.Text != "" {
		t.Fatal("the send did not succeed")
	}
	data := receivedData(t, sb, 1)
	msgs := sb.Server.Messages()
	held := 0
	for _, m := range msgs {
		held += len(m.Data)
	}
	if len(msgs) != 1 || held != 0 {
		t.Fatalf("the sandbox holds %d messages with %d bytes in memory, want none", len(msgs), held)
	}
	if int64(len(data)) != msgs[0].Size || len(data) < 16<<20 {
		t.Fatalf("the inbox file holds %d bytes, the server received %d", len(data), msgs[0].Size)
	}
	w := sb.ShowInbox(c.app)
	defer w.Close()
	waitFor(t, "the inbox window to list the message", func() bool { return strings.Contains(windowText(w), "A large one") })
	parts, _ := filepath.Glob(filepath.Join(sb.Dir, ".incoming-*"))
	if len(parts) != 0 {
		t.Fatalf("spool files left behind: %v", parts)
	}
}

// windowText is every label's and entry's text in w.
func windowText(w fyne.Window) string {
	var b strings.Builder
	walk(w.Content(), func(x fyne.CanvasObject) {
		switch v := x.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.Entry:
			b.WriteString(v.Text + "\n")
		case *AddressEntry:
			b.WriteString(v.Text + "\n")
		}
	})
	return b.String()
}
