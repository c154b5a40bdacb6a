//go:build unix

package outbox

// Kill -9 during Undo (issue 18 review, finding 14).

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// TestHelperUndo is not a test: run by
// TestKilledDuringUndoTheMessageStaysTakenBack as a child process, it
// takes a message back (Undo) and is killed inside keep — after the
// composer got the message back, before the outbox entry is removed.
func TestHelperUndo(t *testing.T) {
	id := os.Getenv("STAMP_ATTACK_UNDO_ID")
	if id == "" {
		t.Skip("a helper process for TestKilledDuringUndoTheMessageStaysTakenBack")
	}
	o, err := Open(Options{Dir: os.Getenv("STAMP_OUTBOX_DIR"), SentDir: os.Getenv("STAMP_OUTBOX_SENT")})
	if err != nil {
		t.Fatal(err)
	}
	o.Take(id, func(r Record, msg *os.File, draft []byte) error {
		// The composer has the message back (draft restored); Stamp dies.
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	})
}

// Finding 14: kill -9 during Undo. Take records the hand-back
// (ReasonTakenBack) before keep: after a crash inside keep the next start
// shows the message as taken back and never sends it on its own (the
// composer's draft may have it: sending both would deliver it twice).
func TestKilledDuringUndoTheMessageStaysTakenBack(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	n := testNew("undone")
	n.Delay = 0 // no scheduler runs here; at the next start the undo delay is long over anyway
	n.Draft = []byte(`{"subject":"undone"}`)
	r, err := o.Enqueue(n)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperUndo$")
	cmd.Env = append(os.Environ(), "STAMP_ATTACK_UNDO_ID="+r.ID, "STAMP_OUTBOX_DIR="+e.dir, "STAMP_OUTBOX_SENT="+e.sent)
	cmd.Run()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the helper was not killed: %v", cmd.ProcessState)
	}
	// The next start: Stamp sends what is due.
	got, err := o.Get(r.ID)
	if err != nil || got.State != NeedsAttention || got.Reason != ReasonTakenBack {
		t.Fatalf("after the kill: state %q reason %q err %v, want needs-attention / taken-back", got.State, got.Reason, err)
	}
	o.Flush(context.Background(), true)
	if n := e.delivered()["undone"]; n != 0 {
		t.Fatalf("the person pressed Undo (the composer got the message back) and the server still got it %d time(s)", n)
	}
	// A keep that fails puts the record back as it was.
	want := errors.New("no composer")
	if err := o.Take(r.ID, func(Record, *os.File, []byte) error { return want }); !errors.Is(err, want) {
		t.Fatalf("Take with a failing keep: %v", err)
	}
	if got, err := o.Get(r.ID); err != nil || got.Reason != ReasonTakenBack {
		t.Fatalf("after a failed keep: reason %q err %v", got.Reason, err)
	}
	if err := o.Take(r.ID, nil); err != nil {
		t.Fatal(err)
	}
	if list, _ := o.List(); len(list) != 0 {
		t.Fatalf("Delete of a taken-back message left %v", list)
	}
}

// A keep that fails leaves a due message due (the record as it was), not
// taken back.
func TestTakeWithAFailingKeepLeavesTheMessageAsItWas(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	n := testNew("kept back")
	n.Delay = time.Minute
	r, err := o.Enqueue(n)
	if err != nil {
		t.Fatal(err)
	}
	want := errors.New("no composer")
	if err := o.Take(r.ID, func(got Record, _ *os.File, _ []byte) error {
		if got.State != Waiting {
			t.Errorf("keep got state %q, want the record as it was", got.State)
		}
		return want
	}); !errors.Is(err, want) {
		t.Fatalf("Take: %v", err)
	}
	if got, err := o.Get(r.ID); err != nil || got.State != Waiting || got.Reason != "" || !got.NextAttempt.Equal(r.NextAttempt) {
		t.Fatalf("after a failed keep: %+v %v", got, err)
	}
}
