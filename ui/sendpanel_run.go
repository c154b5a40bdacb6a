package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/oauth"
	"stamp/smtpclient"
)

// closeRequested closes a finished panel at once; while a send runs it asks
// first, because closing stops the send (and after the whole message went
// out, Stamp would not learn whether the server took it).
func (p *sendPanel) closeRequested() {
	if p.done || p.cancel == nil {
		p.dismiss()
		return
	}
	p.dialogs.show(dialog.NewConfirm(lang.X("sendpanel.stop.title", "Stop sending?"),
		lang.X("sendpanel.stop.question", "The message is still being sent. Closing this window stops the send. If the whole message has already gone out, the server may still deliver it, and Stamp will not know."),
		func(stop bool) {
			if stop {
				p.Cancel()
				p.dismiss()
			}
		}, p.Window))
}

// dismiss closes the panel, or hides it when it is kept for the next send.
func (p *sendPanel) dismiss() {
	if p.HideOnClose {
		p.dialogs.hideTop()
		p.Window.Hide()
		return
	}
	p.Window.Close()
}

// Present shows the panel, in front of the other windows (a kept panel may
// be hidden, or open behind the composer), then runs then, if not nil, on
// the UI goroutine.
//
// The first time, the window opens empty, gets its widgets a frame later,
// and then runs a frame after that: creating a window (a GL context, its
// shaders) and painting every widget of the panel for the first time each
// hold the thread that paints all windows for 25–40 ms under software GL.
// In one call, and with the send's first burst of work on the other core,
// they made the composer miss its frames for up to 110 ms. Starting the
// send two frames later costs nothing anyone can see.
func (p *sendPanel) Present(then func()) {
	if then == nil {
		then = func() {}
	}
	if p.presented {
		p.Window.Show()
		p.Window.RequestFocus()
		then()
		return
	}
	p.presented = true
	full, empty := p.Window.Content(), container.NewStack()
	p.Window.SetContent(empty)
	p.Window.Show()
	p.Window.RequestFocus()
	afterFrame(func() {
		if p.Window.Content() == empty {
			p.Window.SetContent(full)
		}
		afterFrame(then)
	})
}

// afterFrame runs f on the UI goroutine a little more than one frame later.
func afterFrame(f func()) {
	time.AfterFunc(frameDelay, func() { runOnUI(f) })
}

// frameDelay is a little more than one frame of Fyne's 60 Hz loop.
const frameDelay = 20 * time.Millisecond

// Reset prepares the panel for a (new) attempt to send job.
func (p *sendPanel) Reset(job sendJob) { p.reset(job, modeSend) }

// reset prepares the panel for a (new) attempt of job in mode m.
func (p *sendPanel) reset(job sendJob, m panelMode) {
	p.job = job
	p.done = false
	p.clearAttempt()
	p.Header.SetText(lang.X("sendpanel.header", "Sending “{{.Title}}” through {{.Server}} ({{.Security}})", map[string]any{"Title": job.Title, "Server": job.Config.Address(), "Security": securityText(job.Config.Security)}))
	p.Window.SetTitle(lang.X("sendpanel.window_title", "Sending {{.Title}} — Stamp", map[string]any{"Title": job.Title}))
	// Steps that cannot happen with these settings are skipped from the start.
	switch job.Config.Security {
	case smtpclient.SecurityTLS:
		p.byStep[smtpclient.StepSTARTTLS].set(stepSkipped)
		p.byStep[smtpclient.StepEHLOAgain].set(stepSkipped)
	case smtpclient.SecuritySTARTTLS:
		p.byStep[smtpclient.StepTLS].set(stepSkipped)
	default:
		p.byStep[smtpclient.StepTLS].set(stepSkipped)
		p.byStep[smtpclient.StepSTARTTLS].set(stepSkipped)
		p.byStep[smtpclient.StepEHLOAgain].set(stepSkipped)
	}
	if job.Config.Username == "" {
		p.byStep[smtpclient.StepAuth].set(stepSkipped)
	}
	for _, addr := range job.Envelope.To {
		p.recipients = append(p.recipients, &recipientRow{field: job.Fields[strings.ToLower(addr)], address: addr, state: "waiting"})
	}
	p.rcptRowLabel()
	p.rcptList.Refresh()
	p.Speed.SetText(lang.X("sendpanel.progress_zero", "0 of {{.Total}}", map[string]any{"Total": humanSize(sizeOf(job.Message))}))
	p.Outcome.Importance = widget.MediumImportance
	p.Outcome.SetText(lang.X("sendpanel.sending", "Sending…"))
	p.CancelButton.Show()
	p.CancelButton.Enable()
	p.setMode(m)
	for _, b := range p.nextButtons() {
		b.Hide()
	}
}

