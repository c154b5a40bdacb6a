package smtpclient

import "errors"

// Outcome is what the end of a send means for the message: the one
// classification of a Send's result that the composer and the outbox share.
type Outcome int

const (
	// NotSent: the server did not take the message; sending again is safe.
	NotSent Outcome = iota
	// Sent: the server accepted the message with its final reply.
	Sent
	// MaybeSent: the whole message went out but its final reply never came
	// (a timeout, a broken connection, a cancel after the final dot). The
	// server may deliver it; sending again may make it arrive twice.
	MaybeSent
)

var outcomeWords = [...]string{"not sent", "sent", "possibly sent"}

// String is "not sent", "sent" or "possibly sent".
func (o Outcome) String() string {
	if int(o) < len(outcomeWords) {
		return outcomeWords[o]
	}
	return "unknown"
}

// OutcomeOf reduces what Send (or a send path around it, such as
// oauth.Send) returned to an Outcome. A nil res is allowed (a send that
// failed before the engine ran).
func OutcomeOf(res *Result, err error) Outcome {
	var se *Error
	switch {
	case res != nil && res.Sent:
		return Sent
	case errors.As(err, &se) && se.MayHaveBeenDelivered:
		return MaybeSent
	}
	return NotSent
}
