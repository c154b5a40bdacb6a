//go:build linux

package outbox

// Adversarial test (issue 18 review); skipped unless STAMP_ATTACK is set.
// See ATTACK.md.

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// Finding 11: an entry file that is not a regular file — ID.eml replaced by
// a FIFO (or a symlink to one, or to a terminal) — hangs the outbox: send
// opens it with os.Open (smtpclient.OpenFile checks the type only after the
// open, which blocks on a FIFO until a writer comes) while holding o.mu and
// the message's lock, and ignores ctx. The scheduler never comes back: the
// next message in the queue is never sent, and Stamp cannot quit cleanly.
func TestAttackAFIFOInTheOutboxHangsEverySend(t *testing.T) {
	attackOnly(t, 11)
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	bad, err := o.Enqueue(testNew("the odd one"))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // the next ID sorts after it (IDs start with the second)
	if _, err := o.Enqueue(testNew("a good one")); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(e.dir, bad.ID+".eml")
	os.Remove(fifo)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { // unblock the stuck open, then let Flush finish before the folders go
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	go func() { o.Flush(ctx, false); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("Flush (ctx 2 s) has not returned after 5 s: stuck opening %s; the good message delivered %d times", filepath.Base(fifo), e.delivered()["a good one"])
	}
	if n := e.delivered()["a good one"]; n != 1 {
		t.Fatalf("the good message was delivered %d times", n)
	}
}
