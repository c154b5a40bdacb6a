package ui

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"stamp/outbox"
	"stamp/smtpclient"
)

// prefUndoDelay is the undo delay of Send, in seconds (0 to 60).
const prefUndoDelay = "outbox.undoDelay"

// OutboxOptions wire the app's outbox (the outbox package) into the UI.
type OutboxOptions struct {
	// Dir is the outbox folder (datadir.Outbox), SentDir the Sent folder.
	Dir, SentDir string
	// Send sends a queued message from an account ID (the sandbox or a
	// saved account: outbox.AccountSender). Nobody is asked anything.
	Send outbox.Sender
	// Describe gives an account's server settings without any secret, for
	// the send panel's header and steps; nil shows no server.
	Describe func(account string) smtpclient.Config
	// Passwords, when set, asks at Send for a password the keyring does
	// not have, before the message is queued (outbox_password.go).
	Passwords *OutboxPasswords
	// Backoff and NetworkChanges pass through to outbox.Options (tests).
	Backoff        []time.Duration
	NetworkChanges func(ctx context.Context) <-chan struct{}
}

// Outbox is the app's outbox as the UI sees it: the queue on disk, its
// scheduler, the send panel that shows the send under way, and the
// composer and the Outbox window that listen to its changes. One per app.
type Outbox struct {
	Box  *outbox.Outbox
	app  fyne.App
	opts OutboxOptions

	mu         sync.Mutex // guards what the send goroutines and the UI share
	watch      map[string]bool
	listeners  map[int]func(outbox.Change) // on the UI goroutine, by listen's number
	nextListen int
	// composers, when the app has a set of them (NewComposers), opens a
	// new composer for a message taken back; owners is the composer that
	// queued each message of this run (outbox_composers.go). UI goroutine.
	composers *Composers
	owners    map[string]*Composer
	// forms is the form of each message queued in this run: once it is
	// sent, its To, Cc and Bcc teach the contacts (UI goroutine).
	forms      map[string]draft
	panel      *sendPanel
	panelID    string       // the message the panel shows (UI goroutine)
	panelNoted bool         // its outcome says what the outbox does next
	att        *liveAttempt // the attempt under way (its events' panel)

	window        *outboxWindow // the Outbox window, one at a time
	windowListens bool

	started time.Time      // messages created since are this run's
	running sync.WaitGroup // Run's goroutine and the sends started from the UI
	stop    context.CancelFunc
	// stopping: Stop was called; its cancel does not reach the send under way.
	stopping atomic.Bool
}

// NewOutbox opens the outbox folder. Call Start to run its scheduler.
func NewOutbox(a fyne.App, opts OutboxOptions) (*Outbox, error) {
	u := &Outbox{app: a, opts: opts, watch: map[string]bool{}, started: time.Now(),
		listeners: map[int]func(outbox.Change){}, owners: map[string]*Composer{}, forms: map[string]draft{}}
	box, err := outbox.Open(outbox.Options{
		Dir: opts.Dir, SentDir: opts.SentDir,
		Sender:         outbox.SenderFunc(u.send),
		Backoff:        opts.Backoff,
		NetworkChanges: opts.NetworkChanges,
		OnEvent:        u.event,
		OnChange: func(ch outbox.Change) {
			if r := ch.Record; r.State == outbox.Sending && r.Stage == outbox.Connecting && !ch.Removed {
				u.attempt(r.ID) // before it connects: the panel's times are the send's own
			}
			runOnUI(func() { u.changed(ch) })
		},
	})
	if err != nil {
		return nil, err
	}
	u.Box = box
	return u, nil
}

// Start runs the scheduler on a goroutine until Stop.
func (u *Outbox) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	u.stop = cancel
	u.running.Add(1)
	go func() {
		defer u.running.Done()
		u.Box.Run(ctx)
	}()
}

// Stop ends the scheduler and waits up to limit for the send under way to
// end (a send is never cut short by Stop: a message cut during its data
// would become "may have been delivered"). It reports whether all ended;
// what did not stays in the outbox for the next start.
func (u *Outbox) Stop(limit time.Duration) bool {
	u.stopping.Store(true)
	if u.stop != nil {
		u.stop()
	}
	return waitAtMost(&u.running, limit)
}

