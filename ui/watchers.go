package ui

import "sync"

// watchers is a set of callbacks to run after something was saved on disk
// (a message the sandbox received, a Sent copy), so open windows that list
// those files reload. The zero value is ready to use.
type watchers struct {
	mu   sync.Mutex
	fs   map[int]func()
	next int
}

// add calls f after each notify until the returned stop is called.
func (w *watchers) add(f func()) (stop func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fs == nil {
		w.fs = map[int]func(){}
	}
	id := w.next
	w.next++
	w.fs[id] = f
	return func() {
		w.mu.Lock()
		delete(w.fs, id)
		w.mu.Unlock()
	}
}

// notify runs every callback, outside the lock (a callback may stop itself).
func (w *watchers) notify() {
	w.mu.Lock()
	fs := make([]func(), 0, len(w.fs))
	for _, f := range w.fs {
		fs = append(fs, f)
	}
	w.mu.Unlock()
	for _, f := range fs {
		f()
	}
}

// sentSaved is notified after each Sent copy is written.
var sentSaved watchers
