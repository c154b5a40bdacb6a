//go:build linux

package outbox

// A FIFO among the entries (issue 18 review, finding 11).

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// Finding 11: an entry file that is not a regular file — ID.eml replaced by
// a FIFO (or a symlink to one, or to a terminal) — hung the outbox: the
// open blocked until a writer came, holding o.mu and the message's lock.
// Now it is refused at once (boundedfile.Open): that message needs
// attention, the next one leaves, Take returns an error.
func TestAFIFOInTheOutboxIsRefusedAndTheRestLeaves(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	bad, err := o.Enqueue(testNew("the odd one"))
	if err != nil {
		t.Fatal(err)
	}
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
	if got, err := o.Get(bad.ID); err != nil || got.State != NeedsAttention || got.Reason != ReasonProblem || !strings.Contains(got.LastError.Text, "not a regular file") {
		t.Fatalf("the FIFO's entry: %+v %v", got, err)
	}
	if err := o.Take(bad.ID, func(Record, *os.File, []byte) error { return nil }); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("Take of the FIFO's entry: %v", err)
	}
}
