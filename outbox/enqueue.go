package outbox

import (
	"fmt"
	"os"
	"time"

	"stamp/compose"
	"stamp/internal/atomicfile"
	"stamp/smtpclient"
)

// DefaultUndoDelay is the undo delay of a Send unless the person chose
// another; MaxUndoDelay the longest the outbox takes (issue 18: 0 to 60 s).
const (
	DefaultUndoDelay = 10 * time.Second
	MaxUndoDelay     = 60 * time.Second
)

// New is a message to put in the outbox.
type New struct {
	// Account is the sender's account ID, handed to Sender.Send.
	Account string
	// Envelope is MAIL FROM and every RCPT TO.
	Envelope smtpclient.Envelope
	// Message is written into the outbox once, in Enqueue (a
	// *compose.Writer reads the attachments then).
	Message smtpclient.Message
	// Subject is for lists.
	Subject string
	// SentCopy keeps a copy in the Sent folder once sent, with SentHeader
	// (compose.SentHeader) on top.
	SentCopy   bool
	SentHeader []byte
	// Draft is kept as is beside the message and handed back by Take:
	// the composer's form, for Undo and Edit.
	Draft []byte
	// Delay is the undo delay: the message waits this long (0: it is due
	// at once; at most MaxUndoDelay).
	Delay time.Duration
	// At, when set, is Send later's time: the message is Scheduled for it.
	At time.Time
}

// FromCompose prepares m for the outbox: its envelope, its writer (which
// fixes the Date and Message-ID), its subject and its Sent copy's header.
// The caller sets Account, SentCopy, Draft, Delay and At.
func FromCompose(m *compose.Message) (New, error) {
	env, err := m.Envelope()
	if err != nil {
		return New{}, err
	}
	w, err := m.NewWriter(compose.WriteOptions{})
	if err != nil {
		return New{}, err
	}
	return New{
		Envelope:   smtpclient.Envelope{From: env.From, To: env.To, SMTPUTF8: env.SMTPUTF8, EightBitMIME: env.EightBitMIME},
		Message:    w,
		Subject:    m.Subject,
		SentHeader: compose.SentHeader(w.Message()),
	}, nil
}

// Enqueue writes n into the outbox and returns its record. The message is
// complete on disk (flushed) before its record exists; on any error (a
// full disk) nothing is left behind and the caller still has the message.
func (o *Outbox) Enqueue(n New) (Record, error) {
	if n.Message == nil || len(n.Envelope.To) == 0 {
		return Record{}, fmt.Errorf("outbox: a message and at least one recipient are needed")
	}
	now := time.Now()
	var id string
	var c *claim
	for {
		id = newID(now)
		var err error
		if c, err = o.lock(id, true); err == nil {
			break
		} else if !os.IsExist(err) && err != ErrBusy {
			return Record{}, fmt.Errorf("put the message in the outbox: %w", err)
		}
	}
	r := Record{
		Version: 1, ID: id, Account: n.Account,
		From: n.Envelope.From, To: append([]string(nil), n.Envelope.To...),
		SMTPUTF8: n.Envelope.SMTPUTF8, EightBitMIME: n.Envelope.EightBitMIME,
		Subject: n.Subject, Size: n.Message.Size(),
		SentCopy: n.SentCopy, SentHeader: string(n.SentHeader),
		State: Waiting, Created: now, NextAttempt: now.Add(min(max(n.Delay, 0), MaxUndoDelay)),
	}
	if !n.At.IsZero() && n.At.After(r.NextAttempt) {
		r.State, r.Scheduled, r.NextAttempt = Scheduled, n.At, n.At
	}
	fail := func(err error) (Record, error) {
		defer c.release()
		os.Remove(o.path(id, ".json"))
		os.Remove(o.path(id, ".eml"))
		os.Remove(o.path(id, ".draft"))
		os.Remove(o.path(id, ".lock"))
		return Record{}, fmt.Errorf("put the message in the outbox: %w", err)
	}
	if err := writeMessage(o.path(id, ".eml"), n.Message); err != nil {
		return fail(err)
	}
	if n.Draft != nil {
		if err := atomicfile.WriteBytes(o.path(id, ".draft"), 0o600, n.Draft); err != nil {
			return fail(err)
		}
	}
	hook("enqueue-message-written", id)
	if err := o.save(&r); err != nil {
		return fail(err)
	}
	hook("enqueued", id)
	c.release()
	o.Kick() // after the release: a Flush woken by it must find the lock free
	return r, nil
}

// hook does nothing in production; the reliability tests (a helper process built
// from the test binary) set it to die with kill -9 at the named point.
var hook = func(point, id string) {}
