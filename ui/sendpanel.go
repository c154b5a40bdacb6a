package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/smtpclient"
)

// redrawInterval batches engine events into at most ~60 UI updates a second,
// so a fast send never floods the UI goroutine.
const redrawInterval = time.Second / 60

// stepState is where a protocol step stands in the panel.
type stepState int

const (
	stepWaiting stepState = iota
	stepRunning
	stepDone
	stepFailed
	stepSkipped
)

var stepStateWords = [...]string{"waiting", "running", "done", "failed", "skipped"}

func (s stepState) String() string { return stepStateWords[s] }

// panelSteps are the steps the panel shows, in protocol order.
var panelSteps = []struct {
	step  smtpclient.Step
	label string
}{
	{smtpclient.StepConnect, "Connect"},
	{smtpclient.StepTLS, "TLS"},
	{smtpclient.StepGreeting, "Greeting"},
	{smtpclient.StepEHLO, "EHLO"},
	{smtpclient.StepSTARTTLS, "STARTTLS"},
	{smtpclient.StepEHLOAgain, "EHLO again"},
	{smtpclient.StepAuth, "AUTH"},
	{smtpclient.StepMail, "MAIL FROM"},
	{smtpclient.StepRcpt, "RCPT TO"},
	{smtpclient.StepData, "DATA"},
	{smtpclient.StepMessage, "Message sent"},
	{smtpclient.StepQuit, "QUIT"},
}

// stepRow is one line of the stepper.
type stepRow struct {
	label    string
	state    stepState
	started  time.Time
	took     time.Duration
	icon     *widget.Icon
	text     *widget.Label
	duration *widget.Label
}

func (r *stepRow) set(s stepState) {
	r.state = s
	switch s {
	case stepWaiting:
		r.icon.SetResource(theme.RadioButtonIcon())
	case stepRunning:
		r.icon.SetResource(theme.MediaPlayIcon())
	case stepDone:
		r.icon.SetResource(theme.ConfirmIcon())
	case stepFailed:
		r.icon.SetResource(theme.ErrorIcon())
	case stepSkipped:
		r.icon.SetResource(theme.ContentRemoveIcon())
	}
	r.text.Importance = widget.MediumImportance
	switch s {
	case stepSkipped, stepWaiting:
		r.text.Importance = widget.LowImportance
	case stepFailed:
		r.text.Importance = widget.DangerImportance
	case stepRunning:
		r.text.Importance = widget.HighImportance
	}
	r.text.Refresh()
	switch {
	case s == stepSkipped:
		r.duration.SetText("skipped")
	case r.took > 0:
		r.duration.SetText(formatDuration(r.took))
	default:
		r.duration.SetText("")
	}
}

// transcriptLine is one line of the live transcript.
type transcriptLine struct {
	dir  smtpclient.Direction
	text string
}

func (l transcriptLine) String() string {
	switch l.dir {
	case smtpclient.Client:
		return "-> " + l.text
	case smtpclient.Server:
		return "<- " + l.text
	}
	return "=== " + l.text
}

// recipientRow is one recipient's verdict.
type recipientRow struct {
	field   string // To, Cc or Bcc
	address string
	state   string // "waiting", "accepted", "refused"
	reply   string
}

// String is the row's text: field, address, verdict and the server's reply.
func (r *recipientRow) String() string {
	field := r.field
	if field == "" {
		field = "To"
	}
	text := fmt.Sprintf("%-3s  %s — %s", field, r.address, r.state)
	if r.reply != "" {
		text += " (" + r.reply + ")"
	}
	return text
}

// SendJob is one send the panel runs: the engine's settings (with the secret,
// for this session only), the envelope and the message.
type SendJob struct {
	Config   smtpclient.Config
	Envelope smtpclient.Envelope
	Message  smtpclient.Message
	// Fields maps each envelope address (lower case) to the form field it
	// came from ("To", "Cc", "Bcc"), so the results can say which is which.
	Fields map[string]string
	// Title names the message in the panel ("Quarterly report").
	Title string
	// AuthHint is the provider's own advice for a failed login (QQ: use the
	// 授权码 authorization code), shown after the engine's explanation.
	AuthHint string
}

