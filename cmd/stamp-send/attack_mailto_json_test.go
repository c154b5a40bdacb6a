package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Finding 7: the issue promises a link's other fields are "ignored and said
// so". With --json (the mode scripts use) applyMailto keeps stderr to JSON
// events and says nothing, and no JSON event names them either: a script
// cannot tell that the link asked to attach /etc/passwd or to send as
// someone else.
func TestAttackJSONMailtoIgnoredFieldsUnsaid(t *testing.T) {
	code, stdout, stderr := runCmd(t, "", "--dry-run", "--json", "--from", "me@example.com",
		"--mailto", "mailto:ann@example.com?attach=/etc/passwd&from=ceo@bank.example")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "attach") || !strings.Contains(stderr, "from") {
		t.Fatalf("with --json nothing names the ignored attach= and from= fields:\nstderr %q\nstdout %d bytes", stderr, len(stdout))
	}
	// Every stderr line is a JSON event; one per ignored field.
	fields := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		var ev struct{ Kind, Field, Reason string }
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("stderr line %q is not JSON: %v", line, err)
		}
		if ev.Kind == "mailto_ignored" {
			if ev.Reason == "" || fields[ev.Field] {
				t.Errorf("event %q: no reason, or the field twice", line)
			}
			fields[ev.Field] = true
		}
	}
	if len(fields) != 2 || !fields["attach"] || !fields["from"] {
		t.Fatalf("mailto_ignored events for %v, want attach and from", fields)
	}
}