// nextButtons are the buttons that offer what to do after an attempt.
func (p *sendPanel) nextButtons() []*widget.Button {
	return []*widget.Button{p.RetryButton, p.NewPassword, p.SignInAgain, p.OpenAccount, p.AcceptedOnly, p.BackToComposer, p.CloseButton}
}

// clearAttempt empties what an earlier attempt left in the panel: the
// transcript, the steps' marks and times, the recipients and the progress.
func (p *sendPanel) clearAttempt() {
	p.lines = nil
	p.result = nil
	p.rcptDone = 0
	p.progressAt, p.progressSent, p.speed = time.Time{}, 0, 0
	for _, r := range p.steps {
		r.took = 0
		r.set(stepWaiting)
	}
	p.byStep[oauth.StepRefresh].box.Hide() // until a renewal happens
	p.recipients = nil
	p.rcptRowLabel()
	p.rcptList.Refresh()
	p.Progress.SetValue(0)
	p.Progress.Hide()
	p.progressIdle.Show()
	p.Transcript.set(nil)
	p.copyLabel()
}

// running reports whether an attempt is under way in the panel.
func (p *sendPanel) running() bool { return p.cancel != nil && !p.done }

func sizeOf(m smtpclient.Message) int64 {
	if m == nil {
		return 0
	}
	return m.Size()
}

// Start runs job in the background and shows its progress. It returns at
// once; the engine runs on its own goroutine and its events reach the
// widgets through runOnUI, batched.
func (p *sendPanel) Start(job sendJob) {
	ctx, cancel := context.WithCancel(context.Background())
	p.StartWith(ctx, cancel, job)
}

// StartWith is Start under a context the caller made (the same one that
// covered the preparation, so one Cancel stops either).
func (p *sendPanel) StartWith(ctx context.Context, cancel context.CancelFunc, job sendJob) {
	p.begin(job, cancel)
	go func() {
		defer cancel()
		res, err := p.send(ctx, job)
		runOnUI(func() {
			p.flush()
			p.Finish(res, err)
		})
	}()
}

// begin readies the panel for job (on the UI goroutine); cancel stops it.
func (p *sendPanel) begin(job sendJob, cancel context.CancelFunc) {
	p.Reset(job)
	p.cancel = cancel
}

// send runs job through the engine (on the send's goroutine); its events
// reach the panel through Post.
func (p *sendPanel) send(ctx context.Context, job sendJob) (*smtpclient.Result, error) {
	cfg := job.Config
	cfg.Background = true // the window keeps the CPU it needs to paint
	if job.Transmit != nil {
		return job.Transmit(ctx, cfg, job.Envelope, job.Message, p.Post)
	}
	return smtpclient.Send(ctx, cfg, job.Envelope, job.Message, p.Post)
}

// Prepare shows that a send is being set up (the password is read from the
// keyring, or asked for); Cancel already works.
func (p *sendPanel) Prepare(subject string, cancel context.CancelFunc) {
	if strings.TrimSpace(subject) == "" {
		subject = lang.X("mailbox.no_subject", "(no subject)")
	}
	p.prepare(lang.X("sendpanel.preparing", "Preparing “{{.Title}}”…", map[string]any{"Title": subject}),
		lang.X("sendpanel.window_title", "Sending {{.Title}} — Stamp", map[string]any{"Title": subject}),
		lang.X("sendpanel.getting_ready", "Getting the account's password and the message ready…"), modeSend, cancel)
}

