package instance

import (
	"context"
	"testing"
	"time"
)

// A start that finds the lock held hands over, and only hands over: when
// the primary is on its way out (its socket already closed by Close, the
// lock not yet dropped, or the process exiting) the later start must not
// keep dialling a socket that will never come back for HandOverTimeout
// (15 s) and then fail, since the lock becomes free milliseconds later and
// it can become the primary itself. (ATTACK2 item 3.)
func TestAStartRacingAClosingPrimaryTakesTheFreedLock(t *testing.T) {
	dir := shortDir(t)
	if err := privateDir(dir); err != nil {
		t.Fatal(err)
	}
	held, err := tryLock(lockPath(dir)) // the closing primary: lock held, socket gone
	if err != nil {
		t.Fatal(err)
	}
	type res struct {
		p   *Primary
		err error
	}
	out := make(chan res, 1)
	start := time.Now()
	go func() {
		p, err := Start(context.Background(), dir, dir, []Arg{{Kind: File, Value: "/tmp/report.pdf"}})
		out <- res{p, err}
	}()
	time.Sleep(200 * time.Millisecond) // the primary's process ends
	held.Close()
	r := <-out
	if r.p != nil {
		r.p.Close()
		return
	}
	t.Fatalf("after %v the later start gave up instead of becoming primary (the lock was free after 0.2 s): %v", time.Since(start).Round(time.Second), r.err)
}

// The same race when the closing primary had written where it listened:
// the socket named in the lock file is gone, and the later start still
// takes the freed lock.
func TestAStartRacingAPrimaryThatClosedItsSocketTakesTheFreedLock(t *testing.T) {
	dir := shortDir(t)
	if err := privateDir(dir); err != nil {
		t.Fatal(err)
	}
	lock, err := tryLock(lockPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	p, err := listen(lock, testSocket(t, dir, dir), "")
	if err != nil {
		t.Fatal(err)
	}
	p.ln.Close() // Close's first step: the socket is gone, the lock still held
	type res struct {
		p   *Primary
		err error
	}
	out := make(chan res, 1)
	start := time.Now()
	go func() {
		p, err := Start(context.Background(), dir, dir, nil)
		out <- res{p, err}
	}()
	time.Sleep(200 * time.Millisecond)
	p.lock.Close()
	r := <-out
	if r.p == nil {
		t.Fatalf("after %v the later start gave up instead of becoming primary: %v", time.Since(start).Round(time.Second), r.err)
	}
	r.p.Close()
}
