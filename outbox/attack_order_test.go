//go:build unix

package outbox

// The order of the queue (issue 18 review, finding 16).

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"

	"stamp/smtpclient/sandbox"
)

// Finding 16: messages queued within one second left in random order (IDs
// are the creation second plus random letters, and Flush sent in ID
// order). Now Flush sends in the records' Created order, as List shows.
func TestMessagesQueuedInOneSecondLeaveInOrder(t *testing.T) {
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
