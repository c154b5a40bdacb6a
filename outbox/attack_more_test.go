//go:build unix

package outbox

// More adversarial tests (issue 18 review); skipped unless STAMP_ATTACK is
// set. See ATTACK.md.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// Finding 7: a network change makes every Retrying message due at once,
// whatever its last failure was. A server that answered 451/421 ("try
// later": greylisting, a rate limit) is reached again on each change —
// on Linux any netlink link/address/route message, at most one a second
// (IPv6 router advertisements, a VPN, containers starting) — so the
// back-off the server asked for is not kept, and each retry also steps the
// back-off forward. Counted at the server: sessions.
func TestAttackNetworkChangesDefeatTheBackoffAfterA4xxReply(t *testing.T) {
	attackOnly(t, 7)
	e := newEnv(t, sandbox.Options{RejectData: &sandbox.Reply{Code: 451, Enhanced: "4.7.1", Text: "rate limited, try again in an hour"}})
	net := make(chan struct{}, 1)
	o := e.open(Options{Backoff: []time.Duration{time.Hour}, NetworkChanges: func(context.Context) <-chan struct{} { return net }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	if _, err := o.Enqueue(testNew("rate limited")); err != nil {
		t.Fatal(err)
	}
	wait := func(n int, d time.Duration) bool {
		c, stop := context.WithTimeout(context.Background(), d)
		defer stop()
		return e.srv.WaitSessionsEnded(c, n) == nil
	}
	if !wait(1, 5*time.Second) {
		t.Fatal("no first attempt")
	}
	e.waitChange("the first 451", func(c Change) bool { return c.Record.State == Retrying })
	sessions := 1
	for range 5 {
		net <- struct{}{} // one network change a second is what WatchNetwork lets through
		if wait(sessions+1, time.Second) {
			sessions++
		}
	}
	if sessions > 1 {
		t.Fatalf("the server said 451 \"try again in an hour\" and was reached %d times in seconds (back-off 1 hour), once per network change", sessions)
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
	if err != nil || got.State != Sent || got.LastError == nil || !strings.Contains(got.LastError.Explanation, "Sent folder") {
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
