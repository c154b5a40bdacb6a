//go:build unix

package outbox

// Regression tests from the adversarial review of the outbox (issue 18,
// findings 7, 8).

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// noNetRetryGap lets network changes retry at once after a failure.
func noNetRetryGap(t *testing.T) {
	old := netRetryGap
	netRetryGap = 0
	t.Cleanup(func() { netRetryGap = old })
}

// Finding 7: a network change made every Retrying message due at once,
// whatever its last failure was. A server that answered 451/421 ("try
// later": greylisting, a rate limit) was reached again on each change, and
// each retry stepped the back-off forward. Now only a message the server
// could not be reached for is retried early. Counted at the server.
func TestNetworkChangesKeepTheBackoffAfterA4xxReply(t *testing.T) {
	noNetRetryGap(t)
	e := newEnv(t, sandbox.Options{RejectData: &sandbox.Reply{Code: 451, Enhanced: "4.7.1", Text: "rate limited, try again in an hour"}})
	o := e.open(Options{Backoff: []time.Duration{time.Hour}})
	r, err := o.Enqueue(testNew("rate limited"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := o.SendNow(context.Background(), r.ID, false); got.State != Retrying {
		t.Fatalf("after the 451: %+v", got)
	}
	for range 3 {
		o.Flush(context.Background(), true) // what Run does on each network change
	}
	c, stop := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer stop()
	if e.srv.WaitSessionsEnded(c, 2) == nil {
		t.Fatal("the server said 451 \"try again in an hour\" and was reached again on a network change")
	}
	if got, err := o.Get(r.ID); err != nil || got.Retries != 1 || got.State != Retrying {
		t.Fatalf("after the changes: %+v %v", got, err)
	}
}

// Finding 7: a message retrying because the server could not be reached
// is retried on a network change, and a retry that fails again is not a
// back-off step: the message keeps its time and its step.
func TestAFailedNetworkRetryIsNoBackoffStep(t *testing.T) {
	noNetRetryGap(t)
	e := newEnv(t, sandbox.Options{})
	e.srv.Close()
	o := e.open(Options{Backoff: []time.Duration{time.Hour, 2 * time.Hour}})
	r, err := o.Enqueue(testNew("offline"))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := o.SendNow(context.Background(), r.ID, false)
	if first.State != Retrying || first.Retries != 1 {
		t.Fatalf("first attempt: %+v", first)
	}
	o.Flush(context.Background(), true) // a network change; still offline
	got, err := o.Get(r.ID)
	if err != nil || got.Attempts != 2 || got.Retries != 1 || !got.NextAttempt.Equal(first.NextAttempt) {
		t.Fatalf("after a network retry that failed: attempts %d retries %d next %v (was %v) %v",
			got.Attempts, got.Retries, got.NextAttempt, first.NextAttempt, err)
	}
}

// Finding 8: a subject in Japanese, Chinese or emoji (78+ CJK characters)
// made a name longer than the 255 bytes ext4 and btrfs allow, and
// finishSent took the failing Lstat for "already written": the delivered
// message had no Sent copy, silently. Now the name fits, and any error
// writing the copy keeps the entry (TestASentCopyThatCannotBeWrittenKeepsTheEntry).
func TestALongNonLatinSubjectReachesSent(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	subject := strings.Repeat("会議の議事録と来週の予定について", 6) // 96 characters, 288 bytes
	r, err := o.Enqueue(testNew(subject))
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.SendNow(context.Background(), r.ID, false)
	if n := e.delivered()[subject]; n != 1 {
		t.Fatalf("delivered %d times (SendNow: %v)", n, err)
	}
	o.Flush(context.Background(), false)
	list, _ := o.List()
	copies, _ := filepath.Glob(filepath.Join(e.sent, "*.eml"))
	if len(list) != 0 || len(copies) != 1 {
		var why string
		if len(list) > 0 && list[0].LastError != nil {
			why = list[0].LastError.Text
		}
		t.Fatalf("delivered, but %d Sent copies and %d entries left in the outbox (state %v, last error %q): the Sent copy is lost", len(copies), len(list), func() any {
			if len(list) > 0 {
				return list[0].State
			}
			return nil
		}(), why)
	}
}

// Finding 8: any error writing the Sent copy (here the Sent folder's
// place is taken by a file) keeps the entry with the error recorded; once
// the folder can be written, the next pass writes the copy and the entry
// leaves. The server got the message once.
func TestASentCopyThatCannotBeWrittenKeepsTheEntry(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	if err := os.WriteFile(e.sent, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := e.open(Options{})
	r, err := o.Enqueue(testNew("copy blocked"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.SendNow(context.Background(), r.ID, false); err == nil {
		t.Fatal("SendNow: no error although the Sent copy could not be written")
	}
	got, err := o.Get(r.ID)
	if err != nil || got.State != Sent || got.LastError == nil || !strings.Contains(got.LastError.Explain(), "Sent folder") {
		t.Fatalf("the entry after a failed copy: %+v %v", got, err)
	}
	os.Remove(e.sent)
	if _, err := o.Flush(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	copies, _ := filepath.Glob(filepath.Join(e.sent, "*.eml"))
	if list, _ := o.List(); len(list) != 0 || len(copies) != 1 || e.delivered()["copy blocked"] != 1 {
		t.Fatalf("after the folder came back: %d entries, %d copies, %d deliveries", len(list), len(copies), e.delivered()["copy blocked"])
	}
}
