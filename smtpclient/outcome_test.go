package smtpclient

import (
	"fmt"
	"testing"
)

func TestOutcomeOf(t *testing.T) {
	for _, c := range []struct {
		name string
		res  *Result
		err  error
		want Outcome
	}{
		{"an accepted message is sent, even when QUIT failed", &Result{Sent: true}, &Error{Step: StepQuit, Kind: ErrorConnection}, Sent},
		{"a missing final reply may have been delivered", &Result{}, fmt.Errorf("wrapped: %w", &Error{Step: StepMessage, Kind: ErrorTimeout, MayHaveBeenDelivered: true}), MaybeSent},
		{"a refusal is not sent", &Result{}, &Error{Step: StepMessage, Kind: ErrorReply, Code: 550}, NotSent},
		{"a failure before the engine ran is not sent", nil, fmt.Errorf("no password"), NotSent},
	} {
		if got := OutcomeOf(c.res, c.err); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