// waitAtMost waits for wg, or until limit has passed; it reports whether
// wg's count reached zero.
func waitAtMost(wg *sync.WaitGroup, limit time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(limit):
		return false
	}
}

// go runs f on a goroutine counted by Stop (Send now, Take, Remove).
func (u *Outbox) goCounted(f func()) {
	u.running.Add(1)
	go func() {
		defer u.running.Done()
		f()
	}()
}

// UndoDelay is the person's undo delay (the setting; 10 s unless changed).
func (u *Outbox) UndoDelay() time.Duration {
	s := u.app.Preferences().IntWithFallback(prefUndoDelay, int(outbox.DefaultUndoDelay/time.Second))
	return time.Duration(min(max(s, 0), int(outbox.MaxUndoDelay/time.Second))) * time.Second
}

// SetUndoDelay keeps the undo delay (clamped to 0–60 s).
func (u *Outbox) SetUndoDelay(d time.Duration) {
	s := min(max(int(d/time.Second), 0), int(outbox.MaxUndoDelay/time.Second))
	u.app.Preferences().SetInt(prefUndoDelay, s)
}

// listen adds f to what hears every change, on the UI goroutine; the
// returned func removes it (a composer that closes: no work on a closed
// window, nothing kept alive).
func (u *Outbox) listen(f func(outbox.Change)) (stop func()) {
	n := u.nextListen
	u.nextListen++
	u.listeners[n] = f
	return func() { delete(u.listeners, n) }
}

// changed hands a change to the listeners (on the UI goroutine).
func (u *Outbox) changed(ch outbox.Change) {
	if uiStopped() {
		return
	}
	u.panelSays(ch)
	if p := u.opts.Passwords; p != nil {
		var parent fyne.Window
		if c := u.someComposer(u.owners[ch.Record.ID]); c != nil {
			parent = c.Window
		}
		p.settle(ch, parent)
	}
	if ch.Removed {
		u.sentFrom(ch)
	}
	// In the order they listened; one may stop listening (or another)
	// while it hears the change.
	keys := make([]int, 0, len(u.listeners))
	for k := range u.listeners {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if f, ok := u.listeners[k]; ok {
			f(ch)
		}
	}
}

// panelSays adds to the send panel's outcome what the outbox does next
// with the message it showed: retry at a time, or wait for the person.
func (u *Outbox) panelSays(ch outbox.Change) {
	p, r := u.panel, ch.Record
	if p == nil || r.ID != u.panelID || ch.Removed || !p.done || u.panelNoted {
		return
	}
	var next string
	switch r.State {
	case outbox.Retrying:
		next = lang.X("outbox.panel_retry", "It waits in the Outbox: Stamp tries again at {{.When}}, or as soon as the network is back.",
			map[string]any{"When": shortTime(r.NextAttempt)})
	case outbox.NeedsAttention:
		next = lang.X("outbox.panel_attention", "It waits in the Outbox (Message › Outbox) until you send it again, edit or delete it.")
	default:
		return
	}
	u.panelNoted = true // once per attempt shown: later retries are not
	p.setOutcome(p.Outcome.Importance, p.Outcome.Text+" "+next)
}

// showLive makes the sends of id show in the send panel (a message this
// run's composer queued, or one the person sent from the Outbox window).
func (u *Outbox) showLive(id string) {
	u.mu.Lock()
	u.watch[id] = true
	u.mu.Unlock()
}

// watched reports whether id's attempt is shown in the send panel: one
// the person asked for (Send now, Retry), or the first attempt of a
// message queued in this run (Send): never the background retries or the
// scheduled messages of earlier runs.
func (u *Outbox) watched(id string) bool {
	if u.watch[id] {
		return true
	}
	r, err := u.Box.Get(id)
	return err == nil && r.Attempts == 1 && !r.Created.Before(u.started)
}