// SendPanel is the window that shows one send as it happens: the protocol
// steps, the live transcript, the DATA progress, each recipient's verdict and
// the outcome in plain words.
type SendPanel struct {
	Window fyne.Window

	Header     *widget.Label
	Progress   *widget.ProgressBar
	Speed      *widget.Label
	Outcome    *widget.Label
	Transcript *widget.List

	CancelButton   *widget.Button
	RetryButton    *widget.Button
	CloseButton    *widget.Button
	AcceptedOnly   *widget.Button // "Send to the N accepted recipients"
	BackToComposer *widget.Button // "Back to the composer"

	// OnFinished runs once per attempt, on the UI goroutine, with the result.
	OnFinished func(res *smtpclient.Result, err error)
	// OnProbeFinished runs after each connection test, on the UI goroutine,
	// with its error (the Accounts window offers to trust a certificate).
	OnProbeFinished func(err error)
	// OnRetry runs when the person asks to try again; nil hides Retry.
	OnRetry func()
	// OnSendAccepted runs when the person chooses to send to the accepted
	// recipients only after a partial refusal.
	OnSendAccepted func(accepted []string)
	// HideOnClose makes Close, "Back to the composer" and the window's close
	// button hide the panel instead of destroying it, so the next send shows
	// the same window again. A new window costs a GL context and a first
	// paint of every widget (40–60 ms on the UI thread under software GL,
	// the whole gap the composer showed when a send started), and a closed
	// one does not give all of its memory back (docs/performance.md).
	HideOnClose bool

	steps      []*stepRow
	byStep     map[smtpclient.Step]*stepRow
	stepBox    *fyne.Container
	lines      []transcriptLine
	recipients []*recipientRow
	rcptList   *widget.List
	dirty      struct{ transcript, recipients, progress bool }
	rcptDone   int

	progressAt    time.Time
	progressSent  int64
	progressTotal int64
	speed         float64 // bytes per second, smoothed

	job      SendJob
	cancel   context.CancelFunc
	done     bool
	sendOnly *fyne.Container // progress and recipients: hidden for a connection test
	dialogs  *dialogs

	failPrefix string // how FailBeforeSending starts ("Not sent: ")
	presented  bool   // Present has shown the window once

	mu        sync.Mutex
	pending   []smtpclient.Event
	scheduled bool
}

