package outbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// State is where a message is in the outbox.
type State string

const (
	// Waiting: the undo delay runs; the message leaves at NextAttempt.
	Waiting State = "waiting"
	// Scheduled: sent later, at Scheduled (NextAttempt).
	Scheduled State = "scheduled"
	// Sending: an attempt is under way (or died: see the package doc).
	Sending State = "sending"
	// Retrying: a temporary failure; the next attempt is at NextAttempt,
	// or sooner when the network comes back.
	Retrying State = "retrying"
	// NeedsAttention: the outbox stopped trying; Reason says why. Only
	// the person sends it again (SendNow).
	NeedsAttention State = "needs-attention"
	// Sent: the server accepted the message; it is being moved to Sent.
	Sent State = "sent"
)

var states = map[State]bool{Waiting: true, Scheduled: true, Sending: true, Retrying: true, NeedsAttention: true, Sent: true}

// Stage is how far the running attempt got, for the crash rule.
type Stage string

const (
	// Connecting: from before the connection up to the envelope; the
	// server has not been sent a DATA command.
	Connecting Stage = "connecting"
	// Data: the DATA command may have been sent: from here on the whole
	// message may reach the server.
	Data Stage = "data"
)

// Reason says why a message needs attention.
type Reason string

const (
	// ReasonMaybeDelivered: the whole message may have reached the server
	// (no final reply came, or Stamp stopped during the send). Sending it
	// again may deliver it twice: the person decides.
	ReasonMaybeDelivered Reason = "may-have-been-delivered"
	// ReasonRefused: the server refused the message or its recipients
	// with a permanent (5xx) reply.
	ReasonRefused Reason = "refused"
	// ReasonSignIn: the login was refused, or the account must sign in
	// again.
	ReasonSignIn Reason = "sign-in"
	// ReasonCertificate: the server's certificate is not trusted, or TLS
	// failed.
	ReasonCertificate Reason = "certificate"
	// ReasonGaveUp: temporary failures went on for longer than
	// Options.GiveUpAfter (a day).
	ReasonGaveUp Reason = "gave-up"
	// ReasonTakenBack: the person took the message back (Undo, Edit) and
	// Stamp stopped before it left the outbox: the composer may have it
	// again. It is never sent on its own; the person sends or deletes it.
	ReasonTakenBack Reason = "taken-back"
	// ReasonProblem: anything else that trying again will not fix by
	// itself (settings, a missing account or password, the server broke
	// the protocol, the queued file cannot be read).
	ReasonProblem Reason = "problem"
)

var reasons = map[Reason]bool{"": true, ReasonMaybeDelivered: true, ReasonRefused: true, ReasonSignIn: true,
	ReasonCertificate: true, ReasonGaveUp: true, ReasonProblem: true, ReasonTakenBack: true}

// Failure is the last attempt's failure, kept as what happened, not in
// words of one language: the engine's kind, step, codes and the server's
// own text, or the outbox's own Event. Explain puts it into words when it
// is shown. Its texts are Printable with secrets masked (the engine's
// own), safe to show.
type Failure struct {
	// Step is the SMTP step that failed ("connect", "rcpt", …).
	Step string `json:"step,omitempty"`
	// Kind is the engine's error kind (smtpclient.ErrorKind's name:
	// "reply", "connection", "tls", …) when the engine failed.
	Kind string `json:"kind,omitempty"`
	// Code and Enhanced are the server's reply code and RFC 3463 status.
	Code     int    `json:"code,omitempty"`
	Enhanced string `json:"enhanced,omitempty"`
	// Message is the server's own words (or the engine's description of a
	// local failure): smtpclient.Error.Message. Note is the engine's note
	// beside them (each refused recipient with its reply), in the language
	// of the send.
	Message string `json:"message,omitempty"`
	Note    string `json:"note,omitempty"`
	// MayHaveBeenDelivered is the engine's flag of the same name.
	MayHaveBeenDelivered bool `json:"may_have_been_delivered,omitempty"`
	// Event is the outbox's own account of what happened (not the
	// engine's); Detail the cause's own text beside it (an OS error, or
	// what a wrapper of the engine's error added).
	Event  Event  `json:"event,omitempty"`
	Detail string `json:"detail,omitempty"`
	// SignIn is the provider (oauth.Kind: "microsoft", "google",
	// "custom") of an OAuth login the server refused and whose cause Stamp
	// knew (oauth.AuthError, Explained): Explain words the cause and fix
	// again (oauth.ExplainSMTP) from the reply kept above, in the language
	// of the moment it is shown.
	SignIn string `json:"sign_in,omitempty"`
	// Text is the one-line technical description (Error()).
	Text string `json:"text"`
	// Explanation is the explanation in words that versions before Kind
	// and Event stored (in the language of that moment); Explain shows it
	// for such a record. New failures leave it empty.
	Explanation string `json:"explanation,omitempty"`
	// Temporary: trying later may work.
	Temporary bool `json:"temporary,omitempty"`
	// At is when it happened.
	At time.Time `json:"at"`
}

