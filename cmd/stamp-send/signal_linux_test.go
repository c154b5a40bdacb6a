//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// buildStampSend builds the real command for tests that run it as a
// child process.
func buildStampSend(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "stamp-send")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// pipeBytes is how many bytes wait in a pipe (FIONREAD), and pipeSize
// how many it holds (F_GETPIPE_SZ).
func pipeBytes(t *testing.T, f *os.File) int {
	var n int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TIOCINQ, uintptr(unsafe.Pointer(&n))); errno != 0 {
		t.Fatalf("FIONREAD: %v", errno)
	}
	return int(n)
}

func pipeSize(t *testing.T, f *os.File) int {
	n, _, errno := syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), syscall.F_GETPIPE_SZ, 0)
	if errno != 0 {
		t.Fatalf("F_GETPIPE_SZ: %v", errno)
	}
	return int(n)
}

// Review D5: the first SIGINT or SIGTERM cancels the send; a second one
// must end stamp-send at once even when it is stuck somewhere that does
// not watch the context. Here that is a write to stderr: the child's
// stderr is a pipe nobody reads, and the server's greeting is longer than
// the pipe holds, so the child blocks in write(2) in the middle of the
// transcript, with --timeout 1h.
func TestASecondSignalEndsStampSendAtOnce(t *testing.T) {
	bin := buildStampSend(t)
	// Each greeting line becomes a transcript line of 4096 bytes ("<- ",
	// the line, "\n"): one page of the pipe per write.
	const lineLen = 4096
	greeting := make([]string, 0, 201)
	for i := 0; i < 200; i++ {
		greeting = append(greeting, "220-"+strings.Repeat("x", lineLen-len("<- 220-\n")))
	}
	addr := scriptedServer(t, smtpScript{greeting: strings.Join(append(greeting, "220 ready"), "\r\n")})

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(bin, "--server", addr, "--security", "none", "--timeout", "1h",
		"--from", "a@example.com", "--to", "b@example.com", "--body", "x")
	cmd.Stderr = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer cmd.Process.Kill()

	// Wait until the pipe is too full for another transcript line: the
	// child is then blocked writing.
	full := pipeSize(t, r) - lineLen
	for deadline := time.Now().Add(20 * time.Second); pipeBytes(t, r) <= full; time.Sleep(5 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("stamp-send ended before it was stuck: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the child never filled its stderr pipe (%d of %d bytes)", pipeBytes(t, r), full)
		}
	}

	// The first SIGTERM only cancels; the child stays stuck in write. Send
	// it again until the process ends: the first signal may still be on
	// its way when the second is sent.
	signals := 0
	send := func() {
		if err := cmd.Process.Signal(syscall.SIGTERM); err == nil {
			signals++
		}
	}
	send()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	limit := time.After(10 * time.Second)
	for {
		select {
		case <-done:
			ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if cmd.ProcessState.ExitCode() == 0 || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
				t.Errorf("stamp-send ended with %v, want killed by SIGTERM (a non-zero exit)", cmd.ProcessState)
			}
			if signals < 2 {
				t.Errorf("stamp-send ended after %d SIGTERM, but it was stuck writing: the first must only cancel", signals)
			}
			return
		case <-tick.C:
			send()
		case <-limit:
			t.Fatalf("stamp-send still runs after %d SIGTERMs: a second signal must end it at once", signals)
		}
	}
}
