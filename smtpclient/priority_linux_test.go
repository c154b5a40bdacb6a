package smtpclient

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// threadNices lists the nice value of each of this process's threads
// (field 19 of /proc/self/task/TID/stat) but the main one. A goroutine that
// ends locked to the main thread does not end that thread: Go parks it for
// good, so whatever priority it had, nothing runs there any more. (In the
// app, Fyne keeps the main thread locked to its own goroutine.)
func threadNices(t *testing.T) []int {
	t.Helper()
	stats, err := filepath.Glob("/proc/self/task/*/stat")
	if err != nil {
		t.Fatal(err)
	}
	main := filepath.Join("/proc/self/task", strconv.Itoa(os.Getpid()), "stat")
	var out []int
	for _, p := range stats {
		if p == main {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue // the thread ended meanwhile
		}
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
		n, err := strconv.Atoi(f[16]) // fields after the name start at 3
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func count(ns []int, v int) (n int) {
	for _, x := range ns {
		if x == v {
			n++
		}
	}
	return n
}

func TestBackgroundDataRunsOnLowerPriorityThreadsThatEndWithIt(t *testing.T) {
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	base := 20 - p // the raw system call returns 20 - nice
	low := min(base+backgroundNice, 19)
	if low == base {
		t.Skip("the process already runs at the lowest priority")
	}
	var seen atomic.Int32
	msg := genMessage{size: 8 << 20, hook: func(n int64) {
		if n > 4<<20 && seen.Load() == 0 {
			seen.Store(int32(count(threadNices(t), low)))
		}
	}}
	var out bytes.Buffer
	res := streamData(msg, &out, func(int64) {}, true)
	if res.srcErr != nil || res.connErr != nil {
		t.Fatal(res.srcErr, res.connErr)
	}
	if seen.Load() < 1 || seen.Load() > 2 {
		t.Fatalf("%d threads ran at nice %d during the stream, want the message's and the connection's (one may be the main thread)", seen.Load(), low)
	}
	// The threads end just after their goroutines hand over the result.
	deadline := time.Now().Add(5 * time.Second)
	for count(threadNices(t), low) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d threads still run at nice %d after the stream: the lowered priority leaked", count(threadNices(t), low), low)
		}
		time.Sleep(time.Millisecond)
	}
}
