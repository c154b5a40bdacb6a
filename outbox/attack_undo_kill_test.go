//go:build unix

package outbox

// Adversarial test (issue 18 review); skipped unless STAMP_ATTACK is set.
// See ATTACK.md.

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"stamp/smtpclient/sandbox"
)

// TestAttackHelperUndo is not a test: run by
// TestAttackKilledDuringUndoTheMessageStillLeaves as a child process, it
// takes a message back (Undo) and is killed inside keep — after the
// composer got the message back, before the outbox entry is removed.
func TestAttackHelperUndo(t *testing.T) {
	id := os.Getenv("STAMP_ATTACK_UNDO_ID")
	if id == "" {
		t.Skip("a helper process for TestAttackKilledDuringUndoTheMessageStillLeaves")
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

// Finding 14: kill -9 during Undo. Take hands the message back (keep)
// while the entry is still a due, Waiting record; a crash before the
// removal leaves it so, and the next start sends the message the person
// took back — while the composer's draft also has it (the person edits and
// sends it again: twice). The window is keep's whole duration (in the app,
// a hop to the UI thread to fill a composer and save its draft).
func TestAttackKilledDuringUndoTheMessageStillLeaves(t *testing.T) {
	attackOnly(t, 14)
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	n := testNew("undone")
	n.Delay = 0 // no scheduler runs here; at the next start the undo delay is long over anyway
	n.Draft = []byte(`{"subject":"undone"}`)
	r, err := o.Enqueue(n)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAttackHelperUndo$")
	cmd.Env = append(os.Environ(), "STAMP_ATTACK_UNDO_ID="+r.ID, "STAMP_OUTBOX_DIR="+e.dir, "STAMP_OUTBOX_SENT="+e.sent)
	cmd.Run()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the helper was not killed: %v", cmd.ProcessState)
	}
	// The next start: Stamp sends what is due.
	if got, err := o.Get(r.ID); err == nil {
		t.Logf("after the kill the outbox still has it: %s, next %v", got.State, got.NextAttempt)
	}
	o.Flush(context.Background(), false)
	if n := e.delivered()["undone"]; n != 0 {
		t.Fatalf("the person pressed Undo (the composer got the message back) and the server still got it %d time(s)", n)
	}
}
