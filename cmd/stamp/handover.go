package main

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"stamp/instance"
	"stamp/ui"
)

// serveHandOver gives what later starts of Stamp hand over to the composer
// c, on the UI goroutine. Once the app stops (its window closed, a send
// maybe still finishing) a hand-over is refused, so the later start says so
// rather than its files being lost; the lock is kept until this process
// ends, so no second Stamp opens the draft meanwhile.
func serveHandOver(a fyne.App, p *instance.Primary, c *ui.Composer) {
	var stopped atomic.Bool
	a.Lifecycle().SetOnStopped(func() { stopped.Store(true) })
	closing := errors.New("the running Stamp is closing; try again in a moment")
	p.Dropped = func(err error) { fmt.Fprintln(os.Stderr, "stamp: a hand-over was refused:", err) }
	p.Serve(func(args []instance.Arg) error {
		if stopped.Load() {
			return closing
		}
		// 0 waiting, 1 applied, 2 given up: the files are attached only
		// if the later start is told so.
		var state atomic.Int32
		done := make(chan struct{})
		fyne.Do(func() {
			if !stopped.Load() && state.CompareAndSwap(0, 1) {
				ui.Receive(c, args)
				close(done)
			}
		})
		select {
		case <-done:
			return nil
		case <-time.After(instance.ServeTimeout - time.Second):
			// Fyne drops calls queued while it shuts down.
			if state.CompareAndSwap(0, 2) {
				return closing
			}
			<-done
			return nil
		}
	})
}
