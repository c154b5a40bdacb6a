package main

import (
	"os"
	"strings"
	"testing"
)

// Finding 7: the issue promises a link's other fields are "ignored and said
// so". With --json (the mode scripts use) applyMailto keeps stderr to JSON
// events and says nothing, and no JSON event names them either: a script
// cannot tell that the link asked to attach /etc/passwd or to send as
// someone else.
func TestAttackJSONMailtoIgnoredFieldsUnsaid(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack finding 7")
	}
	code, stdout, stderr := runCmd(t, "", "--dry-run", "--json", "--from", "me@example.com",
		"--mailto", "mailto:ann@example.com?attach=/etc/passwd&from=ceo@bank.example")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "attach") || !strings.Contains(stderr, "from") {
		t.Fatalf("with --json nothing names the ignored attach= and from= fields:\nstderr %q\nstdout %d bytes", stderr, len(stdout))
	}
}
