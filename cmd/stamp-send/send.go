package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"stamp/compose"
	"stamp/i18n"
	"stamp/smtpclient"
)

// progressEvery is how often the text transcript shows DATA progress; the
// engine reports more often, for progress bars.
const progressEvery = 500 * time.Millisecond

// send runs one SMTP session through the engine, with the transcript on
// stderr, and returns the exit code of DESIGN.md.
func send(ctx context.Context, opts *options, msg *compose.Message, stdout, stderr io.Writer) int {
	cenv, err := opts.envelope()
	if err != nil {
		complain(stderr, "stamp-send:", err)
		return exitUsage
	}
	env := smtpclient.Envelope{From: cenv.From, To: cenv.To, SMTPUTF8: cenv.SMTPUTF8, EightBitMIME: cenv.EightBitMIME}

	var m smtpclient.Message
	if msg != nil {
		w, err := msg.NewWriter(compose.WriteOptions{})
		if err != nil {
			complain(stderr, "stamp-send:", err)
			return exitUsage
		}
		m = w
	} else {
		// --eml: the file as is. The engine still normalises line ends and
		// dot-stuffs, so nothing in the file can end the data early.
		f, err := smtpclient.OpenFile(opts.EML)
		if err != nil {
			complain(stderr, "stamp-send: --eml:", err)
			return exitUsage
		}
		defer f.Close()
		if eight, err := eightBitFile(opts.EML); err != nil {
			complain(stderr, "stamp-send: --eml:", err)
			return exitUsage
		} else if eight {
			env.EightBitMIME = true
		}
		m = f
	}

	cfg, err := opts.config()
	if err != nil {
		complain(stderr, "stamp-send:", err)
		return exitUsage
	}
	out := &transcript{w: stderr, json: opts.JSON, quiet: opts.Quiet}
	if opts.saved != nil {
		out.addArgs = addCommand(*opts.saved)
	} else {
		out.addArgs, out.oneOff = opts.addCommandFor(), true
	}
	res, err := opts.transmit(ctx, cfg, env, m, out)
	code := oauthExitCode(res, err)
	out.finish(res, err, code)
	if code == exitOK || code == exitPartial {
		if m, err := opts.addresses(); err == nil {
			learnContacts(m, stderr)
		}
	}
	if !opts.JSON {
		explainOAuth(stderr, err)
	}
	return code
}

// config turns the options into the engine's configuration. The password
// goes to the engine only; XOAUTH2 takes it as the token.
func (o *options) config() (smtpclient.Config, error) {
	sec, err := smtpclient.ParseSecurity(o.Security)
	if err != nil {
		return smtpclient.Config{}, err
	}
	auth, err := smtpclient.ParseAuthMechanism(o.Auth)
	if err != nil {
		return smtpclient.Config{}, err
	}
	cfg := smtpclient.Config{
		Host:               o.Host,
		Port:               o.Port,
		Security:           sec,
		Username:           o.User,
		Password:           o.Password,
		Auth:               auth,
		CAFile:             o.CAFile,
		PinnedSHA256:       o.Pin,
		Timeout:            o.Timeout,
		ContinueOnRejected: o.ContinueOnRejected,
	}
	if auth == smtpclient.AuthXOAUTH2 {
		cfg.OAuth2Token, cfg.Password = o.Password, ""
	}
	if cfg.Username != "" && o.Password == "" && !o.signedIn() {
		return cfg, usagef("%s", i18n.T("send.user_needs_password", "--user {{.User}} needs a password: --password-env VAR or --password-stdin", map[string]any{"User": o.User}))
	}
	return cfg, nil
}

func eightBitFile(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	return smtpclient.HasEightBit(f)
}

// exitCode maps the outcome to DESIGN.md's exit codes.
func exitCode(res *smtpclient.Result, err error) int {
	if err == nil {
		if len(res.Refused()) > 0 {
			return exitPartial
		}
		return exitOK
	}
	var e *smtpclient.Error
	if !errors.As(err, &e) {
		return exitFailure
	}
	switch e.Kind {
	case smtpclient.ErrorInput, smtpclient.ErrorSource:
		return exitUsage
	case smtpclient.ErrorTimeout, smtpclient.ErrorCanceled:
		return exitTimeout
	case smtpclient.ErrorConnection, smtpclient.ErrorTLS, smtpclient.ErrorProtocol:
		return exitConnect
	}
	switch e.Step {
	case smtpclient.StepAuth:
		return exitAuth
	case smtpclient.StepConnect, smtpclient.StepTLS, smtpclient.StepGreeting, smtpclient.StepEHLO,
		smtpclient.StepSTARTTLS, smtpclient.StepEHLOAgain:
		return exitConnect
	}
	return exitRefused
}

// transcript writes events to stderr: "-> " for what we sent, "<- " for
// what the server answered, "=== " for steps and notes; or one JSON object
// per line with --json; or nothing but the outcome with --quiet.
type transcript struct {
	w            io.Writer
	json, quiet  bool
	lastProgress time.Time
	// addArgs is the `stamp-send account add` command that saves the
	// settings in use, for trusting an unknown certificate; oneOff says
	// they come from flags, not from a saved account.
	addArgs []string
	oneOff  bool
}

