//go:build unix

package outbox

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"stamp/compose"
	"stamp/smtpclient/sandbox"
)

// helper starts the test binary as an outbox process running job on e's
// folders, dying by SIGKILL at the hook point killAt ("" for none).
func (e *env) helper(job, killAt string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "STAMP_OUTBOX_HELPER="+job, "STAMP_OUTBOX_KILL_AT="+killAt,
		"STAMP_OUTBOX_DIR="+e.dir, "STAMP_OUTBOX_SENT="+e.sent, fmt.Sprintf("STAMP_OUTBOX_PORT=%d", e.srv.Port()))
	return cmd
}

// runKilled runs the helper and checks it died by SIGKILL (at its hook,
// or when kill says so from its output).
func (e *env) runKilled(job, killAt string, kill func(line string) bool) {
	e.t.Helper()
	cmd := e.helper(job, killAt)
	out, err := cmd.StdoutPipe()
	if err != nil {
		e.t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if kill != nil && kill(sc.Text()) {
			cmd.Process.Signal(syscall.SIGKILL)
		}
	}
	err = cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		e.t.Fatalf("the helper was not killed at %q: %v", killAt, err)
	}
}

// checkExactlyOnce is the promise: each message is delivered at most once,
// and it is either in Sent (delivered, gone from the outbox) or still in
// the outbox — where a delivered one must say it may have been delivered.
func (e *env) checkExactlyOnce(o *Outbox, subjects ...string) map[string]Record {
	e.t.Helper()
	delivered, sent := e.delivered(), e.sentCopies()
	list, err := o.List()
	if err != nil {
		e.t.Fatal(err)
	}
	queued := map[string]Record{}
	for _, r := range list {
		queued[r.Subject] = r
	}
	for _, s := range subjects {
		r, inOutbox := queued[s]
		_, inSent := sent[s]
		switch {
		case delivered[s] > 1:
			e.t.Errorf("%q delivered %d times", s, delivered[s])
		case inSent && inOutbox:
			e.t.Errorf("%q is in Sent and still in the outbox (%s)", s, r.State)
		case delivered[s] == 1 && !inSent && !(inOutbox && r.Reason == ReasonMaybeDelivered):
			e.t.Errorf("%q was delivered but is neither in Sent nor shown as possibly delivered (%+v)", s, r)
		case delivered[s] == 0 && inSent:
			e.t.Errorf("%q is in Sent but the server never got it", s)
		}
	}
	return queued
}

