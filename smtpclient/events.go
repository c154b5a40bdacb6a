package smtpclient

import (
	"strconv"
	"time"

	"stamp/i18n"
)

// Step names a phase of the session. Events and errors carry the step they
// belong to, so a person can see where a send stopped.
type Step string

// The steps of a session, in the order they happen.
const (
	StepConnect   Step = "connect"
	StepTLS       Step = "tls"        // implicit TLS handshake
	StepGreeting  Step = "greeting"   // the server's 220
	StepEHLO      Step = "ehlo"       // EHLO (or HELO)
	StepSTARTTLS  Step = "starttls"   // STARTTLS command and handshake
	StepEHLOAgain Step = "ehlo-again" // EHLO after TLS was established
	StepAuth      Step = "auth"
	StepMail      Step = "mail-from"
	StepRcpt      Step = "rcpt-to"
	StepData      Step = "data"    // the DATA command and its 354
	StepMessage   Step = "message" // the message bytes and the final reply
	StepReset     Step = "rset"
	StepQuit      Step = "quit"
)

var stepLabels = map[Step]i18n.Message{
	StepConnect:   i18n.M("smtp.step.connect", "connecting"),
	StepTLS:       i18n.M("smtp.step.tls", "the TLS handshake"),
	StepGreeting:  i18n.M("smtp.step.greeting", "the greeting"),
	StepEHLO:      i18n.M("smtp.step.ehlo", "EHLO"),
	StepSTARTTLS:  i18n.M("smtp.step.starttls", "STARTTLS"),
	StepEHLOAgain: i18n.M("smtp.step.ehlo_again", "EHLO after STARTTLS"),
	StepAuth:      i18n.M("smtp.step.auth", "AUTH (login)"),
	StepMail:      i18n.M("smtp.step.mail", "MAIL FROM (sender)"),
	StepRcpt:      i18n.M("smtp.step.rcpt", "RCPT TO (recipients)"),
	StepData:      i18n.M("smtp.step.data", "DATA"),
	StepMessage:   i18n.M("smtp.step.message", "sending the message"),
	StepReset:     i18n.M("smtp.step.rset", "RSET"),
	StepQuit:      i18n.M("smtp.step.quit", "QUIT"),
}

// Label names the step for people, as in "failed at STARTTLS", in the
// current language (i18n).
func (s Step) Label() string {
	if l, ok := stepLabels[s]; ok {
		return l.String()
	}
	return string(s)
}

// EventKind says what an Event reports.
type EventKind int

const (
	// EventStepStarted: Step begins; Text describes it ("connect 127.0.0.1:2525").
	EventStepStarted EventKind = iota
	// EventStepFinished: Step ended well.
	EventStepFinished
	// EventStepFailed: Step ended with Err.
	EventStepFailed
	// EventLine: one line of the conversation (Direction client or server),
	// or a local note such as the TLS handshake's details (Direction local).
	EventLine
	// EventProgress: Sent of Total message bytes are on the wire.
	EventProgress
	// EventRecipient: the server's verdict on one RCPT TO (Recipient).
	EventRecipient
)

var eventKindNames = [...]string{"step-started", "step-finished", "step-failed", "line", "progress", "recipient"}

// String returns a short name such as "line" or "progress".
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText makes kinds readable in JSON.
func (k EventKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Direction says who produced a line.
type Direction int

const (
	// Local lines are the engine's own notes (steps, TLS details).
	Local Direction = iota
	// Client lines were written by us to the server.
	Client
	// Server lines were read from the server.
	Server
)

// String returns "local", "client" or "server".
func (d Direction) String() string {
	switch d {
	case Client:
		return "client"
	case Server:
		return "server"
	}
	return "local"
}

// MarshalText makes directions readable in JSON.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Event is one thing that happened during a session. Events are delivered in
// order, on the goroutine that called Send or Probe; a handler that updates
// a UI must hand them to the UI goroutine itself. Secrets never appear in an
// event: AUTH data is replaced by Mask before the event is built, a secret a
// server echoes is masked (raw, escaped or base64), and the message body is
// summarised, never echoed. Every text in an event — Text, Reply's lines,
// Err.Message — is Printable: a server's control characters, bidi
// overrides and broken UTF-8 arrive as visible escapes.
type Event struct {
	// Time is when the event happened.
	Time time.Time `json:"time"`
	// Kind says which of the fields below are set.
	Kind EventKind `json:"kind"`
	// Step is the phase the event belongs to.
	Step Step `json:"step"`
	// Direction is set for EventLine: client, server or local.
	Direction Direction `json:"direction"`
	// Text is the line (without CRLF), or a description of the step.
	Text string `json:"text,omitempty"`

	// Sent and Total are set for EventProgress: message bytes handed to the
	// connection so far, and the message's size.
	Sent  int64 `json:"sent,omitempty"`
	Total int64 `json:"total,omitempty"`

	// Recipient, Accepted and Reply are set for EventRecipient.
	Recipient string `json:"recipient,omitempty"`
	Accepted  bool   `json:"accepted,omitempty"`
	Reply     *Reply `json:"reply,omitempty"`

	// Err is set for EventStepFailed.
	Err *Error `json:"error,omitempty"`
}

// Mask replaces secrets in the transcript.
const Mask = "********"
