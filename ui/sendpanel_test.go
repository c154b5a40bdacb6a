package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"stamp/smtpclient"
)

// recorded replays a session the way the engine reports it; the times are
// spaced so that durations show.
type recorded struct {
	t0  time.Time
	n   int
	evs []smtpclient.Event
}

func (r *recorded) add(ev smtpclient.Event) {
	r.n++
	ev.Time = r.t0.Add(time.Duration(r.n) * 10 * time.Millisecond)
	r.evs = append(r.evs, ev)
}

func (r *recorded) step(s smtpclient.Step, lines ...string) {
	r.add(smtpclient.Event{Kind: smtpclient.EventStepStarted, Step: s, Text: string(s)})
	for i, l := range lines {
		dir := smtpclient.Client
		if i%2 == 1 {
			dir = smtpclient.Server
		}
		r.add(smtpclient.Event{Kind: smtpclient.EventLine, Step: s, Direction: dir, Text: l})
	}
	r.add(smtpclient.Event{Kind: smtpclient.EventStepFinished, Step: s})
}

func testJob(sec smtpclient.Security, user string, rcpts ...string) sendJob {
	fields := map[string]string{}
	for i, r := range rcpts {
		fields[r] = []string{"To", "Cc", "Bcc"}[i%3]
	}
	return sendJob{
		Config:   smtpclient.Config{Host: "127.0.0.1", Port: 2525, Security: sec, Username: user},
		Envelope: smtpclient.Envelope{From: "me@stamp.test", To: rcpts},
		Fields:   fields,
		Title:    "Hello",
	}
}

func TestThePanelFollowsARecordedSessionStepByStep(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	rcpts := []string{"ann@example.com", "bob@example.com", "carol@example.com"}
	p.Reset(testJob(smtpclient.SecuritySTARTTLS, "me", rcpts...))
	if got := p.StepState(smtpclient.StepTLS); got != "skipped" {
		t.Fatalf("implicit TLS step on a STARTTLS account is %q, want skipped", got)
	}

	r := &recorded{t0: time.Now()}
	r.step(smtpclient.StepConnect)
	r.step(smtpclient.StepGreeting, "", "220 sandbox ESMTP")
	r.step(smtpclient.StepEHLO, "EHLO [127.0.0.1]", "250 STARTTLS")
	r.step(smtpclient.StepSTARTTLS, "STARTTLS", "220 go ahead")
	r.step(smtpclient.StepEHLOAgain, "EHLO [127.0.0.1]", "250 AUTH PLAIN")
	r.step(smtpclient.StepAuth, "AUTH PLAIN "+smtpclient.Mask, "235 ok")
	r.step(smtpclient.StepMail, "MAIL FROM:<me@stamp.test>", "250 ok")
	order := []string{}
	for _, rc := range rcpts {
		r.add(smtpclient.Event{Kind: smtpclient.EventStepStarted, Step: smtpclient.StepRcpt})
		r.add(smtpclient.Event{Kind: smtpclient.EventRecipient, Step: smtpclient.StepRcpt, Recipient: rc, Accepted: true,
			Reply: &smtpclient.Reply{Code: 250, Lines: []string{"ok"}}})
		r.add(smtpclient.Event{Kind: smtpclient.EventStepFinished, Step: smtpclient.StepRcpt})
	}
	r.step(smtpclient.StepData, "DATA", "354 go on")
	r.add(smtpclient.Event{Kind: smtpclient.EventStepStarted, Step: smtpclient.StepMessage})
	for sent := int64(0); sent <= 1000; sent += 250 {
		r.add(smtpclient.Event{Kind: smtpclient.EventProgress, Step: smtpclient.StepMessage, Sent: sent, Total: 1000})
	}
	r.add(smtpclient.Event{Kind: smtpclient.EventStepFinished, Step: smtpclient.StepMessage})
	r.step(smtpclient.StepQuit, "QUIT", "221 bye")

	for _, ev := range r.evs {
		before := p.StepState(ev.Step)
		p.Apply(ev)
		after := p.StepState(ev.Step)
		if ev.Kind == smtpclient.EventStepStarted && after != "running" {
			t.Fatalf("after %s started, its state is %q", ev.Step, after)
		}
		if before != after {
			order = append(order, string(ev.Step)+":"+after)
		}
	}
	// Every step but the skipped one ran and finished, in protocol order.
	for _, s := range []smtpclient.Step{smtpclient.StepConnect, smtpclient.StepGreeting, smtpclient.StepEHLO,
		smtpclient.StepSTARTTLS, smtpclient.StepEHLOAgain, smtpclient.StepAuth, smtpclient.StepMail,
		smtpclient.StepRcpt, smtpclient.StepData, smtpclient.StepMessage, smtpclient.StepQuit} {
		if got := p.StepState(s); got != "done" {
			t.Errorf("step %s is %q at the end, want done (transitions: %v)", s, got, order)
		}
	}
	if got := p.byStep[smtpclient.StepRcpt].text.Text; got != "RCPT TO (3 of 3)" {
		t.Errorf("RCPT row = %q", got)
	}
	if p.Progress.Value != 1 {
		t.Errorf("progress = %v, want 1", p.Progress.Value)
	}
	want := []string{"To ann@example.com accepted", "Cc bob@example.com accepted", "Bcc carol@example.com accepted"}
	if got := p.RecipientStates(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("recipients = %v, want %v", got, want)
	}
	tr := p.TranscriptText()
	if !strings.Contains(tr, "-> AUTH PLAIN ********\n") || !strings.Contains(tr, "<- 235 ok\n") {
		t.Errorf("transcript lacks the masked AUTH line or the server's reply:\n%s", tr)
	}

	p.Finish(&smtpclient.Result{Sent: true, QueueID: "4F3A2", Recipients: []smtpclient.RecipientResult{
		{Address: rcpts[0], Accepted: true}, {Address: rcpts[1], Accepted: true}, {Address: rcpts[2], Accepted: true}}}, nil)
	if !strings.Contains(p.Outcome.Text, "Sent to 3 recipients. The server queued it as 4F3A2.") {
		t.Errorf("outcome = %q", p.Outcome.Text)
	}
	if p.CancelButton.Visible() || !p.CloseButton.Visible() {
		t.Error("after success Cancel should be gone and Close shown")
	}
}

