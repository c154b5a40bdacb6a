package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"stamp/smtpclient"
)

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
