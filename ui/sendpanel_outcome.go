package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
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
			p.setOutcome(widget.DangerImportance, lang.X("sendpanel.probe_failed_at", "The test failed at {{.Step}}. {{.Explanation}}", map[string]any{"Step": se.Step.Label(), "Explanation": se.Explain()}))
		} else {
			p.setOutcome(widget.DangerImportance, lang.X("sendpanel.probe_failed", "The test failed: {{.Error}}", map[string]any{"Error": err.Error()}))
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
		return lang.X("sendpanel.probe.connected", "Connected.")
	}
	var parts []string
	if t := c.TLS; t != nil {
		parts = append(parts, lang.X("sendpanel.probe.encrypted", "Encrypted with {{.Version}} ({{.Cipher}}); certificate for {{.Subject}} from {{.Issuer}}, valid until {{.Until}}.",
			map[string]any{"Version": t.Version, "Cipher": t.CipherSuite, "Subject": t.Subject, "Issuer": t.Issuer, "Until": t.NotAfter.Format(lang.X("sendpanel.probe.date_layout", "2 Jan 2006"))}))
	} else {
		parts = append(parts, lang.X("sendpanel.probe.plain", "Not encrypted (plain text)."))
	}
	switch {
	case c.AuthUsed != "":
		parts = append(parts, lang.X("sendpanel.probe.logged_in", "Logged in as {{.User}} with {{.Method}}.", map[string]any{"User": cfg.Username, "Method": c.AuthUsed}))
	case cfg.Username == "":
		parts = append(parts, lang.X("sendpanel.probe.no_login", "No login was tried (the account has none)."))
	}
	if len(c.Auth) > 0 {
		parts = append(parts, lang.X("sendpanel.probe.methods", "Login methods offered: {{.Methods}}.", map[string]any{"Methods": strings.Join(c.Auth, ", ")}))
	}
	switch {
	case c.SizeOffered && c.MaxSize > 0:
		parts = append(parts, lang.X("sendpanel.probe.max_size", "Largest message accepted: {{.Size}}.", map[string]any{"Size": humanSize(c.MaxSize)}))
	case c.SizeOffered:
		parts = append(parts, lang.X("sendpanel.probe.no_limit", "No fixed size limit announced."))
	}
	yes := func(b bool) string {
		if b {
			return lang.X("sendpanel.probe.yes", "yes")
		}
		return lang.X("sendpanel.probe.no", "no")
	}
	parts = append(parts, lang.X("sendpanel.probe.extensions", "PIPELINING {{.Pipelining}}, 8BITMIME {{.EightBit}}, SMTPUTF8 {{.UTF8}}.", map[string]any{"Pipelining": yes(c.Pipelining), "EightBit": yes(c.EightBitMIME), "UTF8": yes(c.SMTPUTF8)}))
	return lang.X("sendpanel.probe.works", "Connection works. {{.Details}}", map[string]any{"Details": strings.Join(parts, lang.X("sendpanel.sentence_gap", " "))})
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
		text := i18n.N("sendpanel.sent_to", "Sent to {{.Count}} recipient.", "Sent to {{.Count}} recipients.", n)
		if res.QueueID != "" {
			text += lang.X("sendpanel.queued_as", " The server queued it as {{.ID}}.", map[string]any{"ID": res.QueueID})
		}
		importance := widget.SuccessImportance
		if refused := res.Refused(); len(refused) > 0 {
			var names []string
			for _, r := range refused {
				names = append(names, r.Address)
			}
			text += lang.X("sendpanel.not_delivered_to", " Not delivered to: {{.Names}}.", map[string]any{"Names": strings.Join(names, ", ")})
			importance = widget.WarningImportance
		}
		p.setOutcome(importance, text)
	case MaybeSent:
		text := lang.X("sendpanel.maybe.no_confirmation", "The message may have been delivered: it was sent completely, but the server's confirmation never arrived. Check with a recipient before sending it again, or it may arrive twice.")
		switch {
		case se.Kind == smtpclient.ErrorCanceled:
			text = lang.X("sendpanel.maybe.cancelled", "The message may have been delivered: it was sent completely, but the send was stopped before the server confirmed it. Check with a recipient before sending it again, or it may arrive twice.")
		case se.Kind == smtpclient.ErrorTimeout:
			text = lang.X("sendpanel.maybe.timeout", "The message may have been delivered: it was sent completely, but the server did not confirm it in time. Check with a recipient before sending it again, or it may arrive twice.")
		case se.Kind == smtpclient.ErrorConnection:
			text = lang.X("sendpanel.maybe.connection", "The message may have been delivered: it was sent completely, but the connection broke before the server confirmed it. Check with a recipient before sending it again, or it may arrive twice.")
		}
		if se.Message != "" { // the failure itself; the outcome above says it may have been delivered, once
			text += lang.X("sendpanel.maybe.detail", " (At {{.Step}}: {{.Detail}})", map[string]any{"Step": se.Step.Label(), "Detail": se.Message})
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
			lang.X("sendpanel.cancelled_during", "Cancelled during {{.Step}}. Nothing was sent; your message is still in the composer.", map[string]any{"Step": se.Step.Label()}))
		p.RetryButton.Show()
	case se != nil:
		text := lang.X("sendpanel.failed_at", "Not sent: it failed at {{.Step}}. {{.Explanation}}", map[string]any{"Step": se.Step.Label(), "Explanation": se.Explain()})
		if se.Step == smtpclient.StepAuth && p.job.AuthHint != "" {
			text += " " + p.job.AuthHint
		}
		acc, all := res.Accepted(), len(res.Recipients)
		if se.Step == smtpclient.StepRcpt && se.Kind == smtpclient.ErrorReply && allAnswered(res) &&
			len(acc) > 0 && len(acc) < all {
			text = lang.X("sendpanel.some_refused", "Not sent: the server refused {{.Refused}} of {{.All}} recipients, so nothing was sent. {{.Explanation}}",
				map[string]any{"Refused": all - len(acc), "All": all, "Explanation": se.Explain()})
			p.AcceptedOnly.SetText(i18n.N("sendpanel.send_accepted", "Send to the {{.Count}} accepted recipient", "Send to the {{.Count}} accepted recipients", len(acc)))
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
		msg := lang.X("sendpanel.stopped", "the send stopped")
		if err != nil {
			msg = err.Error()
		}
		p.setOutcome(widget.DangerImportance, lang.X("sendpanel.not_sent", "Not sent: {{.Error}}", map[string]any{"Error": msg}))
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
	d := newFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			if err != nil {
				p.dialogs.show(dialog.NewError(err, p.Window))
			}
			return
		}
		if err := p.writeTranscript(w); err != nil {
			p.dialogs.show(dialog.NewError(fmt.Errorf("%s: %w", lang.X("sendpanel.save_transcript_failed", "save the transcript"), err), p.Window))
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
