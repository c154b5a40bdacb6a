package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"stamp/smtpclient"
)

// FinishProbe shows what a connection test found.
func (p *sendPanel) FinishProbe(cfg smtpclient.Config, caps *smtpclient.Capabilities, err error) {
	p.done = true
	p.CancelButton.Hide()
	p.CloseButton.Show()
	var se *smtpclient.Error
	if err != nil {
		if errors.As(err, &se) {
			p.setOutcome(widget.DangerImportance, fmt.Sprintf("The test failed at %s. %s", se.Step.Label(), se.Explain()))
		} else {
			p.setOutcome(widget.DangerImportance, "The test failed: "+err.Error())
		}
		p.offerFixes(se)
		return
	}
	p.setOutcome(widget.SuccessImportance, describeCapabilities(cfg, caps))
}

// setOutcome shows text as the outcome. Everything shown there may hold a
// server's words (a reply, a certificate name), so it is made Printable.
func (p *sendPanel) setOutcome(importance widget.Importance, text string) {
	p.Outcome.Importance = importance
	p.Outcome.SetText(smtpclient.Printable(text))
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

// SendOutcome is what the end of a send means for the message: the
// engine's own classification (smtpclient.Outcome), shared with the outbox.
type SendOutcome = smtpclient.Outcome

// The three outcomes of a send (see smtpclient.Outcome).
const (
	NotSent   = smtpclient.NotSent
	Sent      = smtpclient.Sent
	MaybeSent = smtpclient.MaybeSent
)

// mayHaveBeenDelivered is how the engine ends the message of an error after
// the final dot; the outcome says it in its own words, once.
const mayHaveBeenDeliveredNote = "; the whole message was sent but no final reply came"

// Finish shows the outcome of an attempt in plain words and offers what can
// be done next. The recipients' verdicts come from res (the engine's record),
// and the rows are brought in line with it.
func (p *sendPanel) Finish(res *smtpclient.Result, err error) {
	p.done = true
	p.CancelButton.Hide()
	p.CloseButton.Show()
	if res == nil {
		res = &smtpclient.Result{}
	}
	p.result = res
	p.syncRecipients(res)
	var se *smtpclient.Error
	errors.As(err, &se)
	switch smtpclient.OutcomeOf(res, err) {
	case Sent:
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
		importance := widget.SuccessImportance
		if refused := res.Refused(); len(refused) > 0 {
			var names []string
			for _, r := range refused {
				names = append(names, r.Address)
			}
			text += " Not delivered to: " + strings.Join(names, ", ") + "."
			importance = widget.WarningImportance
		}
		p.setOutcome(importance, text)
	case MaybeSent:
		why := "the server's confirmation never arrived"
		switch {
		case se.Kind == smtpclient.ErrorCanceled:
			why = "the send was stopped before the server confirmed it"
		case se.Kind == smtpclient.ErrorTimeout:
			why = "the server did not confirm it in time"
		case se.Kind == smtpclient.ErrorConnection:
			why = "the connection broke before the server confirmed it"
		}
		text := "The message may have been delivered: it was sent completely, but " + why + ". " +
			"Check with a recipient before sending it again, or it may arrive twice."
		if detail, _, _ := strings.Cut(se.Message, mayHaveBeenDeliveredNote); detail != "" {
			text += " (At " + se.Step.Label() + ": " + detail + ")"
		}
		p.setOutcome(widget.WarningImportance, text)
		p.RetryButton.Show()
	default:
		p.notSent(res, se, err)
	}
	if p.OnRetry == nil {
		p.RetryButton.Hide()
	}
	if p.OnFinished != nil {
		p.OnFinished(res, err)
	}
}

// notSent words a send that did not deliver the message.
func (p *sendPanel) notSent(res *smtpclient.Result, se *smtpclient.Error, err error) {
	if p.signInFailure(err) {
		return
	}
	switch {
	case se != nil && se.Kind == smtpclient.ErrorCanceled:
		p.setOutcome(widget.WarningImportance,
			fmt.Sprintf("Cancelled during %s. Nothing was sent; your message is still in the composer.", se.Step.Label()))
		p.RetryButton.Show()
	case se != nil:
		text := fmt.Sprintf("Not sent: it failed at %s. %s", se.Step.Label(), se.Explain())
		if se.Step == smtpclient.StepAuth && p.job.AuthHint != "" {
			text += " " + p.job.AuthHint
		}
		acc, all := res.Accepted(), len(res.Recipients)
		if se.Step == smtpclient.StepRcpt && se.Kind == smtpclient.ErrorReply && allAnswered(res) &&
			len(acc) > 0 && len(acc) < all {
			text = fmt.Sprintf("Not sent: the server refused %d of %d recipients, so nothing was sent. %s",
				all-len(acc), all, se.Explain())
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
		p.setOutcome(widget.DangerImportance, text)
		p.offerFixes(se)
	default:
		msg := "the send stopped"
		if err != nil {
			msg = err.Error()
		}
		p.setOutcome(widget.DangerImportance, "Not sent: "+msg)
		p.RetryButton.Show()
	}
}

// allAnswered reports whether the server gave a verdict on every recipient.
func allAnswered(res *smtpclient.Result) bool {
	for _, r := range res.Recipients {
		if !r.Accepted && r.Reply == nil {
			return false
		}
	}
	return true
}

// syncRecipients makes the recipient rows show the engine's verdicts, the
// one record of who was accepted.
func (p *sendPanel) syncRecipients(res *smtpclient.Result) {
	if len(res.Recipients) == 0 {
		return
	}
	rows := make([]*recipientRow, 0, len(res.Recipients))
	for _, rr := range res.Recipients {
		r := &recipientRow{field: p.job.Fields[strings.ToLower(rr.Address)], address: rr.Address, state: "waiting"}
		switch {
		case rr.Accepted:
			r.state = "accepted"
		case rr.Reply != nil:
			r.state = "refused"
		}
		if rr.Reply != nil {
			r.reply = rr.Reply.String()
		}
		rows = append(rows, r)
	}
	p.recipients = rows
	p.rcptDone = len(rows)
	for _, r := range rows {
		if r.state == "waiting" {
			p.rcptDone--
		}
	}
	p.rcptRowLabel()
	p.rcptList.Refresh()
}

// offerFixes offers the way out of a failure that trying again the same way
// cannot fix: a refused login asks for a new password; a problem with the
// account's settings (server, port, security, certificate) opens the account.
func (p *sendPanel) offerFixes(se *smtpclient.Error) {
	if se == nil {
		return
	}
	login := se.Step == smtpclient.StepAuth && se.Kind == smtpclient.ErrorReply && se.Code/100 == 5
	if login && p.OnNewPassword != nil {
		p.NewPassword.Show()
	}
	settings := login
	switch se.Kind {
	case smtpclient.ErrorTLS, smtpclient.ErrorPolicy:
		settings = true
	case smtpclient.ErrorConnection, smtpclient.ErrorTimeout:
		settings = se.Step == smtpclient.StepConnect || se.Step == smtpclient.StepGreeting || se.Step == smtpclient.StepTLS
	}
	if settings && p.OnOpenAccount != nil {
		p.OpenAccount.Show()
	}
}

// TranscriptText is the whole transcript as text, as shown: each line
// rendered by smtpclient.FormatLine, so what is copied or saved holds no
// control or bidi character a server sent.
func (p *sendPanel) TranscriptText() string {
	var b strings.Builder
	for _, l := range p.lines {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func (p *sendPanel) saveTranscript() {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				p.dialogs.show(dialog.NewError(err, p.Window))
			}
			return
		}
		if err := p.writeTranscript(w); err != nil {
			p.dialogs.show(dialog.NewError(fmt.Errorf("save the transcript: %w", err), p.Window))
		}
	}, p.Window)
	d.SetFileName("stamp-transcript-" + time.Now().Format("20060102-150405") + ".txt")
	p.dialogs.show(d)
}

// writeTranscript writes TranscriptText to w (Save transcript…) and closes it.
func (p *sendPanel) writeTranscript(w io.WriteCloser) error {
	_, err := io.WriteString(w, p.TranscriptText())
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}
