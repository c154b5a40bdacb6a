package outbox

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// cpuTime is the CPU time this process has used (all threads).
func cpuTime(t *testing.T) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// With 20 messages scheduled for tomorrow the scheduler holds one timer
// and the network watcher sleeps in the kernel: the process stays idle.
// STAMP_IDLE_SECONDS makes the measured run longer (docs/performance.md).
func TestTwentyScheduledMessagesLeaveTheProcessIdle(t *testing.T) {
	seconds := 2
	if s, err := strconv.Atoi(os.Getenv("STAMP_IDLE_SECONDS")); err == nil && s > 0 {
		seconds = s
	}
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{NetworkChanges: WatchNetwork})
	for range 20 {
		n := testNew("tomorrow")
		n.At = time.Now().Add(24 * time.Hour)
		if _, err := o.Enqueue(n); err != nil {
			t.Fatal(err)
		}
	}
	// The same process with the messages queued but no scheduler: the
	// floor (the sandbox server, the Go runtime).
	before, start := cpuTime(t), time.Now()
	time.Sleep(time.Duration(seconds) * time.Second)
	floor, floorWall := cpuTime(t)-before, time.Since(start)
	t.Logf("CPU time over %v without the scheduler: %v", floorWall.Round(time.Millisecond), floor)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	time.Sleep(200 * time.Millisecond) // the first pass over the folder
	before, start = cpuTime(t), time.Now()
	time.Sleep(time.Duration(seconds) * time.Second)
	used, wall := cpuTime(t)-before, time.Since(start)
	t.Logf("CPU time over %v with the scheduler and 20 scheduled messages: %v (%.3f%% of one core)", wall.Round(time.Millisecond), used, 100*used.Seconds()/wall.Seconds())
	// A loop that polls would use a large share; an idle process a few
	// milliseconds (the Go runtime's own housekeeping).
	if used > wall/100 {
		t.Errorf("the outbox used %v of CPU in %v while nothing was due", used, wall)
	}
}

// The netlink watcher reports an address change (root only: it adds and
// removes a loopback address with ip(8)).
func TestWatchNetworkSeesAnAddressChange(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("SKIPPED: needs root to change an address")
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("SKIPPED: no ip command")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := WatchNetwork(ctx)
	if out, err := exec.Command(ip, "addr", "add", "127.0.0.77/32", "dev", "lo").CombinedOutput(); err != nil {
		t.Skipf("SKIPPED: cannot add an address: %v %s", err, out)
	}
	defer exec.Command(ip, "addr", "del", "127.0.0.77/32", "dev", "lo").Run()
	select {
	case _, ok := <-ch:
		if !ok {
			t.Fatal("the watcher closed")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no report of the new address")
	}
	cancel()
	for range ch { // closes once ctx is done
	}
}
