//go:build linux

package main

// Kill -9 of stamp-send around the outbox (issue 18 review, findings 1, 12).

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// Finding 1 (stamp-send): kill -9 of `stamp-send outbox send` after the
// final dot; the server delivers. The person lists the outbox (the message
// shows "sending", nothing says it may have been delivered) and runs
// `stamp-send outbox send ID` without --again: it goes out a second time.
// The --again guard reads the record (Get) before the dead attempt is
// judged; SendNow judges it and then sends because it is forced.
func TestOutboxSendIDWithoutAgainAfterAKillAsksFirst(t *testing.T) {
	bin := buildStampSend(t)
	e, _ := killedAfterTheDot(t, bin)
	list := e.list()
	if len(list) != 1 {
		t.Fatalf("outbox: %v", list)
	}
	if list[0]["busy"] != false {
		t.Errorf("outbox list --json: busy %v, want false (nobody holds it)", list[0]["busy"])
	}
	if list[0]["reason"] != "may-have-been-delivered" {
		t.Errorf("outbox list --json shows: state %v reason %v, want may-have-been-delivered", list[0]["state"], list[0]["reason"])
	}
	out, _ := e.cmd("outbox", "send", list[0]["id"].(string)).CombinedOutput()
	if n := len(e.srv.Messages()); n != 1 {
		t.Fatalf("`outbox send ID` without --again delivered it again (%d deliveries); it said:\n%s", n, out)
	}
	if !strings.Contains(string(out), "--again") {
		t.Errorf("`outbox send ID` did not point to --again:\n%s", out)
	}
}

// Finding 12: kill -9 while a message is being written into the outbox
// (stamp-send --queue with a large attachment; the app's Send is the same
// Enqueue) left atomicfile's hidden temporary file, ".ID.eml.tmp-N", in
// the outbox folder for ever. Now the orphan clean-up knows those too.
func TestAKilledQueueLeavesNothingBehind(t *testing.T) {
	bin := buildStampSend(t)
	e := newOutboxEnv(t, bin, sandbox.Options{})
	big := filepath.Join(t.TempDir(), "big.bin")
	if err := os.WriteFile(big, make([]byte, 32<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	outboxDir := filepath.Join(e.data, "Outbox")
	c := e.cmd("--account", "box", "--to", "bob@example.com", "--subject", "big", "--body", "see attached", "--attach", big, "--queue")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	killed := false
	for !killed && time.Now().Before(deadline) { // wait for the half-written message, then kill
		names, _ := os.ReadDir(outboxDir)
		for _, n := range names {
			if strings.Contains(n.Name(), ".eml.tmp-") {
				if info, err := n.Info(); err == nil && info.Size() > 1<<20 {
					c.Process.Signal(syscall.SIGKILL)
					killed = true
				}
			}
		}
		if !killed {
			time.Sleep(time.Millisecond)
		}
	}
	c.Wait()
	if !killed {
		t.Skip("never saw the message half-written")
	}
	// The next runs: a flush (which cleans orphans) and a list.
	e.cmd("outbox", "send").Run()
	if list := e.list(); len(list) != 0 {
		t.Fatalf("a half-written message is listed: %v", list)
	}
	names, _ := os.ReadDir(outboxDir)
	var left []string
	var size int64
	for _, n := range names {
		info, _ := n.Info()
		left = append(left, n.Name())
		size += info.Size()
	}
	if len(left) != 0 {
		t.Fatalf("after the clean-up the outbox folder still holds %d bytes in %v", size, left)
	}
}