func TestKillNineAtEveryPointEndsExactlyOnceOrVisiblyMaybe(t *testing.T) {
	for _, c := range []struct {
		name, killAt string
		server       sandbox.Options
		// want is the state after the next flush: "sent", "not queued",
		// or "maybe" (in the outbox, may have been delivered).
		want      string
		delivered int
	}{
		{"killed after the message was written, before its record", "enqueue-message-written", sandbox.Options{}, "not queued", 0},
		{"killed during the undo delay", "enqueued", sandbox.Options{}, "queued", 0},
		{"killed after recording sending, before connecting", "sending-recorded", sandbox.Options{}, "sent", 1},
		{"killed after recording the DATA stage", "data-recorded", sandbox.Options{}, "maybe", 0},
		{"killed in the middle of the message data", "progress", sandbox.Options{}, "maybe", -1},
		{"killed after the final dot, before the reply", "dot", sandbox.Options{FinalReplyDelay: 500 * time.Millisecond}, "maybe", 1},
		{"killed after the final 250, before the record", "after-send", sandbox.Options{}, "maybe", 1},
		{"killed after recording sent, before the Sent copy", "sent-recorded", sandbox.Options{}, "sent", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.server)
			o := e.open(Options{Backoff: []time.Duration{time.Millisecond}})
			if strings.HasPrefix(c.killAt, "enqueue") {
				e.runKilled("enqueue 1", c.killAt, nil)
			} else {
				n := testNew("helper 0")
				if c.killAt == "progress" {
					n = bigTestNew(t, "helper 0", 24<<20)
				}
				if _, err := o.Enqueue(n); err != nil {
					t.Fatal(err)
				}
				var kill func(string) bool
				switch c.killAt {
				case "dot":
					kill = func(line string) bool { return strings.HasPrefix(line, "dot-sent") }
				case "progress":
					kill = func(line string) bool { return strings.HasPrefix(line, "data-progress") }
				}
				e.runKilled("flush", c.killAt, kill)
			}
			if c.killAt == "dot" || c.killAt == "after-send" || c.killAt == "sent-recorded" {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				e.srv.Wait(ctx, c.delivered) // the server may still be finishing its side
				cancel()
			}
			// The next start: a flush that may retry what is due.
			o.Flush(context.Background(), true)
			queued := e.checkExactlyOnce(o, "helper 0")
			r, inOutbox := queued["helper 0"]
			switch c.want {
			case "sent":
				if inOutbox {
					t.Fatalf("still in the outbox: %+v", r)
				}
			case "queued":
				if !inOutbox || r.State != Waiting {
					t.Fatalf("want it waiting in the outbox; got %+v (in the outbox: %v)", r, inOutbox)
				}
			case "not queued":
				if inOutbox {
					t.Fatalf("a half-written entry is listed: %+v", r)
				}
				if names, _ := os.ReadDir(e.dir); len(names) != 0 {
					t.Errorf("left in the outbox folder: %v", names)
				}
			case "maybe":
				if !inOutbox || r.State != NeedsAttention || r.Reason != ReasonMaybeDelivered || r.LastError == nil {
					t.Fatalf("want needs attention, may have been delivered; got %+v", r)
				}
			}
			if got := e.delivered()["helper 0"]; c.delivered >= 0 && got != c.delivered {
				t.Fatalf("delivered %d times, want %d", got, c.delivered)
			}
			// Never again on its own.
			o.Flush(context.Background(), true)
			e.checkExactlyOnce(o, "helper 0")
		})
	}
}

func TestTwoProcessesFlushingOneOutboxDeliverEachMessageOnce(t *testing.T) {
	e := newEnv(t, sandbox.Options{Latency: 5 * time.Millisecond})
	o := e.open(Options{})
	var subjects []string
	for i := range 12 {
		s := fmt.Sprintf("message %d", i)
		if _, err := o.Enqueue(testNew(s)); err != nil {
			t.Fatal(err)
		}
		subjects = append(subjects, s)
	}
	a, b := e.helper("flush", ""), e.helper("flush", "")
	a.Stderr, b.Stderr = os.Stderr, os.Stderr
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	if err := a.Wait(); err != nil {
		t.Errorf("first flusher: %v", err)
	}
	if err := b.Wait(); err != nil {
		t.Errorf("second flusher: %v", err)
	}
	o.Flush(context.Background(), false) // whatever one saw busy and the other had not finished
	queued := e.checkExactlyOnce(o, subjects...)
	if len(queued) != 0 {
		t.Errorf("left in the outbox: %v", queued)
	}
	delivered := e.delivered()
	for _, s := range subjects {
		if delivered[s] != 1 {
			t.Errorf("%q delivered %d times", s, delivered[s])
		}
	}
}

// bigTestNew is testNew with an attachment of size bytes: a message whose
// data takes a while to stream.
func bigTestNew(t *testing.T, subject string, size int) New {
	m := &compose.Message{
		From: compose.Address{Addr: "ann@example.com"}, To: []compose.Address{{Addr: "bob@example.com"}},
		Subject: subject, Text: "big",
		Attachments: []compose.Attachment{{Name: "big.bin", Data: make([]byte, size)}},
	}
	n, err := FromCompose(m)
	if err != nil {
		t.Fatal(err)
	}
	n.Account, n.SentCopy = "sandbox", true
	return n
}
