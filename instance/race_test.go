package instance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// A data folder shared over NFS with a Stamp on another machine: the lock
// is held there, its socket cannot be reached from here, and the start says
// where Stamp runs at once instead of waiting HandOverTimeout.
func TestAStartBesideAStampOnAnotherHostSaysWhereItRuns(t *testing.T) {
	dir := shortDir(t)
	if err := privateDir(dir); err != nil {
		t.Fatal(err)
	}
	held, err := tryLock(lockPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	held.WriteAt([]byte(`{"socket":"/run/user/1000/stamp/stamp-0a0b0c0d0e0f.sock","host":"elsewhere.example","pid":4242}`), 0)
	start := time.Now()
	p, err := Start(context.Background(), dir, dir, nil)
	if p != nil {
		p.Close()
		t.Fatal("became primary while another host holds the lock")
	}
	if err == nil || !strings.Contains(err.Error(), "elsewhere.example") {
		t.Fatalf("got %v, want the other host named", err)
	}
	if d := time.Since(start); d > HandOverTimeout/2 {
		t.Fatalf("took %v to say so", d)
	}
}

// A data folder whose file system takes no locks (NFS mounted nolock) does
// not keep Stamp from starting: the lock falls back to the run folder, and
// a second start there still hands over.
func TestADataFolderWithoutLocksFallsBackToTheRunFolder(t *testing.T) {
	base := shortDir(t)
	data, run := filepath.Join(filepath.Dir(base), "data"), base
	lockFile = func(path string) (*os.File, error) {
		if path == lockPath(data) {
			return nil, fmt.Errorf("%w: flock: no locks available", errNoLocks)
		}
		return tryLock(path)
	}
	defer func() { lockFile = tryLock }()
	p, err := Start(context.Background(), data, run, nil)
	if err != nil || p == nil {
		t.Fatalf("first start: %v %v, want a primary", p, err)
	}
	defer p.Close()
	got, _ := serve(t, p)
	p2, err := Start(context.Background(), data, run, []Arg{{Kind: File, Value: "/tmp/x.pdf"}})
	if p2 != nil {
		p2.Close()
		t.Fatal("two primaries for one data folder on one host")
	}
	if err != nil {
		t.Fatal(err)
	}
	if a := recv(t, got); len(a) != 1 || a[0].Value != "/tmp/x.pdf" {
		t.Fatalf("got %v", a)
	}
}