// Record is what the outbox knows about one message (ID.json).
type Record struct {
	// Version is the record format, 1.
	Version int    `json:"version"`
	ID      string `json:"id"`
	// Account is the sender's account ID (the composer's Sender.ID).
	Account string `json:"account"`
	// From and To are the SMTP envelope (MAIL FROM, every RCPT TO).
	From         string   `json:"from"`
	To           []string `json:"to"`
	SMTPUTF8     bool     `json:"smtputf8,omitempty"`
	EightBitMIME bool     `json:"8bitmime,omitempty"`
	// Subject is for lists; Size is the size of ID.eml.
	Subject string `json:"subject,omitempty"`
	Size    int64  `json:"size"`
	// SentCopy: keep a copy in the Sent folder; SentHeader is what the
	// copy has on top of the transmitted message (compose.SentHeader).
	SentCopy   bool   `json:"sent_copy"`
	SentHeader string `json:"sent_header,omitempty"`

	State State `json:"state"`
	// Stage is set while State is Sending.
	Stage Stage `json:"stage,omitempty"`
	// Reason is set while State is NeedsAttention.
	Reason Reason `json:"reason,omitempty"`
	// Attempts counts the attempts; Retries the temporary failures since
	// the last time the person sent it (the back-off's step).
	Attempts int `json:"attempts"`
	Retries  int `json:"retries,omitempty"`

	// Created is when the message entered the outbox; Scheduled the time
	// the person chose with Send later (zero otherwise).
	Created   time.Time `json:"created"`
	Scheduled time.Time `json:"scheduled,omitzero"`
	// NextAttempt is when the outbox sends it next (Waiting, Scheduled,
	// Retrying).
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	// LastAttempt is when the last attempt started; FirstFailure when the
	// current run of temporary failures began (for GiveUpAfter).
	LastAttempt  time.Time `json:"last_attempt,omitzero"`
	FirstFailure time.Time `json:"first_failure,omitzero"`
	LastError    *Failure  `json:"last_error,omitempty"`

	// SentAt is when the server accepted it; SentName the Sent copy's
	// file name in the Sent folder (chosen before it is written, and
	// changed when another file took it meanwhile).
	SentAt   time.Time `json:"sent_at,omitzero"`
	SentName string    `json:"sent_name,omitempty"`
	// SentWritten: the Sent copy is written, under SentName (which may
	// differ from the name first chosen: a copy never replaces a file).
	SentWritten bool `json:"sent_written,omitempty"`

	// Busy is not stored: List sets it when a process holds the
	// message's lock (it is being sent, or changed, right now).
	Busy bool `json:"-"`
}

// LateAfter is how much later than its Scheduled time a message must
// leave for LeftLate to say so.
const LateAfter = 2 * time.Minute

// LeftLate reports whether a scheduled message left more than LateAfter
// after its time (Stamp was not running, or the network was down), and by
// how much: "it left late, at SentAt".
func (r Record) LeftLate() (time.Duration, bool) {
	if r.Scheduled.IsZero() || r.SentAt.IsZero() {
		return 0, false
	}
	late := r.SentAt.Sub(r.Scheduled)
	return late, late > LateAfter
}

// idPattern is the shape of an ID: the UTC creation time, then random
// letters (so names sort by age and never collide).
var idPattern = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[a-z2-7]{10}$`)

// ValidID reports whether id has the shape of an outbox ID (so it can be
// joined into a path).
func ValidID(id string) bool { return idPattern.MatchString(id) }

// maxRecord bounds a record file read back from disk.
const maxRecord = 1 << 20

// ParseRecord reads a record as stored, and refuses one that is damaged or
// not of this format: records are read back from disk.
func ParseRecord(b []byte) (Record, error) {
	var r Record
	if len(b) > maxRecord {
		return r, fmt.Errorf("outbox record: %d bytes, more than %d", len(b), maxRecord)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return Record{}, fmt.Errorf("outbox record: %w", err)
	}
	if err := r.check(); err != nil {
		return Record{}, fmt.Errorf("outbox record: %w", err)
	}
	return r, nil
}

// check is the record's invariants.
func (r *Record) check() error {
	switch {
	case r.Version != 1:
		return fmt.Errorf("version %d, not 1", r.Version)
	case !ValidID(r.ID):
		return errors.New("no valid id")
	case !states[r.State]:
		return fmt.Errorf("unknown state %q", r.State)
	case r.Stage != "" && r.Stage != Connecting && r.Stage != Data:
		return fmt.Errorf("unknown stage %q", r.Stage)
	case !reasons[r.Reason]:
		return fmt.Errorf("unknown reason %q", r.Reason)
	case len(r.To) == 0:
		return errors.New("no recipients")
	case r.Size < 0 || r.Attempts < 0 || r.Retries < 0:
		return errors.New("negative size or attempts")
	case r.SentHeader != "" && (!strings.HasSuffix(r.SentHeader, "\r\n") || strings.Contains(r.SentHeader, "\n\r\n") || strings.Contains(r.SentHeader, "\n\n") ||
		strings.HasPrefix(r.SentHeader, "\r\n")):
		return errors.New("a Sent header that would end the copy's header section")
	case r.SentName != "" && !safeName(r.SentName):
		return errors.New("a Sent copy name that is not a plain file name")
	case r.State == Sent && r.SentAt.IsZero():
		return errors.New("state sent without the time it was sent")
	case r.State == Sent && r.SentCopy && r.SentName == "":
		return errors.New("state sent with a Sent copy but no name for it")
	case r.State == Sending && r.Stage == "":
		return errors.New("state sending without a stage")
	case r.State != Sending && r.Stage != "":
		return fmt.Errorf("a stage (%q) outside state sending", r.Stage)
	}
	return nil
}

// marshal is the stored form.
func (r *Record) marshal() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
