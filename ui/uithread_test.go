package ui

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// Fyne's test driver runs fyne.Do inline on the calling goroutine, so in
// tests a send's goroutine would touch the widgets itself, racing with the
// test that reads them, and a missing hand-over could never be caught (T0).
// Here the ui package's hand-over (deliver) queues the work instead, and the
// test goroutine runs it while it waits (drainUI): every widget is touched by
// the test goroutine only, as by the UI goroutine in the app, and code that
// forgets runOnUI shows up under -race.
func TestMain(m *testing.M) {
	deliver = uiQueue.push
	os.Exit(m.Run())
}

// uiQueue is the test's stand-in for Fyne's UI goroutine queue.
var uiQueue workQueue

type workQueue struct {
	mu   sync.Mutex
	work []func()
}

func (q *workQueue) push(f func()) {
	q.mu.Lock()
	q.work = append(q.work, f)
	q.mu.Unlock()
}

// drainUI runs the queued UI work, and what it queues, on this goroutine.
func drainUI() {
	for {
		uiQueue.mu.Lock()
		work := uiQueue.work
		uiQueue.work = nil
		uiQueue.mu.Unlock()
		if len(work) == 0 {
			return
		}
		for _, f := range work {
			f()
		}
	}
}

// waitIdle waits until the checks started so far (offUI) have shown their
// result, running the UI work meanwhile. It waits on state the UI goroutine
// keeps, not on the checking goroutines, so that a result shown without the
// hand-over is not ordered before the test's reads and -race reports it.
func (w *AccountsWindow) waitIdle(t *testing.T) {
	t.Helper()
	waitFor(t, "the settings check", func() bool { return w.checking == 0 })
}

// waitLoaded waits until the newest Reload's listing is shown, running the
// UI work meanwhile (on UI state only, as waitIdle).
func (m *mailboxWindow) waitLoaded(t *testing.T) {
	t.Helper()
	waitFor(t, "the folder listing", func() bool { return m.applied == m.gen })
}

// restartForTest undoes Stopped, for the next test.
func restartForTest() {
	stoppedMu.Lock()
	defer stoppedMu.Unlock()
	if stopped.Swap(false) {
		stoppedCh = make(chan struct{})
	}
}

// waitMessages waits until srv has stored n messages, running the UI work
// meanwhile.
func waitMessages(t *testing.T, srv *sandbox.Server, n int) []sandbox.Message {
	t.Helper()
	waitFor(t, "the server to store the message", func() bool { return len(srv.Messages()) >= n })
	msgs, err := srv.Wait(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// waitRecv waits for a value on ch, running the UI work meanwhile.
func waitRecv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		drainUI()
		select {
		case v := <-ch:
			return v
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
