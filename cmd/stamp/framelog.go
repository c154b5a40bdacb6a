package main

import (
	"bufio"
	"fmt"
	"image"
	"os"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// frameLogEnv names the file that receives paint times (scripts/bench-gui.sh).
// Unset, nothing below runs: one Getenv at start is the whole cost.
const frameLogEnv = "STAMP_FRAME_LOG"

// processStart is as close to the launch as Go code gets.
var processStart = time.Now()

// framePeriod is how often the probe asks to be painted (50 per second).
const framePeriod = 20 * time.Millisecond

// startFrameLog, when $STAMP_FRAME_LOG names a file, adds a 1×1
// transparent raster to w's top-left corner and asks, every 20 ms through
// fyne.Do, for it to be refreshed. Fyne regenerates a refreshed raster's
// texture inside the paint of the next frame, so the generator runs once
// per frame that really reaches the painter, on the thread that paints
// every window. Each such paint is logged as "ms since start, ms since the
// previous paint": a gap well above 20 ms means no window was painted for
// that long. The probe forces a repaint of w 50 times a second, so CPU
// measured with it on is an upper bound. It returns a function that stops
// the ticker and flushes the file.
func startFrameLog(w fyne.Window) (stop func()) {
	path := os.Getenv(frameLogEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "stamp: %s: %v\n", frameLogEnv, err)
		return func() {}
	}
	paints := make(chan time.Time, 1024)
	pixel := image.NewNRGBA(image.Rect(0, 0, 1, 1)) // transparent
	probe := canvas.NewRaster(func(int, int) image.Image {
		select {
		case paints <- time.Now():
		default: // the writer fell behind: drop rather than stall the paint
		}
		return pixel
	})
	probe.Resize(fyne.NewSize(1, 1))
	w.SetContent(container.NewStack(w.Content(), container.NewWithoutLayout(probe)))

	done := make(chan struct{})
	finished := make(chan struct{})
	var pending atomic.Bool
	go func() { // ask for a paint; at most one request queued at a time
		t := time.NewTicker(framePeriod)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if pending.CompareAndSwap(false, true) {
					fyne.Do(func() { pending.Store(false); probe.Refresh() })
				}
			}
		}
	}()
	go func() { // write what was painted, off the paint thread
		defer close(finished)
		out := bufio.NewWriter(f)
		defer f.Close()
		defer out.Flush()
		var last time.Time
		flush := time.NewTicker(time.Second)
		defer flush.Stop()
		for {
			select {
			case <-done:
				return
			case <-flush.C:
				out.Flush()
			case t := <-paints:
				gap := 0.0
				if !last.IsZero() {
					gap = float64(t.Sub(last)) / float64(time.Millisecond)
				}
				last = t
				fmt.Fprintf(out, "%.1f %.1f\n", float64(t.Sub(processStart))/float64(time.Millisecond), gap)
			}
		}
	}()
	return func() { close(done); <-finished }
}
