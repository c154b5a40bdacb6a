package ui

import (
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
)

// stopped is set once the app's event loop has ended (Stopped); stoppedCh
// is closed then.
var (
	stopped   atomic.Bool
	stoppedMu sync.Mutex
	stoppedCh = make(chan struct{})
)

// Stopped tells the package that the app's event loop has ended (a.Run
// returned): from now on no widget or draft work runs. Work the send
// goroutines hand to the UI goroutine is dropped, and only goroutines
// (a send ending, a Sent copy being written) are left for Wait.
func Stopped() {
	stoppedMu.Lock()
	defer stoppedMu.Unlock()
	if !stopped.Swap(true) {
		close(stoppedCh)
	}
}

// stoppedChan is closed once the app's loop has ended.
func stoppedChan() <-chan struct{} {
	stoppedMu.Lock()
	defer stoppedMu.Unlock()
	return stoppedCh
}

func uiStopped() bool { return stopped.Load() }

// deliver hands f to the UI goroutine. It is fyne.Do in the app; tests
// replace it with a queue they drain on the test goroutine, so code that
// forgets to go through it touches widgets from a goroutine and -race sees it.
var deliver = fyne.Do

// runOnUI runs f on the UI goroutine, unless the app's loop has ended by
// then. Every goroutine of the send path hands its UI work over this way.
func runOnUI(f func()) {
	if uiStopped() {
		return
	}
	deliver(func() {
		if !uiStopped() {
			f()
		}
	})
}