// PrepareProbe is Prepare for a connection test of the account name.
func (p *sendPanel) PrepareProbe(name string, cancel context.CancelFunc) {
	p.prepare(lang.X("sendpanel.testing_name", "Testing {{.Name}}…", map[string]any{"Name": name}),
		lang.X("sendpanel.testing_title", "Testing {{.Name}} — Stamp", map[string]any{"Name": name}),
		lang.X("sendpanel.getting_password", "Getting the password…"), modeProbe, cancel)
}

func (p *sendPanel) prepare(header, title, outcome string, m panelMode, cancel context.CancelFunc) {
	// A kept panel: nothing of the previous attempt may act on this one.
	p.OnFinished = nil
	p.dialogs.hideTop()
	p.mode = m
	p.cancel = cancel
	p.done = false
	p.clearAttempt()
	p.Window.SetTitle(title)
	p.Header.SetText(header)
	p.Outcome.Importance = widget.MediumImportance
	p.Outcome.SetText(outcome)
	p.sendParts.Hide() // nothing to show until the session starts
	p.CancelButton.Show()
	p.CancelButton.Enable()
	for _, b := range p.nextButtons() {
		b.Hide()
	}
}

// FailBeforeSending shows why a send could not even start (no password, an
// attachment gone, an account that no longer exists).
func (p *sendPanel) FailBeforeSending(err error) {
	p.done = true
	p.CancelButton.Hide()
	p.CloseButton.Show()
	p.setOutcome(widget.DangerImportance, p.mode.failPrefix()+err.Error())
}

// StartProbe runs a connection test ("Test connection") with cfg in the
// same panel: connect, TLS, EHLO, STARTTLS, AUTH, QUIT, then a summary of
// what the server offers and whether the login worked.
func (p *sendPanel) StartProbe(cfg smtpclient.Config, name string) {
	ctx, cancel := context.WithCancel(context.Background())
	p.StartProbeWith(ctx, cancel, cfg, name)
}

// StartProbeWith is StartProbe under a context the caller made (the one
// that covered getting the password, so one Cancel stops either).
func (p *sendPanel) StartProbeWith(ctx context.Context, cancel context.CancelFunc, cfg smtpclient.Config, name string) {
	p.reset(sendJob{Config: cfg, Title: name}, modeProbe)
	p.Header.SetText(lang.X("sendpanel.testing_header", "Testing {{.Name}}: {{.Server}} ({{.Security}})", map[string]any{"Name": name, "Server": cfg.Address(), "Security": securityText(cfg.Security)}))
	p.Window.SetTitle(lang.X("sendpanel.testing_title", "Testing {{.Name}} — Stamp", map[string]any{"Name": name}))
	for _, s := range []smtpclient.Step{smtpclient.StepMail, smtpclient.StepRcpt, smtpclient.StepData, smtpclient.StepMessage} {
		p.byStep[s].set(stepSkipped)
	}
	p.Outcome.SetText(lang.X("sendpanel.testing", "Testing…"))
	p.cancel = cancel
	go func() {
		defer cancel()
		caps, err := smtpclient.Probe(ctx, cfg, p.Post)
		runOnUI(func() {
			p.flush()
			p.FinishProbe(cfg, caps, err)
			if p.OnProbeFinished != nil {
				p.OnProbeFinished(err)
			}
		})
	}()
}

// Cancel stops the running send; the engine closes the connection at once.
func (p *sendPanel) Cancel() {
	if p.cancel != nil && !p.done {
		p.CancelButton.Disable()
		p.Outcome.SetText(lang.X("sendpanel.cancelling", "Cancelling…"))
		p.cancel()
	}
}
