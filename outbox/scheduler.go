package outbox

import (
	"context"
	"errors"
	"slices"
	"sort"
	"time"
)

// Kick makes Run look at the outbox now (a message was queued, changed or
// taken back in this process). It never blocks.
func (o *Outbox) Kick() {
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// Flush sends every message that is due now, one after the other, and
// judges attempts that died; with retryNow, messages waiting after a
// temporary failure are due too. It returns when done (or ctx is done)
// and the time the next message is due (zero: none waits).
func (o *Outbox) Flush(ctx context.Context, retryNow bool) (next time.Time, err error) {
	ids, err := o.ids()
	if err != nil {
		return time.Time{}, err
	}
	o.cleanOrphans(ids)
	for _, id := range o.byAge(ids) {
		if ctx.Err() != nil {
			return next, ctx.Err()
		}
		r, aerr := o.attempt(ctx, id, false, false, retryNow)
		switch {
		case errors.Is(aerr, ErrBusy):
			// Another sender (or Take, or Enqueue) has it: look again soon.
			r = Record{State: Retrying, NextAttempt: time.Now().Add(busyRecheck)}
		case errors.Is(aerr, ErrNotFound):
		case aerr != nil && err == nil:
			err = aerr
		}
		if aerr == nil || errors.Is(aerr, ErrBusy) {
			next = earlier(next, r)
		}
	}
	return next, err
}

// byAge orders ids as they were queued (their records' Created, to the
// nanosecond; IDs only say the second): messages queued in one second
// leave in that order. An unreadable record sorts by its ID's second.
func (o *Outbox) byAge(ids []string) []string {
	created := make(map[string]time.Time, len(ids))
	for _, id := range ids {
		if r, err := o.load(id); err == nil {
			created[id] = r.Created
		} else {
			created[id], _ = time.Parse("20060102T150405Z", id[:16]) // the ID's second
		}
	}
	out := slices.Clone(ids)
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := created[out[i]], created[out[j]]; !a.Equal(b) {
			return a.Before(b)
		}
		return out[i] < out[j]
	})
	return out
}

// busyRecheck is when the scheduler looks again at a message another
// process was working on.
const busyRecheck = 2 * time.Second

// earlier is the sooner of next and r's next attempt, for the states that
// have one.
func earlier(next time.Time, r Record) time.Time {
	switch r.State {
	case Waiting, Scheduled, Retrying:
		if next.IsZero() || r.NextAttempt.Before(next) {
			return r.NextAttempt
		}
	}
	return next
}

// Run is the scheduler: it sends each message when it is due, until ctx
// is done. It holds one timer, for the next message due (or the next
// rescan of the folder, for messages other processes queued), and wakes
// early on Kick and when the network changes (then messages retrying
// because their server could not be reached go at once; see networkRetry). No goroutine per message, no polling
// while nothing is due.
func (o *Outbox) Run(ctx context.Context) {
	watch := o.opts.NetworkChanges
	if watch == nil {
		watch = WatchNetwork
	}
	netChanged := watch(ctx)
	timer := time.NewTimer(0)
	defer timer.Stop()
	retryNow := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-o.kick:
		case _, ok := <-netChanged:
			if !ok {
				netChanged = nil
				continue
			}
			retryNow = true
		}
		next, _ := o.Flush(ctx, retryNow)
		retryNow = false
		wait := o.opts.Rescan
		if !next.IsZero() {
			wait = min(wait, max(time.Until(next), 0))
		}
		timer.Reset(wait)
	}
}

// cleanOrphans removes what a killed Enqueue or removal left: message,
// draft and lock files without a record, and the temporary files of a
// write that was killed (atomicfile's ".ID.eml.tmp-N"), once their lock is
// free; and, once per Outbox, stale temporary files in the Sent folder.
func (o *Outbox) cleanOrphans(ids []string) {
	have := map[string]bool{}
	for _, id := range ids {
		have[id] = true
	}
	entries, err := readNames(o.opts.Dir)
	if err != nil {
		return
	}
	temps := map[string]bool{}
	for _, name := range entries {
		if id, ok := cutTemp(name); ok {
			temps[id] = true
		}
	}
	for _, name := range entries {
		id, ok := cutExt(name)
		if !ok {
			id, ok = cutTemp(name)
		}
		if !ok || have[id] && !temps[id] {
			continue
		}
		delete(temps, id) // once per id
		record := have[id]
		have[id] = true
		if c, err := o.lockOrphan(id); err == nil {
			if record || exists(o.path(id, ".json")) {
				o.removeTemps(id, false) // a killed save of the record
			} else {
				o.removeTemps(id, true)
				o.remove(id)
			}
			c.release()
		}
	}
	o.sentTemps.Do(o.cleanSentTemps)
}

// Reschedule sets the time a message leaves (the Outbox window's "Send
// later…" on a queued message): Scheduled for at, or due now when at is not
// in the future. A message being sent is ErrBusy. A message that may have
// been delivered (judged here under the lock) is rescheduled only with
// again (the person was asked), else ErrMaybeDelivered and no change.
func (o *Outbox) Reschedule(id string, at time.Time, again bool) (Record, error) {
	if !ValidID(id) {
		return Record{}, ErrNotFound
	}
	c, err := o.lockSoon(id)
	if err != nil {
		return Record{}, err
	}
	r, err := o.load(id)
	if err == nil {
		r, err = o.recover(r)
	}
	if err == nil && r.State == Sent {
		err = o.finishSent(&r)
	}
	if err == nil && maybeDelivered(r) && !again {
		err = ErrMaybeDelivered
	}
	if err != nil || r.State == Sent {
		c.release()
		return r, err
	}
	r.Reason, r.Retries, r.FirstFailure = "", 0, time.Time{}
	if at.After(time.Now()) {
		r.State, r.Scheduled, r.NextAttempt = Scheduled, at, at
	} else {
		r.State, r.Scheduled, r.NextAttempt = Waiting, time.Time{}, time.Now()
	}
	err = o.save(&r)
	c.release()
	o.Kick()
	return r, err
}