func TestAWrongPasswordShowsTheExplanation(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	p.OnRetry = func() {}
	p.Reset(testJob(smtpclient.SecurityTLS, "me", "ann@example.com"))
	err := &smtpclient.Error{Step: smtpclient.StepAuth, Kind: smtpclient.ErrorReply, Code: 535, EnhancedCode: "5.7.8",
		Message: "Username and Password not accepted"}
	p.Apply(smtpclient.Event{Kind: smtpclient.EventStepStarted, Step: smtpclient.StepAuth, Time: time.Now()})
	p.Apply(smtpclient.Event{Kind: smtpclient.EventStepFailed, Step: smtpclient.StepAuth, Err: err, Time: time.Now()})
	p.Finish(&smtpclient.Result{}, err)
	if p.StepState(smtpclient.StepAuth) != "failed" {
		t.Fatalf("AUTH is %q, want failed", p.StepState(smtpclient.StepAuth))
	}
	const want = "Not sent: it failed at AUTH (login). The server did not accept the user name and password. " +
		"Check both. Many providers (Gmail, Outlook, iCloud, Yahoo) need an app password instead of your normal password " +
		"when two-step verification is on. (At AUTH (login) the server said: 535 5.7.8 Username and Password not accepted)"
	if p.Outcome.Text != want {
		t.Fatalf("outcome = %q\nwant      %q", p.Outcome.Text, want)
	}
	if !p.RetryButton.Visible() {
		t.Fatal("Retry is not offered after a failure")
	}
}

