package instance

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// Found by the third review: a running Stamp that is closing (its window closed, a send's
// Sent copy still being written: it keeps the lock for up to seconds)
// refuses a hand-over with "closing; try again in a moment" — and the later
// start gives up at once and exits 1, though the lock is free a moment
// later. Started from a file manager ("Open with Stamp") that message goes
// to an invisible stderr: the file is silently not opened. The "does not
// answer" case retries the lock (ATTACK2 item 3); this one could too.
func TestAStartRefusedByAClosingPrimaryWaitsForTheLock(t *testing.T) {
	dir := shortDir(t)
	first, err := Start(context.Background(), dir, dir, nil)
	if err != nil || first == nil {
		t.Fatalf("first start: %v", err)
	}
	refused := make(chan struct{}, 1)
	first.Serve(func([]Arg) error {
		select {
		case refused <- struct{}{}:
		default:
		}
		return ErrClosing // what cmd/stamp returns once its UI has stopped
	})
	go func() {
		<-refused
		time.Sleep(300 * time.Millisecond) // the Sent copy is written; the process ends
		first.Close()
	}()
	defer first.Close()
	p, err := Start(context.Background(), dir, dir, []Arg{{Kind: File, Value: "/tmp/report.pdf"}})
	if p != nil {
		p.Close()
		return
	}
	t.Fatalf("the later start gave up while the primary was closing (the lock was free 0.3 s later): %v", err)
}

// A primary that keeps refusing with ErrClosing (it never ends) is retried
// until the start's time is up; the start then says the running Stamp is
// closing, not that it does not answer, and hands nothing over.
func TestAStartRefusedUntilItsTimeoutSaysTheRunningStampIsClosing(t *testing.T) {
	dir := shortDir(t)
	first, err := Start(context.Background(), dir, dir, nil)
	if err != nil || first == nil {
		t.Fatalf("first start: %v", err)
	}
	defer first.Close()
	refusals := make(chan struct{}, 100)
	first.Serve(func([]Arg) error {
		refusals <- struct{}{}
		return fmt.Errorf("the window is closed: %w", ErrClosing)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	p, err := Start(ctx, dir, dir, []Arg{{Kind: File, Value: "/tmp/report.pdf"}})
	if p != nil {
		p.Close()
		t.Fatal("the later start became the primary while the first still held the lock")
	}
	if !errors.Is(err, ErrClosing) {
		t.Errorf("the later start ended with %v, want the closing refusal", err)
	}
	if n := len(refusals); n < 2 {
		t.Errorf("the hand-over was tried %d times in 1.5 s, want it retried", n)
	}
}
