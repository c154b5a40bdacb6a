package main

import (
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"stamp/instance"
	"stamp/ui"
)

// errClosing is the refusal when this Stamp is ending: the later start
// waits for the lock and becomes the Stamp that opens its files.
var errClosing = instance.ErrClosing

// serveHandOver gives what later starts of Stamp hand over to the front
// composer (files), or to openAccounts (--accounts), on the UI goroutine.
// Once the app's loop is ending (ui.IsStopped: the last composer closed or
// the app stopped, a send maybe still finishing) a hand-over is refused, so the
// later start says so rather than its files being lost; the lock is kept
// until this process ends, so no second Stamp opens the draft meanwhile.
func serveHandOver(a fyne.App, p *instance.Primary, composers *ui.Composers, openAccounts func()) {
	// The last composer's close (ui.Composers) and the lifecycle's stop both
	// run on the UI goroutine before the loop ends; ui.Stopped is called
	// again, harmlessly, once a.Run has returned.
	a.Lifecycle().SetOnStopped(ui.Stopped)
	p.Dropped = func(err error) { fmt.Fprintln(os.Stderr, "stamp: a hand-over was refused:", err) }
	p.Serve(func(args []instance.Arg) error {
		return handOverOnUI(fyne.Do, args, func(args []instance.Arg) {
			files, accounts := splitAccounts(args)
			if c := composers.Front(); c != nil {
				ui.Receive(c, files)
			}
			if accounts {
				openAccounts()
			}
		})
	})
}

// handOverOnUI runs apply(args) through do (fyne.Do) unless the UI has
// stopped, and reports whether it ran: nil only when it did. Fyne drops
// calls queued while it shuts down, so after ServeTimeout less a second the
// hand-over is given up (and apply will not run late).
func handOverOnUI(do func(func()), args []instance.Arg, apply func([]instance.Arg)) error {
	if ui.IsStopped() {
		return errClosing
	}
	// 0 waiting, 1 applied, 2 given up: the files are attached only if the
	// later start is told so.
	var state atomic.Int32
	done := make(chan struct{})
	do(func() {
		if ui.IsStopped() {
			if state.CompareAndSwap(0, 2) {
				close(done)
			}
			return
		}
		if state.CompareAndSwap(0, 1) {
			apply(args)
			close(done)
		}
	})
	select {
	case <-done:
	case <-time.After(instance.ServeTimeout - time.Second):
		if !state.CompareAndSwap(0, 2) {
			<-done // applying right now
		}
	}
	if state.Load() == 1 {
		return nil
	}
	return errClosing
}

// splitAccounts takes the Accounts request out of args.
func splitAccounts(args []instance.Arg) (rest []instance.Arg, accounts bool) {
	for _, a := range args {
		if a.Kind == instance.Accounts {
			accounts = true
			continue
		}
		rest = append(rest, a)
	}
	return rest, accounts
}
