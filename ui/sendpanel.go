package ui

import (
	"context"

	"fmt"
	"image/color"

	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"

	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
	"stamp/oauth"
	"stamp/smtpclient"
)

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
	label i18n.Message
}{
	{oauth.StepRefresh, i18n.Message{}}, // named when the panel is built (refreshStepLabel: translated)
	{smtpclient.StepConnect, i18n.M("sendpanel.step.connect", "Connect")},
	{smtpclient.StepTLS, i18n.M("sendpanel.step.tls", "TLS")},
	{smtpclient.StepGreeting, i18n.M("sendpanel.step.greeting", "Greeting")},
	{smtpclient.StepEHLO, i18n.M("sendpanel.step.ehlo", "EHLO")},
	{smtpclient.StepSTARTTLS, i18n.M("sendpanel.step.starttls", "STARTTLS")},
	{smtpclient.StepEHLOAgain, i18n.M("sendpanel.step.ehlo_again", "EHLO again")},
	{smtpclient.StepAuth, i18n.M("sendpanel.step.auth", "AUTH")},
	{smtpclient.StepMail, i18n.M("sendpanel.step.mail", "MAIL FROM")},
	{smtpclient.StepRcpt, i18n.M("sendpanel.step.rcpt", "RCPT TO")},
	{smtpclient.StepData, i18n.M("sendpanel.step.data", "DATA")},
	{smtpclient.StepMessage, i18n.M("sendpanel.step.message", "Message sent")},
	{smtpclient.StepQuit, i18n.M("sendpanel.step.quit", "QUIT")},
}