// NewSendPanel creates the send panel window (not shown yet).
func NewSendPanel(a fyne.App) *SendPanel {
	p := &SendPanel{Window: a.NewWindow("Sending — Stamp"), byStep: map[smtpclient.Step]*stepRow{}, failPrefix: "Not sent: "}
	p.Window.SetIcon(Icon)

	p.Header = widget.NewLabel("")
	p.Header.TextStyle.Bold = true
	p.Header.Wrapping = fyne.TextWrapWord

	p.stepBox = container.NewVBox()
	for _, s := range panelSteps {
		row := &stepRow{label: s.label, icon: widget.NewIcon(nil), text: widget.NewLabel(s.label),
			duration: widget.NewLabel("")}
		row.duration.Importance = widget.LowImportance
		p.steps = append(p.steps, row)
		p.byStep[s.step] = row
		p.stepBox.Add(container.NewBorder(nil, nil, row.icon, row.duration, row.text))
	}

	p.Transcript = widget.NewList(
		func() int { return len(p.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.TextStyle.Monospace = true
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			line := p.lines[id]
			switch line.dir {
			case smtpclient.Client:
				l.Importance = widget.HighImportance
			case smtpclient.Server:
				l.Importance = widget.MediumImportance
			default:
				l.Importance = widget.LowImportance
			}
			l.SetText(line.String())
		})

	p.Progress = widget.NewProgressBar()
	p.Speed = widget.NewLabel("")
	p.rcptList = widget.NewList(
		func() int { return len(p.recipients) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.RadioButtonIcon()), nil, l)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			r := p.recipients[id]
			l, icon := row.Objects[0].(*widget.Label), row.Objects[1].(*widget.Icon)
			switch r.state {
			case "accepted":
				icon.SetResource(theme.ConfirmIcon())
				l.Importance = widget.MediumImportance
			case "refused":
				icon.SetResource(theme.ErrorIcon())
				l.Importance = widget.DangerImportance
			default:
				icon.SetResource(theme.RadioButtonIcon())
				l.Importance = widget.LowImportance
			}
			l.SetText(r.String())
		})
	p.Outcome = widget.NewLabel("")
	p.Outcome.Wrapping = fyne.TextWrapWord

	p.CancelButton = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), p.Cancel)
	p.RetryButton = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() {
		if p.OnRetry != nil {
			p.OnRetry()
		}
	})
	p.CloseButton = widget.NewButton("Close", p.dismiss)
	p.AcceptedOnly = widget.NewButtonWithIcon("", theme.MailSendIcon(), func() {
		if p.OnSendAccepted != nil {
			p.OnSendAccepted(p.accepted())
		}
	})
	p.BackToComposer = widget.NewButton("Back to the composer", p.dismiss)
	copyBtn := widget.NewButtonWithIcon("Copy transcript", theme.ContentCopyIcon(), func() {
		a.Clipboard().SetContent(p.TranscriptText())
	})
	saveBtn := widget.NewButtonWithIcon("Save transcript…", theme.DocumentSaveIcon(), p.saveTranscript)

	// Steps take the whole height on the left; on the right the transcript
	// grows, with the progress and the recipients under it.
	steps := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle("Steps", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.stepBox))
	rcpts := container.NewStack(p.rcptList)
	rcptMin := canvas.NewRectangle(color.Transparent)
	rcptMin.SetMinSize(fyne.NewSize(0, 120))
	rcpts.Add(rcptMin)
	p.sendOnly = container.NewVBox(
		container.NewBorder(nil, nil, nil, p.Speed, p.Progress),
		widget.NewLabelWithStyle("Recipients", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		rcpts,
	)
	under := container.NewVBox(
		container.NewHBox(copyBtn, saveBtn),
		p.sendOnly,
	)
	right := container.NewBorder(
		widget.NewLabelWithStyle("Transcript", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		under, nil, nil, p.Transcript)
	split := container.NewHSplit(steps, right)
	split.Offset = 0.25
	bottom := container.NewVBox(
		widget.NewSeparator(),
		p.Outcome,
		container.NewHBox(p.CancelButton, p.RetryButton, p.AcceptedOnly, p.BackToComposer, layout.NewSpacer(), p.CloseButton),
	)
	p.Window.SetContent(container.NewBorder(p.Header, bottom, nil, nil, split))
	p.Window.Resize(fyne.NewSize(960, 660))
	p.Window.SetCloseIntercept(p.closeRequested)
	p.dialogs = escDialogs(p.Window)
	return p
}

// closeRequested closes a finished panel at once; while a send runs it asks
// first, because closing stops the send (and after the whole message went
// out, Stamp would not learn whether the server took it).
func (p *SendPanel) closeRequested() {
	if p.done || p.cancel == nil {
		p.dismiss()
		return
	}
	p.dialogs.show(dialog.NewConfirm("Stop sending?",
		"The message is still being sent. Closing this window stops the send. If the whole message has already gone out, "+
			"the server may still deliver it, and Stamp will not know.",
		func(stop bool) {
			if stop {
				p.Cancel()
				p.dismiss()
			}
		}, p.Window))
}

// dismiss closes the panel, or hides it when it is kept for the next send.
func (p *SendPanel) dismiss() {
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
func (p *SendPanel) Present(then func()) {
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
	time.AfterFunc(frameDelay, func() { fyne.Do(f) })
}

// frameDelay is a little more than one frame of Fyne's 60 Hz loop.
const frameDelay = 20 * time.Millisecond

// Reset prepares the panel for a (new) attempt of job.
func (p *SendPanel) Reset(job SendJob) {
	p.job = job
	p.done = false
	p.clearAttempt()
	p.Header.SetText(fmt.Sprintf("Sending “%s” through %s (%s)", job.Title, job.Config.Address(), job.Config.Security))
	p.Window.SetTitle("Sending " + job.Title + " — Stamp")
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
	p.Speed.SetText(fmt.Sprintf("0 of %s", humanSize(sizeOf(job.Message))))
	p.Outcome.Importance = widget.MediumImportance
	p.Outcome.SetText("Sending…")
	p.CancelButton.Show()
	p.CancelButton.Enable()
	p.RetryButton.Hide()
	p.sendOnly.Show()
	p.AcceptedOnly.Hide()
	p.BackToComposer.Hide()
	p.CloseButton.Hide()
}

// clearAttempt empties what an earlier attempt left in the panel: the
// transcript, the steps' marks and times, the recipients and the progress.
func (p *SendPanel) clearAttempt() {
	p.lines = nil
	p.rcptDone = 0
	p.progressAt, p.progressSent, p.speed = time.Time{}, 0, 0
	for _, r := range p.steps {
		r.took = 0
		r.set(stepWaiting)
	}
	p.recipients = nil
	p.rcptRowLabel()
	p.rcptList.Refresh()
	p.Progress.SetValue(0)
	p.Transcript.Refresh()
}

// running reports whether an attempt is under way in the panel.
func (p *SendPanel) running() bool { return p.cancel != nil && !p.done }

func sizeOf(m smtpclient.Message) int64 {
	if m == nil {
		return 0
	}
	return m.Size()
}

// Start runs job in the background and shows its progress. It returns at
// once; the engine runs on its own goroutine and its events reach the
// widgets through fyne.Do, batched.
func (p *SendPanel) Start(job SendJob) {
	ctx, cancel := context.WithCancel(context.Background())
	p.StartWith(ctx, cancel, job)
}

// StartWith is Start under a context the caller made (the same one that
// covered the preparation, so one Cancel stops either).
func (p *SendPanel) StartWith(ctx context.Context, cancel context.CancelFunc, job SendJob) {
	p.Reset(job)
	p.cancel = cancel
	go func() {
		defer cancel()
		cfg := job.Config
		cfg.Background = true // the window keeps the CPU it needs to paint
		res, err := smtpclient.Send(ctx, cfg, job.Envelope, job.Message, p.Post)
		fyne.Do(func() {
			p.flush()
			p.Finish(res, err)
		})
	}()
}

// Prepare shows that a send is being set up (the password is read from the
// keyring, or asked for); Cancel already works.
func (p *SendPanel) Prepare(subject string, cancel context.CancelFunc) {
	if strings.TrimSpace(subject) == "" {
		subject = "(no subject)"
	}
	p.prepare("Preparing “"+subject+"”…", "Sending "+subject+" — Stamp",
		"Getting the account's password and the message ready…", "Not sent: ", cancel)
}

// PrepareProbe is Prepare for a connection test of the account name.
func (p *SendPanel) PrepareProbe(name string, cancel context.CancelFunc) {
	p.prepare("Testing "+name+"…", "Testing "+name+" — Stamp", "Getting the password…", "The test could not start: ", cancel)
}

func (p *SendPanel) prepare(header, title, outcome, failPrefix string, cancel context.CancelFunc) {
	// A kept panel: nothing of the previous attempt may act on this one.
	p.OnFinished = nil
	p.dialogs.hideTop()
	p.failPrefix = failPrefix
	p.cancel = cancel
	p.done = false
	p.clearAttempt()
	p.Window.SetTitle(title)
	p.Header.SetText(header)
	p.Outcome.Importance = widget.MediumImportance
	p.Outcome.SetText(outcome)
	p.sendOnly.Hide()
	p.CancelButton.Show()
	p.CancelButton.Enable()
	for _, b := range []*widget.Button{p.RetryButton, p.AcceptedOnly, p.BackToComposer, p.CloseButton} {
		b.Hide()
	}
}

// FailBeforeSending shows why a send could not even start (no password, an
// attachment gone, an account that no longer exists).
func (p *SendPanel) FailBeforeSending(err error) {
	p.done = true
	p.CancelButton.Hide()
	p.CloseButton.Show()
	p.Outcome.Importance = widget.DangerImportance
	p.Outcome.SetText(p.failPrefix + err.Error())
}

// StartProbe runs a connection test ("Test connection") with cfg in the
// same panel: connect, TLS, EHLO, STARTTLS, AUTH, QUIT, then a summary of
// what the server offers and whether the login worked.
func (p *SendPanel) StartProbe(cfg smtpclient.Config, name string) {
	ctx, cancel := context.WithCancel(context.Background())
	p.StartProbeWith(ctx, cancel, cfg, name)
}

// StartProbeWith is StartProbe under a context the caller made (the one
// that covered getting the password, so one Cancel stops either).
func (p *SendPanel) StartProbeWith(ctx context.Context, cancel context.CancelFunc, cfg smtpclient.Config, name string) {
	p.Reset(SendJob{Config: cfg, Title: name})
	p.Header.SetText(fmt.Sprintf("Testing %s: %s (%s)", name, cfg.Address(), cfg.Security))
	p.Window.SetTitle("Testing " + name + " — Stamp")
	for _, s := range []smtpclient.Step{smtpclient.StepMail, smtpclient.StepRcpt, smtpclient.StepData, smtpclient.StepMessage} {
		p.byStep[s].set(stepSkipped)
	}
	p.sendOnly.Hide()
	p.Outcome.SetText("Testing…")
	p.cancel = cancel
	go func() {
		defer cancel()
		caps, err := smtpclient.Probe(ctx, cfg, p.Post)
		fyne.Do(func() {
			p.flush()
			p.FinishProbe(cfg, caps, err)
			if p.OnProbeFinished != nil {
				p.OnProbeFinished(err)
			}
		})
	}()
}

// FinishProbe shows what a connection test found.
func (p *SendPanel) FinishProbe(cfg smtpclient.Config, caps *smtpclient.Capabilities, err error) {
	p.done = true
	p.CancelButton.Hide()
	p.CloseButton.Show()
	var se *smtpclient.Error
	if err != nil {
		p.Outcome.Importance = widget.DangerImportance
		if errors.As(err, &se) {
			p.Outcome.SetText(fmt.Sprintf("The test failed at %s. %s", se.Step.Label(), se.Explain()))
		} else {
			p.Outcome.SetText("The test failed: " + err.Error())
		}
		return
	}
	p.Outcome.Importance = widget.SuccessImportance
	p.Outcome.SetText(describeCapabilities(cfg, caps))
}

// describeCapabilities sums up a connection test for a person.
func describeCapabilities(cfg smtpclient.Config, c *smtpclient.Capabilities) string {
	if c == nil {
		return "Connected."
	}
	var parts []string
	if t := c.TLS; t != nil {
		parts = append(parts, fmt.Sprintf("Encrypted with %s (%s); certificate for %s from %s, valid until %s.",
			t.Version, t.CipherSuite, t.Subject, t.Issuer, t.NotAfter.Format("2 Jan 2006")))
	} else {
		parts = append(parts, "Not encrypted (plain text).")
	}
	switch {
	case c.AuthUsed != "":
		parts = append(parts, fmt.Sprintf("Logged in as %s with %s.", cfg.Username, c.AuthUsed))
	case cfg.Username == "":
		parts = append(parts, "No login was tried (the account has none).")
	}
	if len(c.Auth) > 0 {
		parts = append(parts, "Login methods offered: "+strings.Join(c.Auth, ", ")+".")
	}
	switch {
	case c.SizeOffered && c.MaxSize > 0:
		parts = append(parts, "Largest message accepted: "+humanSize(c.MaxSize)+".")
	case c.SizeOffered:
		parts = append(parts, "No fixed size limit announced.")
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	parts = append(parts, fmt.Sprintf("PIPELINING %s, 8BITMIME %s, SMTPUTF8 %s.", yes(c.Pipelining), yes(c.EightBitMIME), yes(c.SMTPUTF8)))
	return "Connection works. " + strings.Join(parts, " ")
}

// Cancel stops the running send; the engine closes the connection at once.
func (p *SendPanel) Cancel() {
	if p.cancel != nil && !p.done {
		p.CancelButton.Disable()
		p.Outcome.SetText("Cancelling…")
		p.cancel()
	}
}

// Post takes an event from the engine's goroutine; events are applied to the
// widgets in batches on the UI goroutine.
func (p *SendPanel) Post(ev smtpclient.Event) {
	p.mu.Lock()
	p.pending = append(p.pending, ev)
	schedule := !p.scheduled
	p.scheduled = true
	p.mu.Unlock()
	if schedule {
		time.AfterFunc(redrawInterval, func() { fyne.Do(p.flush) })
	}
}

// flush applies the pending events (on the UI goroutine).
func (p *SendPanel) flush() {
	p.mu.Lock()
	batch := p.pending
	p.pending = nil
	p.scheduled = false
	p.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	for _, ev := range batch {
		p.apply(ev)
	}
	p.render()
}

// Apply shows one event at once (tests and recorded sequences use it).
func (p *SendPanel) Apply(ev smtpclient.Event) {
	p.apply(ev)
	p.render()
}

// apply updates the state for one event and notes what must be redrawn, so
// a batch redraws each part once.
func (p *SendPanel) apply(ev smtpclient.Event) {
	row := p.byStep[ev.Step]
	switch ev.Kind {
	case smtpclient.EventStepStarted:
		if row != nil {
			if row.state != stepRunning {
				row.started = ev.Time
			}
			row.set(stepRunning)
		}
		if ev.Text != "" {
			p.lines = append(p.lines, transcriptLine{smtpclient.Local, ev.Text})
			p.dirty.transcript = true
		}
	case smtpclient.EventStepFinished:
		if row != nil {
			row.took = ev.Time.Sub(row.started)
			if ev.Step == smtpclient.StepRcpt && p.rcptDone < len(p.recipients) {
				row.set(stepRunning) // more recipients to come
			} else {
				row.set(stepDone)
			}
		}
		if ev.Step == smtpclient.StepMessage && p.progressTotal > 0 {
			p.progressSent = p.progressTotal
			p.dirty.progress = true
		}
	case smtpclient.EventStepFailed:
		if row != nil {
			row.took = ev.Time.Sub(row.started)
			row.set(stepFailed)
		}
		if ev.Err != nil {
			p.lines = append(p.lines, transcriptLine{smtpclient.Local, "failed: " + ev.Err.Error()})
			p.dirty.transcript = true
		}
	case smtpclient.EventLine:
		p.lines = append(p.lines, transcriptLine{ev.Direction, ev.Text})
		p.dirty.transcript = true
	case smtpclient.EventProgress:
		p.progress(ev)
	case smtpclient.EventRecipient:
		p.recipientVerdict(ev)
	}
}

func (p *SendPanel) progress(ev smtpclient.Event) {
	if !p.progressAt.IsZero() {
		if dt := ev.Time.Sub(p.progressAt).Seconds(); dt > 0 {
			inst := float64(ev.Sent-p.progressSent) / dt
			if p.speed == 0 {
				p.speed = inst
			} else {
				p.speed = 0.7*p.speed + 0.3*inst
			}
		}
	}
	p.progressAt, p.progressSent, p.progressTotal = ev.Time, ev.Sent, ev.Total
	p.dirty.progress = true
}

// render shows what a batch of events changed, once.
func (p *SendPanel) render() {
	if p.dirty.transcript {
		p.Transcript.Refresh()
		p.Transcript.ScrollToBottom()
	}
	if p.dirty.recipients {
		p.rcptRowLabel()
		p.rcptList.Refresh()
	}
	if p.dirty.progress {
		if p.progressTotal > 0 {
			p.Progress.SetValue(float64(p.progressSent) / float64(p.progressTotal))
		}
		text := fmt.Sprintf("%s of %s", humanSize(p.progressSent), humanSize(p.progressTotal))
		if p.speed > 0 {
			text += fmt.Sprintf(" · %s/s", humanSize(int64(p.speed)))
		}
		p.Speed.SetText(text)
	}
	p.dirty = struct{ transcript, recipients, progress bool }{}
}

func (p *SendPanel) recipientVerdict(ev smtpclient.Event) {
	var r *recipientRow
	for _, c := range p.recipients {
		if strings.EqualFold(c.address, ev.Recipient) && c.state == "waiting" {
			r = c
			break
		}
	}
	if r == nil {
		r = &recipientRow{field: p.job.Fields[strings.ToLower(ev.Recipient)], address: ev.Recipient}
		p.recipients = append(p.recipients, r)
	}
	r.state = "refused"
	if ev.Accepted {
		r.state = "accepted"
	}
	if ev.Reply != nil {
		r.reply = ev.Reply.String()
	}
	p.rcptDone++
	p.dirty.recipients = true
}

func (p *SendPanel) rcptRowLabel() {
	row := p.byStep[smtpclient.StepRcpt]
	row.text.SetText(fmt.Sprintf("RCPT TO (%d of %d)", p.rcptDone, len(p.recipients)))
}

// allAnswered reports whether the server gave a verdict on every recipient.
func (p *SendPanel) allAnswered() bool {
	for _, r := range p.recipients {
		if r.state == "waiting" {
			return false
		}
	}
	return true
}

func (p *SendPanel) accepted() []string {
	var out []string
	for _, r := range p.recipients {
		if r.state == "accepted" {
			out = append(out, r.address)
		}
	}
	return out
}

// Finish shows the outcome of an attempt in plain words and offers what can
// be done next.
func (p *SendPanel) Finish(res *smtpclient.Result, err error) {
	p.done = true
	p.CancelButton.Hide()
	p.CloseButton.Show()
	if res == nil {
		res = &smtpclient.Result{}
	}
	var se *smtpclient.Error
	switch {
	case err == nil && res.Sent:
		for _, r := range p.steps {
			if r.state == stepWaiting {
				r.set(stepSkipped)
			}
		}
		n := len(res.Accepted())
		text := fmt.Sprintf("Sent to %d %s.", n, plural(n, "recipient", "recipients"))
		if res.QueueID != "" {
			text += fmt.Sprintf(" The server queued it as %s.", res.QueueID)
		}
		if refused := res.Refused(); len(refused) > 0 {
			var names []string
			for _, r := range refused {
				names = append(names, r.Address)
			}
			text += " Not delivered to: " + strings.Join(names, ", ") + "."
			p.Outcome.Importance = widget.WarningImportance
		} else {
			p.Outcome.Importance = widget.SuccessImportance
		}
		p.Outcome.SetText(text)
	case errors.As(err, &se) && se.MayHaveBeenDelivered:
		p.Outcome.Importance = widget.WarningImportance
		p.Outcome.SetText("The message may have been delivered: it was sent completely, but the server's confirmation never arrived. " +
			"Check with a recipient before sending it again, or it may arrive twice. " + se.Explain())
		p.RetryButton.Show()
	case errors.As(err, &se) && se.Kind == smtpclient.ErrorCanceled:
		p.Outcome.Importance = widget.WarningImportance
		p.Outcome.SetText(fmt.Sprintf("Cancelled during %s. Nothing was sent; your message is still in the composer.", se.Step.Label()))
		p.RetryButton.Show()
	case errors.As(err, &se):
		p.Outcome.Importance = widget.DangerImportance
		text := fmt.Sprintf("Not sent: it failed at %s. %s", se.Step.Label(), se.Explain())
		if se.Step == smtpclient.StepAuth && p.job.AuthHint != "" {
			text += " " + p.job.AuthHint
		}
		if acc := p.accepted(); se.Step == smtpclient.StepRcpt && se.Kind == smtpclient.ErrorReply && p.allAnswered() &&
			len(acc) > 0 && len(acc) < len(p.recipients) {
			text = fmt.Sprintf("Not sent: the server refused %d of %d recipients, so nothing was sent. %s",
				len(p.recipients)-len(acc), len(p.recipients), se.Explain())
			p.AcceptedOnly.SetText(fmt.Sprintf("Send to the %d accepted %s", len(acc), plural(len(acc), "recipient", "recipients")))
			p.AcceptedOnly.Show()
			p.BackToComposer.Show()
			p.CloseButton.Hide()
			if se.Temporary {
				p.RetryButton.Show() // greylisting: trying again later may reach everyone
			}
		} else {
			p.RetryButton.Show()
		}
		p.Outcome.SetText(text)
	default:
		p.Outcome.Importance = widget.DangerImportance
		msg := "the send stopped"
		if err != nil {
			msg = err.Error()
		}
		p.Outcome.SetText("Not sent: " + msg)
		p.RetryButton.Show()
	}
	if p.OnRetry == nil {
		p.RetryButton.Hide()
	}
	if p.OnFinished != nil {
		p.OnFinished(res, err)
	}
}

// StepState reports a step's state as a word (tests and accessibility).
func (p *SendPanel) StepState(s smtpclient.Step) string {
	if r := p.byStep[s]; r != nil {
		return r.state.String()
	}
	return ""
}

// RecipientStates lists "field address state" per recipient, in order.
func (p *SendPanel) RecipientStates() []string {
	out := make([]string, len(p.recipients))
	for i, r := range p.recipients {
		out[i] = r.field + " " + r.address + " " + r.state
	}
	return out
}

// TranscriptText is the whole transcript as text, as shown.
func (p *SendPanel) TranscriptText() string {
	var b strings.Builder
	for _, l := range p.lines {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func (p *SendPanel) saveTranscript() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				p.dialogs.show(dialog.NewError(err, p.Window))
			}
			return
		}
		defer w.Close()
		if _, err := w.Write([]byte(p.TranscriptText())); err != nil {
			p.dialogs.show(dialog.NewError(fmt.Errorf("save the transcript: %w", err), p.Window))
		}
	}, p.Window)
	d.SetFileName("stamp-transcript-" + time.Now().Format("20060102-150405") + ".txt")
	p.dialogs.show(d)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	default:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
}
