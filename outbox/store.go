package outbox

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"stamp/internal/atomicfile"
	"stamp/internal/boundedfile"
	"stamp/internal/filelock"
	"stamp/smtpclient"
)

// ErrBusy says another sender (this process or another) is working on the
// message right now.
var ErrBusy = errors.New("the message is being sent right now")

// ErrNotFound says the outbox has no such message (sent, removed, or
// never queued).
var ErrNotFound = errors.New("no such message in the outbox")

// ErrMaybeDelivered says the message may have reached the server already
// (its record says ReasonMaybeDelivered, or an attempt died after DATA):
// SendNow and Reschedule send it again only when the person was asked
// (again). Nothing was changed or sent.
var ErrMaybeDelivered = errors.New("the message may already have been delivered; it is sent again only after asking")

// Options configure an Outbox.
type Options struct {
	// Dir is the outbox folder (created 0700); SentDir the Sent folder.
	Dir, SentDir string
	// Sender sends a message through the account's real send path.
	Sender Sender
	// Backoff are the waits after the first temporary failures; then
	// Hourly until GiveUpAfter has passed since the first of them.
	// Defaults: DefaultBackoff, an hour, a day.
	Backoff     []time.Duration
	Hourly      time.Duration
	GiveUpAfter time.Duration
	// Rescan is the longest the scheduler sleeps without looking at the
	// folder (another process may have queued a message); default 5
	// minutes.
	Rescan time.Duration
	// OnChange, when set, is called after each change of a message made by
	// this Outbox (the new record; State Sent with SentAt when it left the
	// outbox for good, or removed: see Change). It runs on the goroutine
	// that made the change and must return quickly (ui: hand it to
	// runOnUI).
	OnChange func(Change)
	// OnEvent, when set, gets every engine event of the attempt under way,
	// with the message's ID (the send panel's live protocol).
	OnEvent func(id string, ev smtpclient.Event)
	// NetworkChanges, when set, replaces the OS watcher (tests); nil uses
	// WatchNetwork.
	NetworkChanges func(ctx context.Context) <-chan struct{}
}

// DefaultBackoff is the wait after the first, second, … temporary failure.
var DefaultBackoff = []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute}

// Change is one change an Outbox made.
type Change struct {
	Record Record
	// Removed: the message left the outbox (sent and moved, taken back or
	// deleted); Record is its last state.
	Removed bool
	// SentPath is the Sent copy, when it was written.
	SentPath string
}

// Outbox is one outbox folder. Its methods are safe for concurrent use;
// two Outboxes (in two processes) on one folder never work on the same
// message at once.
type Outbox struct {
	opts Options
	kick chan struct{}
	mu   sync.Mutex // serialises this process's attempts (one send at a time)
	// sentTemps cleans the Sent folder's stale temporary files once.
	sentTemps sync.Once
}

// Open opens (creates) the outbox folder.
func Open(opts Options) (*Outbox, error) {
	if opts.Dir == "" || opts.SentDir == "" {
		return nil, errors.New("outbox: no folder for the outbox or for Sent")
	}
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	if opts.Backoff == nil {
		opts.Backoff = DefaultBackoff
	}
	if opts.Hourly <= 0 {
		opts.Hourly = time.Hour
	}
	if opts.GiveUpAfter <= 0 {
		opts.GiveUpAfter = 24 * time.Hour
	}
	if opts.Rescan <= 0 {
		opts.Rescan = 5 * time.Minute
	}
	return &Outbox{opts: opts, kick: make(chan struct{}, 1)}, nil
}

// Dir is the outbox folder.
func (o *Outbox) Dir() string { return o.opts.Dir }

func (o *Outbox) path(id, ext string) string { return filepath.Join(o.opts.Dir, id+ext) }

// MessagePath is the file holding the message id as transmitted.
func (o *Outbox) MessagePath(id string) string { return o.path(id, ".eml") }

var idLetters = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func newID(now time.Time) string {
	b := make([]byte, 7)
	rand.Read(b)
	return now.UTC().Format("20060102T150405Z") + "-" + idLetters.EncodeToString(b)[:10]
}

// claim is a held per-message lock.
type claim struct{ f *os.File }

func (c *claim) release() {
	filelock.Unlock(c.f)
	c.f.Close()
}

