package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// heapProfileEnv names the file that receives a heap profile of the idle app
// (docs/performance.md, idle RSS). Unset, nothing below runs.
const heapProfileEnv = "STAMP_HEAP_PROFILE"

// heapProfileDelay is how long after start the profile is taken: the moment
// scripts/bench-gui.sh reads the idle RSS.
const heapProfileDelay = 5 * time.Second

// startHeapProfile, when $STAMP_HEAP_PROFILE names a file, writes a heap
// profile there 5 s after start, after a garbage collection, so that
// `go tool pprof -sample_index=inuse_space` shows what the idle app keeps,
// and prints the Go runtime's own memory figures to stderr.
func startHeapProfile() {
	path := os.Getenv(heapProfileEnv)
	if path == "" {
		return
	}
	time.AfterFunc(heapProfileDelay, func() {
		runtime.GC()
		f, err := os.Create(path)
		if err == nil {
			err = pprof.Lookup("heap").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "stamp: %s: %v\n", heapProfileEnv, err)
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		const mib = 1 << 20
		fmt.Fprintf(os.Stderr, "stamp: Go memory after GC: live heap %.1f MiB, heap held %.1f MiB (%.1f MiB returned to the OS), stacks %.1f MiB, runtime total %.1f MiB, %d goroutines\n",
			float64(m.HeapAlloc)/mib, float64(m.HeapSys-m.HeapReleased)/mib, float64(m.HeapReleased)/mib,
			float64(m.StackSys)/mib, float64(m.Sys-m.HeapReleased)/mib, runtime.NumGoroutine())
	})
}