func TestAPartialRefusalOffersBothChoices(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	rcpts := []string{"ann@example.com", "nobody@example.com", "carol@example.com"}
	p.Reset(testJob(smtpclient.SecurityTLS, "", rcpts...))
	var resent []string
	p.OnSendAccepted = func(acc []string) { resent = acc }
	// The engine reports each verdict as an event and keeps it in the Result
	// it returns; the outcome reads the Result.
	res := &smtpclient.Result{}
	for _, rc := range rcpts {
		ok := rc != "nobody@example.com"
		reply := &smtpclient.Reply{Code: 250, Lines: []string{"ok"}}
		if !ok {
			reply = &smtpclient.Reply{Code: 550, Lines: []string{"5.1.1 no such user"}}
		}
		p.Apply(smtpclient.Event{Kind: smtpclient.EventRecipient, Step: smtpclient.StepRcpt, Recipient: rc, Accepted: ok, Reply: reply})
		res.Recipients = append(res.Recipients, smtpclient.RecipientResult{Address: rc, Accepted: ok, Reply: reply})
	}
	err := &smtpclient.Error{Step: smtpclient.StepRcpt, Kind: smtpclient.ErrorReply, Code: 550, EnhancedCode: "5.1.1", Message: "no such user"}
	p.Finish(res, err)
	if !p.AcceptedOnly.Visible() || p.AcceptedOnly.Text != "Send to the 2 accepted recipients" || !p.BackToComposer.Visible() {
		t.Fatalf("partial refusal: send-to-accepted visible=%v %q, back visible=%v",
			p.AcceptedOnly.Visible(), p.AcceptedOnly.Text, p.BackToComposer.Visible())
	}
	if !strings.Contains(p.Outcome.Text, "refused 1 of 3 recipients") {
		t.Fatalf("outcome = %q", p.Outcome.Text)
	}
	test.Tap(p.AcceptedOnly)
	if strings.Join(resent, ",") != "ann@example.com,carol@example.com" {
		t.Fatalf("send to accepted went to %v", resent)
	}
	if got := p.RecipientStates()[1]; got != "Cc nobody@example.com refused" {
		t.Fatalf("refused recipient row = %q", got)
	}
}

func TestAMessageWhoseConfirmationNeverCameMayHaveBeenDelivered(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	p.Reset(testJob(smtpclient.SecurityTLS, "", "ann@example.com"))
	p.Finish(&smtpclient.Result{}, &smtpclient.Error{Step: smtpclient.StepMessage, Kind: smtpclient.ErrorTimeout,
		MayHaveBeenDelivered: true, Message: "no reply after the message"})
	if !strings.HasPrefix(p.Outcome.Text, "The message may have been delivered") {
		t.Fatalf("outcome = %q", p.Outcome.Text)
	}
}

func TestAWrongPasswordAtQQMailSaysToUseTheAuthorizationCode(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	job := testJob(smtpclient.SecurityTLS, "me@qq.com", "ann@example.com")
	job.AuthHint = providerAuthHint("me@qq.com")
	p.Reset(job)
	p.Finish(&smtpclient.Result{}, &smtpclient.Error{Step: smtpclient.StepAuth, Kind: smtpclient.ErrorReply, Code: 535, Message: "Login fail"})
	if !strings.Contains(p.Outcome.Text, "授权码") || !strings.Contains(p.Outcome.Text, "app password") && !strings.Contains(p.Outcome.Text, "authorization code") {
		t.Fatalf("outcome = %q, want the 授权码 advice", p.Outcome.Text)
	}
}

func TestClosingARunningSendAsksAndEscKeepsItRunning(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	p.Reset(testJob(smtpclient.SecurityTLS, "", "ann@example.com"))
	cancelled := false
	p.cancel = func() { cancelled = true }
	p.closeRequested()
	if p.Window.Canvas().Overlays().Top() == nil {
		t.Fatal("closing a running send did not ask")
	}
	p.dialogs.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if p.Window.Canvas().Overlays().Top() != nil || cancelled {
		t.Fatalf("Esc: dialog still open=%v, send cancelled=%v", p.Window.Canvas().Overlays().Top() != nil, cancelled)
	}
}

func TestTheFirstPresentOpensEmptyThenFillsThenStarts(t *testing.T) {
	p := newSendPanel(test.NewTempApp(t))
	full := p.Window.Content()
	started := make(chan fyne.CanvasObject, 1)
	p.Present(func() { started <- p.Window.Content() })
	if p.Window.Content() == full {
		t.Fatal("the first Present painted every widget at once")
	}
	if c := waitRecv(t, started, "Present's continuation"); c != full {
		t.Fatal("the send started before the panel had its widgets")
	}
	// Shown once, the panel shows again at once, whole.
	again := false
	p.Present(func() { again = p.Window.Content() == full })
	if !again {
		t.Fatal("a second Present did not run at once with the whole panel")
	}
}
