//go:build linux

package main

import (
	"strings"
	"testing"

	"stamp/smtpclient/sandbox"
)

// `stamp-send outbox list --json` keeps writing last_error.explanation
// for a failure of this version (whose record stores only the machine
// fields), as scripts read it, and the same words as
// last_error_explanation.
func TestOutboxListJSONKeepsLastErrorExplanation(t *testing.T) {
	bin := buildStampSend(t)
	e := newOutboxEnv(t, bin, sandbox.Options{RejectRcpt: map[string]sandbox.Reply{
		"nobody@example.com": {Code: 550, Enhanced: "5.1.1", Text: "no such user here"}}})
	e.ok("--account", "box", "--to", "nobody@example.com", "--subject", "refused", "--body", "hi", "--queue")
	e.cmd("outbox", "send").Run() // fails: the recipient is refused
	list := e.list()
	if len(list) != 1 {
		t.Fatalf("outbox: %v", list)
	}
	le, _ := list[0]["last_error"].(map[string]any)
	old, _ := le["explanation"].(string)
	top, _ := list[0]["last_error_explanation"].(string)
	if old == "" || !strings.Contains(old, "no such user here") {
		t.Fatalf("last_error.explanation %q, want the failure in words with the server's reply (last_error: %v)", old, le)
	}
	if old != top {
		t.Errorf("last_error.explanation %q differs from last_error_explanation %q", old, top)
	}
}
