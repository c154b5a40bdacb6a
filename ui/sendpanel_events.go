package ui

import (
	"strings"
	"time"

	"stamp/oauth"
	"stamp/smtpclient"

	"fyne.io/fyne/v2/lang"
)

// redrawInterval batches engine events into at most ~60 UI updates a second,
// so a fast send never floods the UI goroutine.
const redrawInterval = time.Second / 60

// Post takes an event from the engine's goroutine; events are applied to the
// widgets in batches on the UI goroutine.
func (p *sendPanel) Post(ev smtpclient.Event) {
	p.mu.Lock()
	p.pending = append(p.pending, ev)
	schedule := !p.scheduled
	p.scheduled = true
	p.mu.Unlock()
	if schedule {
		time.AfterFunc(redrawInterval, func() { runOnUI(p.flush) })
	}
}

// flush applies the pending events (on the UI goroutine).
func (p *sendPanel) flush() {
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
func (p *sendPanel) Apply(ev smtpclient.Event) {
	p.apply(ev)
	p.render()
}

// apply updates the state for one event and notes what must be redrawn, so
// a batch redraws each part once.
func (p *sendPanel) apply(ev smtpclient.Event) {
	row := p.byStep[ev.Step]
	if ev.Step == oauth.StepRefresh && row != nil {
		row.box.Show() // the renewal is its own step when it happens
	}
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
			p.lines = append(p.lines, transcriptLine{smtpclient.Local, failureLine(ev.Err)})
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

func (p *sendPanel) progress(ev smtpclient.Event) {
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
func (p *sendPanel) render() {
	if p.dirty.transcript {
		p.Transcript.set(p.lines)
	}
	if p.dirty.recipients {
		p.rcptRowLabel()
		p.rcptList.Refresh()
	}
	if p.dirty.progress {
		if p.progressTotal > 0 {
			p.progressIdle.Hide()
			p.Progress.Show()
			p.Progress.SetValue(float64(p.progressSent) / float64(p.progressTotal))
		}
		text := lang.X("sendpanel.progress", "{{.Sent}} of {{.Total}}", map[string]any{"Sent": humanSize(p.progressSent), "Total": humanSize(p.progressTotal)})
		if p.speed > 0 {
			text += lang.X("sendpanel.speed", " · {{.Size}}/s", map[string]any{"Size": humanSize(int64(p.speed))})
		}
		p.Speed.SetText(text)
	}
	p.dirty = struct{ transcript, recipients, progress bool }{}
}

func (p *sendPanel) recipientVerdict(ev smtpclient.Event) {
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

// failureLine is the transcript's line for a failed step: where, and what
// the server said (code, enhanced code and its words) or Stamp's own
// description of a local failure, with Stamp's note about it.
func failureLine(e *smtpclient.Error) string {
	data := map[string]any{"Step": e.Step.Label(), "Detail": replyText(e)}
	line := lang.X("sendpanel.transcript_failed", "failed at {{.Step}}: {{.Detail}}", data)
	if e.Note != "" {
		data["Note"] = e.Note
		line = lang.X("sendpanel.transcript_failed_note", "failed at {{.Step}}: {{.Detail}} ({{.Note}})", data)
	}
	if e.MayHaveBeenDelivered {
		line += lang.X("sendpanel.transcript_maybe_delivered", "; the message may have been delivered")
	}
	return line
}