// lock takes the message's lock without waiting: ErrBusy when someone
// holds it. create makes the lock file for a new message (it must not
// exist). A lock file removed or replaced between the open and the lock
// (its message just left the outbox) counts as busy.
func (o *Outbox) lock(id string, create bool) (*claim, error) {
	p := o.path(id, ".lock")
	flag := os.O_RDWR
	if create {
		flag |= os.O_CREATE | os.O_EXCL
	}
	f, err := os.OpenFile(p, flag, 0o600)
	if errors.Is(err, os.ErrNotExist) {
		if _, serr := os.Stat(o.path(id, ".json")); serr == nil {
			// A record without a lock file (removed by a crash mid-cleanup).
			f, err = os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
		} else {
			return nil, ErrNotFound
		}
	}
	if err != nil {
		return nil, err
	}
	ok, err := filelock.TryLock(f)
	if err != nil || !ok {
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", p, err)
		}
		return nil, ErrBusy
	}
	held, err1 := f.Stat()
	now, err2 := os.Stat(p)
	if err1 != nil || err2 != nil || !os.SameFile(held, now) {
		filelock.Unlock(f)
		f.Close()
		return nil, ErrBusy
	}
	return &claim{f: f}, nil
}

// lockSoon is lock for the person's actions (Undo, Delete): a lock held
// only for a look (a scheduler pass, List in another process) is waited
// for a moment; a message being sent (its record says Sending) is ErrBusy
// at once.
func (o *Outbox) lockSoon(id string) (*claim, error) {
	deadline := time.Now().Add(2 * time.Second)
	for {
		c, err := o.lock(id, false)
		if !errors.Is(err, ErrBusy) || time.Now().After(deadline) {
			return c, err
		}
		if r, lerr := o.load(id); lerr == nil && r.State == Sending {
			return nil, ErrBusy
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// load reads the record id (the caller holds its lock, or only looks).
func (o *Outbox) load(id string) (Record, error) {
	b, err := boundedfile.Read(o.path(id, ".json"), maxRecord)
	if errors.Is(err, os.ErrNotExist) {
		return Record{}, ErrNotFound
	}
	if err != nil {
		return Record{}, err
	}
	r, err := ParseRecord(b)
	if err == nil && r.ID != id {
		err = fmt.Errorf("outbox record %s names another message (%s)", id, r.ID)
	}
	return r, err
}

// save writes r (flushed to disk before it returns) and reports the change.
func (o *Outbox) save(r *Record) error {
	if err := o.write(r); err != nil {
		return err
	}
	o.changed(Change{Record: *r})
	return nil
}

// write is save without reporting the change.
func (o *Outbox) write(r *Record) error {
	b, err := r.marshal()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(o.path(r.ID, ".json"), 0o600, b); err != nil {
		return fmt.Errorf("outbox: record the message's state: %w", err)
	}
	return nil
}

func (o *Outbox) changed(c Change) {
	if o.opts.OnChange != nil {
		o.opts.OnChange(c)
	}
}

// remove deletes the entry: the record first (the commit), then the rest.
func (o *Outbox) remove(id string) error {
	if err := os.Remove(o.path(id, ".json")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("outbox: remove %s: %w", id, err)
	}
	atomicfile.SyncDir(o.opts.Dir)
	os.Remove(o.path(id, ".eml"))
	os.Remove(o.path(id, ".draft"))
	os.Remove(o.path(id, ".lock")) // last: a late locker sees it gone (lock's SameFile)
	return nil
}

// List returns every message in the outbox, oldest first. A record that
// cannot be read is skipped (and named in the error, with the others
// still listed).
func (o *Outbox) List() ([]Record, error) {
	ids, err := o.ids()
	if err != nil {
		return nil, err
	}
	var out []Record
	var bad []string
	for _, id := range ids {
		r, err := o.look(id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created.Before(out[j].Created) })
	if len(bad) > 0 {
		return out, fmt.Errorf("outbox: %s", strings.Join(bad, "; "))
	}
	return out, nil
}

// look reads the record id as the person should see it: Busy when someone
// holds its lock right now; otherwise an attempt that died (State Sending,
// nobody holding the lock) is judged first, under the lock, so a message
// that may have been delivered says so before anyone decides to send it.
func (o *Outbox) look(id string) (Record, error) {
	c, err := o.lock(id, false)
	if errors.Is(err, ErrBusy) {
		r, err := o.load(id)
		r.Busy = err == nil
		return r, err
	}
	if err != nil {
		return o.load(id) // no lock to be had (a read-only folder): as stored
	}
	defer c.release()
	r, err := o.load(id)
	if err == nil && r.State == Sending {
		r, err = o.recover(r)
	}
	return r, err
}

// ids lists the IDs that have a record, sorted (by age).
func (o *Outbox) ids() ([]string, error) {
	entries, err := os.ReadDir(o.opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".json"); ok && ValidID(id) && e.Type().IsRegular() {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// Get returns the record of id (judged as List does).
func (o *Outbox) Get(id string) (Record, error) {
	if !ValidID(id) {
		return Record{}, ErrNotFound
	}
	return o.look(id)
}

// writeMessage copies msg into path atomically and checks its size.
func writeMessage(path string, msg smtpclient.Message) error {
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		n, err := msg.WriteTo(w)
		if err == nil && n != msg.Size() {
			err = fmt.Errorf("the message wrote %d bytes, not the %d it announced", n, msg.Size())
		}
		return err
	})
}