// silentSteps are steps whose start needs no "===" line: their command
// line says it all.
var silentSteps = map[smtpclient.Step]bool{
	smtpclient.StepGreeting: true, smtpclient.StepEHLO: true, smtpclient.StepEHLOAgain: true,
	smtpclient.StepMail: true, smtpclient.StepData: true, smtpclient.StepMessage: true,
	smtpclient.StepQuit: true, smtpclient.StepReset: true,
}

func (t *transcript) event(ev smtpclient.Event) {
	switch {
	case t.quiet:
		return
	case t.json:
		b, err := json.Marshal(ev)
		if err == nil {
			t.w.Write(append(printableJSON(b), '\n'))
		}
		return
	}
	switch ev.Kind {
	case smtpclient.EventLine:
		t.line(ev.Direction, ev.Text)
	case smtpclient.EventStepStarted:
		if !silentSteps[ev.Step] {
			t.note(ev.Text)
		}
	case smtpclient.EventStepFailed:
		// The step as people call it, and the error without Error()'s
		// "smtp <step>: " prefix, which only repeats the step.
		// Without Error()'s "(the message may have been delivered)"
		// either: finish says it, once.
		failed := *ev.Err
		failed.MayHaveBeenDelivered = false
		detail := strings.TrimPrefix(failed.Error(), "smtp "+string(ev.Err.Step)+": ")
		t.note(i18n.T("send.step_failed", "{{.Step}} failed: {{.Error}}", map[string]any{"Step": ev.Step.Label(), "Error": detail}))
	case smtpclient.EventRecipient:
		if !ev.Accepted {
			t.note(i18n.T("send.recipient_refused", "recipient {{.Recipient}} refused: {{.Reply}}", map[string]any{"Recipient": ev.Recipient, "Reply": fmt.Sprint(ev.Reply)}))
		}
	case smtpclient.EventProgress:
		if ev.Sent == 0 && ev.Total > 0 {
			return // the "<message, N bytes>" line already said it starts
		}
		if now := time.Now(); now.Sub(t.lastProgress) >= progressEvery || ev.Sent == ev.Total {
			t.lastProgress = now
			t.note(i18n.T("send.progress", "DATA {{.Sent}}/{{.Total}} bytes", map[string]any{"Sent": ev.Sent, "Total": ev.Total}))
		}
	}
}

// line writes one transcript line through smtpclient.FormatLine, the one
// renderer: whatever the server put in text is shown, never obeyed.
func (t *transcript) line(dir smtpclient.Direction, text string) {
	fmt.Fprintln(t.w, smtpclient.FormatLine(dir, text))
}

// note writes a "=== " line.
func (t *transcript) note(text string) { t.line(smtpclient.Local, text) }

// finish reports the outcome: a summary line, or the error explained for
// a person. With --json it is one last "result" object.
func (t *transcript) finish(res *smtpclient.Result, err error, code int) {
	var e *smtpclient.Error
	errors.As(err, &e)
	if t.json {
		b, _ := json.Marshal(struct {
			Kind   string             `json:"kind"`
			Exit   int                `json:"exit"`
			Result *smtpclient.Result `json:"result"`
			Error  *smtpclient.Error  `json:"error,omitempty"`
		}{"result", code, res, e})
		t.w.Write(append(printableJSON(b), '\n'))
		return
	}
	if err != nil {
		msg := err.Error()
		switch {
		case e != nil && e.MayHaveBeenDelivered:
			// What happened, then the warning below says it may have been
			// delivered, once: the engine's advice (which says it too, or
			// for a cancel "send again when ready") is left out.
			msg = e.Summary()
			if t.quiet && e.Message != "" {
				msg += " (" + e.Message + ")" // no transcript said it
			}
		case e != nil:
			msg = e.Explain()
		}
		fmt.Fprintln(t.w, "stamp-send: "+smtpclient.Printable(msg))
		if e != nil && e.MayHaveBeenDelivered {
			fmt.Fprintln(t.w, "stamp-send: "+i18n.T("send.may_have_been_delivered", "warning: the message may have been delivered; check before sending it again"))
		}
		if t.addArgs != nil {
			printUntrusted(t.w, untrustedCertificate(err, t.addArgs, t.oneOff))
		}
		return
	}
	if t.quiet && code == exitOK {
		return
	}
	accepted := res.Accepted()
	line := i18n.N("send.sent_to", "sent to {{.Count}} recipient", "sent to {{.Count}} recipients", len(accepted))
	if res.QueueID != "" {
		line += i18n.T("send.queue_id", ", queue id {{.ID}}", map[string]any{"ID": res.QueueID})
	}
	if refused := res.Refused(); len(refused) > 0 {
		var names []string
		for _, r := range refused {
			names = append(names, fmt.Sprintf("%s (%s)", r.Address, r.Reply))
		}
		line += i18n.T("send.refused", "; {{.Count}} refused: {{.Names}}", map[string]any{"Count": len(refused), "Names": strings.Join(names, ", ")})
	}
	t.note(line)
}