// stepRow is one line of the stepper.
type stepRow struct {
	label    string
	state    stepState
	box      *fyne.Container // the row; the sign-in renewal's shows only when it happens
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
		r.duration.SetText(lang.X("sendpanel.skipped", "skipped"))
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

func (l transcriptLine) String() string { return smtpclient.FormatLine(l.dir, l.text) }

// recipientRow is one recipient's verdict.
type recipientRow struct {
	field   string // To, Cc or Bcc
	address string
	state   string // "waiting", "accepted", "refused"
	reply   string
}

// String is the row's text: field, address, verdict and the server's reply,
// made Printable (the reply is the server's text).
func (r *recipientRow) String() string {
	field := fieldWord(r.field)
	text := fmt.Sprintf("%-3s  %s — %s", field, r.address, recipientStateWord(r.state))
	if r.reply != "" {
		text += " (" + r.reply + ")"
	}
	return smtpclient.Printable(text)
}

// panelMode is what the panel runs: a send, or a connection test (which has
// no message, so no progress and no recipients).
type panelMode int

const (
	modeSend panelMode = iota
	modeProbe
)

// failPrefix is how a failure before the session starts is introduced.
func (m panelMode) failPrefix() string {
	if m == modeProbe {
		return lang.X("sendpanel.probe_could_not_start", "The test could not start: ")
	}
	return lang.X("sendpanel.not_sent_prefix", "Not sent: ")
}

// setMode switches the panel to m: the progress and the recipients belong
// to a send only.
func (p *sendPanel) setMode(m panelMode) {
	p.mode = m
	if m == modeSend {
		p.sendParts.Show()
	} else {
		p.sendParts.Hide()
	}
}

// sendJob is one send the panel runs: the engine's settings (with the secret,
// for this session only), the envelope and the message.
type sendJob struct {
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
	// Transmit, when set, sends instead of smtpclient.Send: oauth.Send for
	// an account that signs in with OAuth 2 (oauth_send.go).
	Transmit func(ctx context.Context, cfg smtpclient.Config, env smtpclient.Envelope, msg smtpclient.Message,
		onEvent func(smtpclient.Event)) (*smtpclient.Result, error)
}

// sendPanel is the window that shows one send as it happens: the protocol
// steps, the live transcript, the DATA progress, each recipient's verdict and
// the outcome in plain words.
type sendPanel struct {
	Window fyne.Window

	Header   *widget.Label
	Progress *widget.ProgressBar
	// progressIdle stands in for the bar until the message starts going
	// out: an empty bar at "0%" read as a full one.
	progressIdle *widget.Label
	Speed        *widget.Label
	Outcome      *widget.Label
	Transcript   *transcriptView

	CancelButton   *widget.Button
	RetryButton    *widget.Button
	CloseButton    *widget.Button
	AcceptedOnly   *widget.Button // "Send to the N accepted recipients"
	BackToComposer *widget.Button // "Back to the composer"
	CopyButton     *widget.Button // "Copy transcript"
	NewPassword    *widget.Button // "Enter a new password…" after a refused login
	OpenAccount    *widget.Button // "Open the account" after a settings problem
	SignInAgain    *widget.Button // "Sign in again…" when the provider refused the sign-in

	// OnFinished runs once per attempt, on the UI goroutine, with the result.
	OnFinished func(res *smtpclient.Result, err error)
	// OnProbeFinished runs after each connection test, on the UI goroutine,
	// with its error (the Accounts window offers to trust a certificate).
	OnProbeFinished func(err error)
	// OnRetry runs when the person asks to try again; nil hides Retry.
	OnRetry func()
	// OnNewPassword runs when the person asks to enter a new password after
	// the server refused the login; nil hides the button.
	OnNewPassword func()
	// OnOpenAccount runs when the person asks to open the account's
	// settings after a failure they can fix there; nil hides the button.
	OnOpenAccount func()
	// OnSignIn runs when the person asks to sign in again after the
	// provider or the server refused an OAuth 2 sign-in; nil hides the
	// button.
	OnSignIn func()
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

	job       sendJob
	mode      panelMode
	result    *smtpclient.Result // the finished send's, the one record of the recipients' verdicts
	cancel    context.CancelFunc
	done      bool
	sendParts *fyne.Container // progress and recipients: shown for a send only
	dialogs   *dialogs
	presented bool // Present has shown the window once

	mu        sync.Mutex
	pending   []smtpclient.Event
	scheduled bool
}

// newSendPanel creates the send panel window (not shown yet).
func newSendPanel(a fyne.App) *sendPanel {
	p := &sendPanel{Window: a.NewWindow(lang.X("sendpanel.title", "Sending — Stamp")), byStep: map[smtpclient.Step]*stepRow{}}
	p.Window.SetIcon(Icon)

	p.Header = widget.NewLabel("")
	p.Header.TextStyle.Bold = true
	p.Header.Wrapping = fyne.TextWrapWord

	p.stepBox = container.NewVBox()
	for _, s := range panelSteps {
		label := s.label.String()
		if s.step == oauth.StepRefresh {
			label = refreshStepLabel()
		}
		row := &stepRow{label: label, icon: widget.NewIcon(nil), text: widget.NewLabel(label),
			duration: widget.NewLabel("")}
		row.duration.Importance = widget.LowImportance
		p.steps = append(p.steps, row)
		p.byStep[s.step] = row
		row.box = container.NewBorder(nil, nil, row.icon, row.duration, row.text)
		p.stepBox.Add(row.box)
	}

	p.Transcript = newTranscriptView()
	p.Transcript.onSelect = p.copyLabel

	p.Progress = widget.NewProgressBar()
	p.progressIdle = widget.NewLabel(lang.X("sendpanel.progress_idle", "Not started: the message goes out after DATA."))
	p.progressIdle.Importance = widget.LowImportance
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

	p.CancelButton = widget.NewButtonWithIcon(lang.X("sendpanel.cancel", "Cancel"), theme.CancelIcon(), p.Cancel)
	p.RetryButton = widget.NewButtonWithIcon(lang.X("sendpanel.retry", "Retry"), theme.ViewRefreshIcon(), func() {
		if p.OnRetry != nil {
			p.OnRetry()
		}
	})
	p.CloseButton = widget.NewButton(lang.X("sendpanel.close", "Close"), p.dismiss)
	p.AcceptedOnly = widget.NewButtonWithIcon("", theme.MailSendIcon(), func() {
		if p.OnSendAccepted != nil {
			p.OnSendAccepted(p.result.Accepted())
		}
	})
	p.BackToComposer = widget.NewButton(lang.X("sendpanel.back_to_composer", "Back to the composer"), p.dismiss)
	p.NewPassword = widget.NewButtonWithIcon(lang.X("sendpanel.new_password", "Enter a new password…"), theme.AccountIcon(), func() {
		if p.OnNewPassword != nil {
			p.OnNewPassword()
		}
	})
	p.OpenAccount = widget.NewButtonWithIcon(lang.X("sendpanel.open_account", "Open the account"), theme.SettingsIcon(), func() {
		if p.OnOpenAccount != nil {
			p.OnOpenAccount()
		}
	})
	p.SignInAgain = newSignInAgainButton(p)
	p.CopyButton = widget.NewButtonWithIcon(lang.X("sendpanel.copy_transcript", "Copy transcript"), theme.ContentCopyIcon(), func() {
		text := p.Transcript.selectedText()
		if text == "" {
			text = p.TranscriptText()
		}
		a.Clipboard().SetContent(text)
	})
	saveBtn := widget.NewButtonWithIcon(lang.X("sendpanel.save_transcript", "Save transcript…"), theme.DocumentSaveIcon(), p.saveTranscript)

	// Steps take the whole height on the left; on the right the transcript
	// grows, with the progress and the recipients under it.
	steps := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle(lang.X("sendpanel.steps", "Steps"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.stepBox))
	rcpts := container.NewStack(p.rcptList)
	rcptMin := canvas.NewRectangle(color.Transparent)
	rcptMin.SetMinSize(fyne.NewSize(0, 84))
	rcpts.Add(rcptMin)
	p.sendParts = container.NewVBox(
		container.NewBorder(nil, nil, nil, p.Speed, container.NewStack(p.Progress, p.progressIdle)),
		widget.NewLabelWithStyle(lang.X("sendpanel.recipients", "Recipients"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		rcpts,
	)
	head := container.NewHBox(widget.NewLabelWithStyle(lang.X("sendpanel.transcript", "Transcript"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		layout.NewSpacer(), p.CopyButton, saveBtn)
	right := container.NewBorder(head, p.sendParts, nil, nil, p.Transcript)
	split := container.NewHSplit(steps, right)
	split.Offset = 0.25
	bottom := container.NewVBox(
		widget.NewSeparator(),
		p.Outcome,
		container.NewHBox(p.CancelButton, p.RetryButton, p.NewPassword, p.SignInAgain, p.OpenAccount, p.AcceptedOnly, p.BackToComposer, layout.NewSpacer(), p.CloseButton),
	)
	p.Window.SetContent(container.NewBorder(p.Header, bottom, nil, nil, split))
	p.Window.Resize(fyne.NewSize(960, 760))
	p.Window.SetCloseIntercept(p.closeRequested)
	p.dialogs = escDialogs(p.Window)
	return p
}

func (p *sendPanel) rcptRowLabel() {
	row := p.byStep[smtpclient.StepRcpt]
	row.text.SetText(lang.X("sendpanel.rcpt_progress", "RCPT TO ({{.Done}} of {{.All}})", map[string]any{"Done": p.rcptDone, "All": len(p.recipients)}))
}

// StepState reports a step's state as a word (tests and accessibility).
func (p *sendPanel) StepState(s smtpclient.Step) string {
	if r := p.byStep[s]; r != nil {
		return r.state.String()
	}
	return ""
}

// RecipientStates lists "field address state" per recipient, in order.
func (p *sendPanel) RecipientStates() []string {
	out := make([]string, len(p.recipients))
	for i, r := range p.recipients {
		out[i] = r.field + " " + r.address + " " + r.state
	}
	return out
}

// fieldWord names a form field in the person's language ("" is To).
func fieldWord(field string) string {
	switch field {
	case "Cc":
		return lang.X("compose.field.cc", "Cc")
	case "Bcc":
		return lang.X("compose.field.bcc", "Bcc")
	}
	return lang.X("compose.field.to", "To")
}

// recipientStateWord is a recipient's verdict in the person's language.
func recipientStateWord(state string) string {
	switch state {
	case "accepted":
		return lang.X("sendpanel.rcpt.accepted", "accepted")
	case "refused":
		return lang.X("sendpanel.rcpt.refused", "refused")
	}
	return lang.X("sendpanel.rcpt.waiting", "waiting")
}

func formatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return lang.X("sendpanel.under_ms", "<1 ms")
	case d < time.Second:
		return lang.X("sendpanel.ms", "{{.Ms}} ms", map[string]any{"Ms": d.Milliseconds()})
	default:
		return lang.X("sendpanel.seconds", "{{.Seconds}} s", map[string]any{"Seconds": fmt.Sprintf("%.1f", d.Seconds())})
	}
}
