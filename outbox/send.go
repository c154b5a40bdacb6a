package outbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"stamp/compose"
	"stamp/internal/atomicfile"
	"stamp/internal/boundedfile"
	"stamp/smtpclient"
)

// Sender sends one message through the account's real send path:
// smtpclient.Send with the account's settings and keyring secret, or
// oauth.Send for an account that signs in (AccountSender does both; the
// app adds its sandbox). onEvent must get every engine event, on the
// calling goroutine, as smtpclient.Send delivers them: the outbox records
// the DATA stage from it. An error that is not the engine's says why
// nothing was sent (no such account, no password, sign in again).
type Sender interface {
	Send(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error)
}

// SenderFunc makes a function a Sender.
type SenderFunc func(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error)

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
	return f(ctx, account, env, msg, onEvent)
}

// SendNow sends the message id now, whatever its state and time: the
// person's Send now and Retry. A message that may have been delivered
// (ReasonMaybeDelivered, or an attempt that died after DATA, judged here
// under the lock) is sent only with again, which says the person was asked
// and chose to send it again; without it SendNow returns the record and
// ErrMaybeDelivered, sending nothing. It returns the record as the attempt
// left it (State Sent when it went out: it is in the Sent folder and no
// longer in the outbox) and ErrBusy when another sender has it.
func (o *Outbox) SendNow(ctx context.Context, id string, again bool) (Record, error) {
	if !ValidID(id) {
		return Record{}, ErrNotFound
	}
	return o.attempt(ctx, id, true, again, false)
}

// maybeDelivered reports whether r may have reached the server already.
func maybeDelivered(r Record) bool {
	return r.State == NeedsAttention && r.Reason == ReasonMaybeDelivered
}

// attempt is one go at the message id: lock, judge a dead attempt, send
// if due (or forced), record the outcome. Without force, a message not due
// (or one that needs attention) is left as it is and returned. A forced
// attempt of a message that may have been delivered needs again.
func (o *Outbox) attempt(ctx context.Context, id string, force, again, retryNow bool) (Record, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c, err := o.lock(id, false)
	if err != nil {
		return Record{}, err
	}
	defer c.release()
	if _, err := os.Stat(o.path(id, ".json")); errors.Is(err, os.ErrNotExist) {
		o.remove(id) // what a dead Enqueue or removal left: no record, no message
		return Record{}, ErrNotFound
	}
	r, err := o.load(id)
	if err != nil {
		return r, err
	}
	if r, err = o.recover(r); err != nil || r.State == Sent {
		if err == nil {
			err = o.finishSent(&r)
		}
		return r, err
	}
	due := !r.NextAttempt.After(time.Now())
	early := !due && retryNow && networkRetry(r)
	if !force && (r.State == NeedsAttention || !due && !early) {
		return r, nil
	}
	if force && maybeDelivered(r) && !again {
		return r, ErrMaybeDelivered
	}
	if force { // the person's decision: a new run of back-off
		r.Retries, r.FirstFailure = 0, time.Time{}
		early = false
	}
	return o.send(ctx, r, early)
}

// netRetryGap is the least time between two attempts of one message that
// network changes cause (a flapping link, router advertisements).
// (A variable: tests shorten it.)
var netRetryGap = 10 * time.Second

// networkRetry reports whether a network change makes r due before its
// time: it is Retrying because the server could not be reached (no reply
// came: a connection failure, a time-out), and its last attempt was not a
// moment ago. A server that answered 4xx asked for the wait: it is kept.
func networkRetry(r Record) bool {
	return r.State == Retrying && r.LastError != nil && r.LastError.Code == 0 && r.LastError.Step != string(smtpclient.StepRcpt) &&
		time.Since(r.LastAttempt) >= netRetryGap
}

// recover judges a record left in Sending by an attempt that died (the
// caller holds the lock, so its sender is gone).
func (o *Outbox) recover(r Record) (Record, error) {
	if r.State != Sending {
		return r, nil
	}
	now := time.Now()
	if r.Stage == Data {
		r.State, r.Reason, r.Stage = NeedsAttention, ReasonMaybeDelivered, ""
		r.LastError = &Failure{Step: string(smtpclient.StepMessage), At: now, Event: EventStoppedAfterData,
			Text: "the sending process stopped after the message data had started"}
	} else {
		r.State, r.Stage, r.NextAttempt = Retrying, "", now
		r.LastError = &Failure{Step: string(smtpclient.StepConnect), At: now, Temporary: true, Event: EventStoppedBeforeData,
			Text: "the sending process stopped before the message data"}
	}
	return r, o.save(&r)
}

