package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/internal/fifotest"
)

// `account discover --ca-file` reads the file as `--ca-file` and `account
// add --ca-file` do (internal/boundedfile): a FIFO nobody writes to is
// refused at once rather than hanging the command past --timeout (found by
// the adversarial review, ATTACK2 item 9).
func TestDiscoverRefusesACAFileThatIsAFIFOAtOnce(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "ca.pem")
	if err := fifotest.Make(fifo); err != nil {
		t.Skip(err)
	}
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := runCmd(t, "", "account", "discover", "me@example.test", "--ca-file", fifo,
			"--timeout", "1s", "--resolver", "127.0.0.1:1", "--ispdb", "https://127.0.0.1:1/")
		done <- result{code, stderr}
	}()
	select {
	case r := <-done:
		if !strings.Contains(r.stderr, "not a regular file") || r.code != exitUsage {
			t.Errorf("exit %d, stderr %q; want the FIFO refused as not a regular file (exit %d)", r.code, r.stderr, exitUsage)
		}
	case <-time.After(5 * time.Second):
		// Unblock the reader so the test binary can end.
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
		<-done
		t.Fatal("`stamp-send account discover --ca-file FIFO --timeout 1s` still hung after 5 s")
	}
}

// A device such as /dev/zero, which would fill memory if read to the end,
// is refused with the path named.
func TestDiscoverRefusesACAFileThatIsADevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	code, _, stderr := runCmd(t, "", "account", "discover", "me@example.test", "--ca-file", "/dev/zero",
		"--timeout", "1s", "--resolver", "127.0.0.1:1", "--ispdb", "https://127.0.0.1:1/")
	if code != exitUsage || !strings.Contains(stderr, "--ca-file /dev/zero: not a regular file but a device") {
		t.Errorf("exit %d, stderr %q; want /dev/zero refused as not a regular file but a device (exit %d)", code, stderr, exitUsage)
	}
}