// Waiting lists the messages in the outbox (nil when it cannot be read).
func (u *Outbox) Waiting() []outbox.Record {
	list, _ := u.Box.List()
	return list
}

// liveAttempt is the attempt under way in this process (the outbox makes
// one at a time) and the panel that shows it, when the person watches it.
type liveAttempt struct {
	id string
	p  *sendPanel // nil: not shown
}

// event is the outbox's OnEvent, on the send's goroutine: the first event
// of a watched message's attempt readies the send panel (waiting for the
// UI goroutine, as the engine waits for its handler), then every event
// goes to it.
func (u *Outbox) event(id string, ev smtpclient.Event) {
	if att := u.attempt(id); att.p != nil {
		att.p.Post(ev)
	}
}

// attempt is the attempt of id under way, made (and its panel shown, when
// watched) the first time: when the outbox records "sending", or at the
// first event.
func (u *Outbox) attempt(id string) *liveAttempt {
	u.mu.Lock()
	defer u.mu.Unlock()
	att := u.att
	if att == nil || att.id != id {
		att = &liveAttempt{id: id}
		u.att = att
		if u.watched(id) && !uiStopped() {
			u.mu.Unlock()
			att.p = u.presentPanel(id)
			u.mu.Lock()
		}
	}
	return att
}

// presentPanel readies and shows the send panel for id's attempt, from the
// send's goroutine; nil when the app stopped meanwhile.
func (u *Outbox) presentPanel(id string) *sendPanel {
	job := sendJob{Title: lang.X("outbox.no_subject", "(no subject)")}
	if r, err := u.Box.Get(id); err == nil {
		if r.Subject != "" {
			job.Title = r.Subject
		}
		job.Envelope = smtpclient.Envelope{From: r.From, To: r.To}
		job.Message = sizedOnly{r.Size}
		if u.opts.Describe != nil {
			job.Config = u.opts.Describe(r.Account)
		}
	}
	var p *sendPanel
	ready := make(chan struct{})
	runOnUI(func() {
		defer close(ready)
		p = u.livePanel()
		u.panelID, u.panelNoted = id, false
		p.Prepare(job.Title, nil)
		p.begin(job, func() {})
		p.CancelButton.Hide() // a stopped outbox send would go again at once
		p.Present(nil)
	})
	select {
	case <-ready:
		return p
	case <-stoppedChan():
		return nil
	}
}

// sizedOnly is a message the panel only measures (its progress bar).
type sizedOnly struct{ n int64 }

func (s sizedOnly) Size() int64                      { return s.n }
func (s sizedOnly) WriteTo(io.Writer) (int64, error) { return 0, errors.New("not for sending") }

// send is the outbox's Sender: the app's Send, whose end is shown in the
// send panel when the attempt is watched. Stop does not cancel it (see
// Stop); the outbox's own cancel does.
func (u *Outbox) send(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
	if u.opts.Send == nil {
		return nil, errors.New(lang.X("outbox.not_set_up", "sending is not set up"))
	}
	// The outbox's own cancel (the DATA stage could not be recorded) must
	// stop the send; Stop's must not.
	sctx, scancel := context.WithCancel(context.WithoutCancel(ctx))
	defer scancel()
	go func() {
		select {
		case <-ctx.Done():
			if !u.stopping.Load() {
				scancel()
			}
		case <-sctx.Done():
		}
	}()
	res, err := u.opts.Send.Send(sctx, account, env, msg, onEvent)
	u.mu.Lock()
	att := u.att
	u.att = nil
	u.mu.Unlock()
	if att != nil && att.p != nil {
		p := att.p
		runOnUI(func() {
			p.flush()
			p.Finish(res, err)
			for _, b := range p.nextButtons() {
				b.Hide() // what comes next is the outbox's (the Outbox window)
			}
			p.CloseButton.Show()
		})
	}
	return res, err
}

// livePanel is the outbox's send panel, made once and hidden on close.
func (u *Outbox) livePanel() *sendPanel {
	if u.panel == nil {
		u.panel = newSendPanel(u.app)
		u.panel.HideOnClose = true
	}
	return u.panel
}
