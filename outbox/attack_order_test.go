//go:build unix

package outbox

// Adversarial test (issue 18 review); skipped unless STAMP_ATTACK is set.
// See ATTACK.md.

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"

	"stamp/smtpclient/sandbox"
)

// Finding 16: messages queued within one second leave in random order. IDs
// are the creation second plus random letters, and Flush sends in ID order,
// so "part 1, part 2, part 3" queued by a script (or sent quickly one
// after the other from the composer with a 0 s undo delay while offline)
// reach the recipients shuffled.
func TestAttackMessagesQueuedInOneSecondLeaveShuffled(t *testing.T) {
	attackOnly(t, 16)
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	var want []string
	for i := range 6 {
		s := fmt.Sprintf("part %d of 6", i+1)
		want = append(want, s)
		if _, err := o.Enqueue(testNew(s)); err != nil {
			t.Fatal(err)
		}
	}
	o.Flush(context.Background(), false)
	var got []string
	for _, m := range e.srv.Messages() {
		r, err := mail.CreateReader(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := r.Header.Subject()
		got = append(got, s)
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("queued in this order: %v\nthe server got them in this one: %v", want, got)
	}
}