// send runs one attempt of r (locked) and records its outcome. early: a
// network change made it due before its time (see settle).
func (o *Outbox) send(ctx context.Context, r Record, early bool) (Record, error) {
	if o.opts.Sender == nil {
		return r, errors.New("outbox: no sender")
	}
	prev := r
	now := time.Now()
	r.State, r.Stage, r.Reason, r.LastAttempt = Sending, Connecting, "", now
	r.Attempts++
	if err := o.save(&r); err != nil {
		return prev, err // nothing went out: the record stays as it was
	}
	hook("sending-recorded", r.ID)
	msg, err := smtpclient.OpenFile(o.path(r.ID, ".eml"))
	if err != nil {
		return o.settle(r, nil, fmt.Errorf("outbox: the queued message cannot be read: %w", err), false)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Stage Data is recorded from the engine's DATA event, and again (if a
	// Sender did not forward the event) from the message's own WriteTo,
	// which runs after 354 and before any byte of it: no Sender can let
	// the message out unrecorded. The two may run on different goroutines.
	var stageMu sync.Mutex
	var stageErr error
	markData := func() error {
		stageMu.Lock()
		defer stageMu.Unlock()
		if r.Stage != Data && stageErr == nil {
			r.Stage = Data
			if stageErr = o.save(&r); stageErr != nil {
				cancel() // not recorded: the message must not go out
			}
			hook("data-recorded", r.ID)
		}
		return stageErr
	}
	onEvent := func(ev smtpclient.Event) {
		if ev.Kind == smtpclient.EventStepStarted && ev.Step == smtpclient.StepData {
			markData()
		}
		if o.opts.OnEvent != nil {
			o.opts.OnEvent(r.ID, ev)
		}
	}
	env := smtpclient.Envelope{From: r.From, To: r.To, SMTPUTF8: r.SMTPUTF8, EightBitMIME: r.EightBitMIME}
	res, err := o.opts.Sender.Send(ctx, r.Account, env, dataMarked{msg, markData}, onEvent)
	msg.Close() // before settle: Windows removes no open file
	stageMu.Lock()
	if stageErr != nil && smtpclient.OutcomeOf(res, err) == smtpclient.NotSent {
		err = stageErr
	}
	stageMu.Unlock()
	hook("after-send", r.ID)
	return o.settle(r, res, err, early)
}

// dataMarked is the queued message as the Sender gets it: its WriteTo
// (called after the server's 354, before any byte goes out) first records
// Stage Data, and fails — so the engine closes the connection without
// ending the data — when that record cannot be written.
type dataMarked struct {
	smtpclient.Message
	mark func() error
}

// WriteTo records Stage Data, then writes the message.
func (m dataMarked) WriteTo(w io.Writer) (int64, error) {
	if err := m.mark(); err != nil {
		return 0, err
	}
	return m.Message.WriteTo(w)
}

// settle records what an attempt came to. A temporary failure of an early
// attempt (a network change's) is no back-off step: the message keeps
// the time it had.
func (o *Outbox) settle(r Record, res *smtpclient.Result, err error, early bool) (Record, error) {
	now := time.Now()
	r.Stage = ""
	switch smtpclient.OutcomeOf(res, err) {
	case smtpclient.Sent:
		r.State, r.SentAt, r.LastError = Sent, now, nil
		if r.SentCopy {
			r.SentName = o.sentName(r)
		}
		if err := o.save(&r); err != nil {
			// Delivered, but the record says Sending at Stage Data: the
			// next look shows "may have been delivered", never a resend.
			return r, err
		}
		hook("sent-recorded", r.ID)
		err := o.finishSent(&r)
		return r, err
	case smtpclient.MaybeSent:
		r.State, r.Reason, r.LastError = NeedsAttention, ReasonMaybeDelivered, failureOf(err, now)
		return r, o.save(&r)
	}
	f := failureOf(err, now)
	reason, temporary := classify(err)
	f.Temporary = temporary
	switch {
	case canceled(err):
		// Stopped (Stamp is closing): not the server's fault, not counted.
		r.State, r.NextAttempt, r.LastError = Retrying, now, f
		r.Attempts--
	case temporary && early && r.NextAttempt.After(now):
		r.State, r.LastError = Retrying, f
	case temporary:
		if r.FirstFailure.IsZero() {
			r.FirstFailure = now
		}
		r.Retries++
		if now.Sub(r.FirstFailure) >= o.opts.GiveUpAfter {
			r.State, r.Reason = NeedsAttention, ReasonGaveUp
		} else {
			r.State, r.NextAttempt = Retrying, now.Add(o.backoff(r.Retries))
		}
		r.LastError = f
	default:
		r.State, r.Reason, r.LastError = NeedsAttention, reason, f
	}
	return r, o.save(&r)
}

// backoff is the wait after the n-th attempt failed for a temporary reason.
func (o *Outbox) backoff(n int) time.Duration {
	if n >= 1 && n <= len(o.opts.Backoff) {
		return o.opts.Backoff[n-1]
	}
	return o.opts.Hourly
}

// sentName is the Sent copy's preferred name (compose.SentFileName); the
// copy takes another when that one is taken (see writeSentCopy).
func (o *Outbox) sentName(r Record) string {
	return compose.SentFileName(r.SentAt, r.Subject)
}

// finishSent moves a sent message out of the outbox: its Sent copy (once:
// SentWritten records it), then the entry. The caller holds the lock. A
// copy that cannot be written keeps the entry, with the error recorded.
func (o *Outbox) finishSent(r *Record) error {
	var sentPath string
	if r.SentCopy {
		if r.SentName == "" {
			return fmt.Errorf("outbox record %s says sent, with a Sent copy but no name for it: left as it is", r.ID)
		}
		if !r.SentWritten {
			name, err := o.writeSentCopy(r)
			if err != nil {
				r.LastError = &Failure{Text: err.Error(), At: time.Now(), Event: EventSentCopyFailed, Detail: err.Error()}
				o.save(r)
				return err
			}
			r.SentName, r.SentWritten = name, true
			o.write(r) // a crash before the removal: no second copy
		}
		sentPath = filepath.Join(o.opts.SentDir, r.SentName)
	}
	if err := o.remove(r.ID); err != nil {
		return err
	}
	o.changed(Change{Record: *r, Removed: true, SentPath: sentPath})
	return nil
}

// writeSentCopy writes the Sent header and the transmitted message under
// a name no other file has: r.SentName, or with the ID's random part, or
// a number, when that is taken. It never replaces a file. It returns the
// name written.
func (o *Outbox) writeSentCopy(r *Record) (string, error) {
	if err := os.MkdirAll(o.opts.SentDir, 0o700); err != nil {
		return "", fmt.Errorf("save the sent copy: %w", err)
	}
	base := strings.TrimSuffix(r.SentName, ".eml")
	for i := 0; ; i++ {
		name := r.SentName
		switch {
		case i == 1:
			name = base + " " + r.ID[len(r.ID)-10:] + ".eml"
		case i > 1:
			name = fmt.Sprintf("%s %s %d.eml", base, r.ID[len(r.ID)-10:], i)
		}
		err := o.writeSentFile(r, filepath.Join(o.opts.SentDir, name))
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) || i >= 20 {
			return "", fmt.Errorf("save the sent copy: %w", err)
		}
	}
}

// writeSentFile writes the copy at path unless a file has that name.
func (o *Outbox) writeSentFile(r *Record, path string) error {
	src, _, err := boundedfile.Open(o.path(r.ID, ".eml")) // never a FIFO's wait
	if err != nil {
		return err
	}
	defer src.Close()
	return atomicfile.WriteNew(path, 0o600, func(w io.Writer) error {
		if _, err := io.WriteString(w, r.SentHeader); err != nil {
			return err
		}
		_, err := io.Copy(w, src)
		return err
	})
}

// canceled reports whether err is the caller stopping the attempt (Stamp
// closing), not a failure of the server or the network.
func canceled(err error) bool {
	var se *smtpclient.Error
	if errors.As(err, &se) {
		return se.Kind == smtpclient.ErrorCanceled
	}
	return errors.Is(err, context.Canceled)
}
