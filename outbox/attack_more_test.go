//go:build unix

package outbox

// More adversarial tests (issue 18 review); skipped unless STAMP_ATTACK is
// set. See ATTACK.md.

import (
	"context"
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

// Finding 8: the Sent copy's name is up to 80 characters of subject, not
// bytes: a subject in Japanese, Chinese or emoji (78+ CJK characters) makes
// a name longer than the 255 bytes ext4 and btrfs allow. finishSent's
// os.Lstat of that name fails with ENAMETOOLONG, which is not ErrNotExist,
// so it skips the copy as "already written" and removes the entry: the
// delivered message has no Sent copy, silently, no error anywhere. (Any
// Lstat error — EACCES on the Sent folder, EIO — does the same.)
func TestAttackALongNonLatinSubjectNeverReachesSent(t *testing.T) {
	attackOnly(t, 8)
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
