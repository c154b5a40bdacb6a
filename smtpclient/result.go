package smtpclient

import (
	"io"
	"regexp"
	"time"
)

// Envelope is what the SMTP session needs besides the message bytes: the
// reverse path and the recipients (To, Cc and Bcc together, each once).
type Envelope struct {
	// From is the MAIL FROM address; "" sends the null reverse path "<>".
	From string
	// To lists every recipient, one RCPT TO each, in this order.
	To []string
	// SMTPUTF8 is set when an address or a header needs UTF-8 (RFC 6531).
	// Non-ASCII addresses set it implicitly.
	SMTPUTF8 bool
	// EightBitMIME is set when the message has 8-bit content (RFC 6152).
	EightBitMIME bool
}

// Message is the message to send: it writes itself (headers and body, line
// ends may be LF or CRLF) and knows its size in advance, for the progress
// bar and the server's SIZE limit. compose's writer satisfies it, and so
// does an .eml file (see File and OpenFile).
type Message interface {
	io.WriterTo
	// Size is the number of bytes WriteTo will write.
	Size() int64
}

// RecipientResult is the server's verdict on one recipient.
type RecipientResult struct {
	Address  string `json:"address"`
	Accepted bool   `json:"accepted"`
	// Reply is the server's answer to RCPT TO (nil if never asked).
	Reply *Reply `json:"reply,omitempty"`
}

// StepTiming is how long one step took.
type StepTiming struct {
	Step     Step          `json:"step"`
	Duration time.Duration `json:"duration"`
}

// Result is what happened in a session. Send returns it even on failure,
// filled as far as the session got. Its replies, the greeting and the
// certificate names are Printable, with secrets masked, as in events.
type Result struct {
	// Recipients lists every envelope recipient with its verdict.
	Recipients []RecipientResult `json:"recipients"`
	// Final is the reply to the end of the message (nil if none came).
	Final *Reply `json:"final,omitempty"`
	// QueueID is the server's id for the message, when its final reply
	// names one ("queued as 4F3A2", "id=…").
	QueueID string `json:"queue_id,omitempty"`
	// Capabilities are the server's, learnt in this session.
	Capabilities *Capabilities `json:"capabilities,omitempty"`
	// TLS describes the connection's TLS, nil when in plain text.
	TLS *TLSInfo `json:"tls,omitempty"`
	// MessageBytes is the message's size; WireBytes what went on the wire
	// for it (with dot-stuffing, CRLF and the final ".").
	MessageBytes int64 `json:"message_bytes"`
	WireBytes    int64 `json:"wire_bytes"`
	// Timings lists the steps in order with their durations; Total is the
	// whole session.
	Timings []StepTiming  `json:"timings"`
	Total   time.Duration `json:"total"`
	// Sent is true once the server accepted the message with its final 2xx.
	// A failure after that (QUIT) does not change it.
	Sent bool `json:"sent"`
}

// Accepted returns the addresses the server accepted.
func (r *Result) Accepted() []string {
	var a []string
	for _, rr := range r.Recipients {
		if rr.Accepted {
			a = append(a, rr.Address)
		}
	}
	return a
}

// Refused returns the recipients the server refused or never got to.
func (r *Result) Refused() []RecipientResult {
	var a []RecipientResult
	for _, rr := range r.Recipients {
		if !rr.Accepted {
			a = append(a, rr)
		}
	}
	return a
}

// queueIDPatterns find the queue id in a final reply, in the wordings of
// Postfix ("queued as 4F3A2C0B1"), Exim ("OK id=1rXyZ-000123-AB"),
// Sendmail ("Message accepted for delivery" after "4AB12345"), go-smtp and
// the big providers ("OK 1699999999 a1b2c3 - gsmtp").
var queueIDPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)queued as ([A-Za-z0-9._-]+)`),
	regexp.MustCompile(`(?i)\bid=([A-Za-z0-9._-]+)`),
	regexp.MustCompile(`^([A-Za-z0-9]{8,}) Message accepted`),
	regexp.MustCompile(`(?i)^(?:OK|Ok:?)\s+([A-Za-z0-9._<>@-]{6,})`),
}

// queueID finds the queue id in r, which must be clean (masked, then
// Printable): the id is handed out, so it must never hold a secret.
func queueID(r *Reply) string {
	t := r.Text()
	for _, re := range queueIDPatterns {
		if m := re.FindStringSubmatch(t); m != nil {
			return m[1]
		}
	}
	return ""
}
