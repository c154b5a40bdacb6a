package smtpclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	"stamp/i18n"
)

// ErrorKind classifies an Error so callers can act on it.
type ErrorKind int

const (
	// ErrorReply: the server answered with a 4xx or 5xx reply.
	ErrorReply ErrorKind = iota
	// ErrorConnection: the TCP connection could not be opened or broke.
	ErrorConnection
	// ErrorTLS: the TLS handshake failed or the certificate was not trusted.
	ErrorTLS
	// ErrorTimeout: a step took longer than its timeout.
	ErrorTimeout
	// ErrorCanceled: the caller cancelled the context.
	ErrorCanceled
	// ErrorProtocol: the server broke the protocol (malformed, endless or
	// unexpected replies, data injected before a TLS handshake).
	ErrorProtocol
	// ErrorPolicy: the engine refused to go on because it would be unsafe or
	// cannot work (no STARTTLS, password in clear text, message over the
	// server's SIZE, SMTPUTF8 needed but missing, no common AUTH mechanism).
	ErrorPolicy
	// ErrorInput: the configuration or envelope is invalid; nothing was sent.
	ErrorInput
	// ErrorSource: reading the message itself failed while sending; the
	// message was not completed, so the server discards it.
	ErrorSource
)

var errorKindNames = [...]string{"reply", "connection", "tls", "timeout", "canceled", "protocol", "policy", "input", "source"}

// String returns a short name such as "reply" or "tls".
func (k ErrorKind) String() string {
	if int(k) < len(errorKindNames) {
		return errorKindNames[k]
	}
	return "ErrorKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText makes kinds readable in JSON.
func (k ErrorKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Error is the one error type returned by Send and Probe. errors.As finds it.
type Error struct {
	// Step is where the session stopped.
	Step Step
	// Kind classifies the failure.
	Kind ErrorKind
	// Code is the server's reply code (0 when the failure was not a reply).
	Code int
	// EnhancedCode is the RFC 3463 status such as "5.7.8", when given.
	EnhancedCode string
	// Message is the server's text, or a description of a local failure
	// (Stamp's own words in the current language, quoting what the server
	// or the person wrote as they wrote it; for a TLS failure crypto/tls's
	// technical text); from Send and Probe always Printable, with secrets
	// masked.
	Message string
	// Note is Stamp's own sentence about the failure, in the current
	// language, shown beside the server's words (Message), never inside
	// them: "Every recipient was refused: …" with each refused recipient
	// and its reply; for a TLS failure, why the certificate or handshake
	// was refused, beside crypto/tls's text. Empty for most failures. From
	// Send, clean like Message.
	Note string
	// Temporary is true for 4xx replies and timeouts: trying later may work.
	Temporary bool
	// MayHaveBeenDelivered is true when the whole message was sent but its
	// final reply never arrived: the server may have accepted it. A caller
	// must not present this as a plain failure (sending again may duplicate).
	MayHaveBeenDelivered bool
	// CertificateSHA256 is set when the server's certificate was not
	// trusted: its fingerprint, to compare with what the provider publishes
	// and to pin (Config.PinnedSHA256) if the person trusts it.
	CertificateSHA256 string
	// Err is the underlying error, if any. From Send and Probe its Error()
	// is clean like Message (secrets masked, then Printable: a certificate's
	// names are the server's words), while errors.As and errors.Is still
	// reach the original (a *tls.CertificateVerificationError, an x509
	// error, io.EOF). What errors.As finds is the original, raw: print this
	// Error or Err, never the text of what errors.As found.
	Err error
}

// cleanError is an underlying error whose text has been cleaned (masked,
// then Printable); Unwrap returns the original, so errors.As and errors.Is
// see through it.
type cleanError struct {
	text string
	err  error
}

func (e *cleanError) Error() string { return e.text }
func (e *cleanError) Unwrap() error { return e.err }

// Error returns a technical one-line description; Explain is for people.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("smtp ")
	b.WriteString(string(e.Step))
	b.WriteString(": ")
	if e.Code != 0 {
		b.WriteString(strconv.Itoa(e.Code))
		b.WriteByte(' ')
		if e.EnhancedCode != "" {
			b.WriteString(e.EnhancedCode)
			b.WriteByte(' ')
		}
	}
	b.WriteString(e.Message)
	if e.Note != "" {
		b.WriteString(" (" + e.Note + ")")
	}
	if e.MayHaveBeenDelivered {
		b.WriteString(" (" + i18n.T("smtp.error.may_have_been_delivered", "the message may have been delivered") + ")")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Summary says in plain words what went wrong.
func (e *Error) Summary() string { return e.explanation().summary.String() }

// Advice says what to try next.
func (e *Error) Advice() string { return e.explanation().advice.String() }

// Explain is Summary and Advice together, followed by the server's own words
// when there were any: what a person should read.
func (e *Error) Explain() string {
	x := e.explanation()
	data := map[string]any{"Summary": x.summary.String(), "Advice": x.advice.String(), "Step": e.Step.Label()}
	switch {
	case e.Code == 0 && e.Message != "" && e.Note != "":
		data["Detail"], data["Note"] = e.Message, e.Note
		return i18n.T("smtp.explain.with_detail_note", "{{.Summary}} {{.Advice}} {{.Note}} (At {{.Step}}: {{.Detail}})", data)
	case e.Code != 0 && e.Note != "":
		data["Reply"], data["Note"] = e.replyText(), e.Note
		return i18n.T("smtp.explain.with_note", "{{.Summary}} {{.Advice}} {{.Note}} (At {{.Step}} the server said: {{.Reply}})", data)
	case e.Code != 0:
		data["Reply"] = e.replyText()
		return i18n.T("smtp.explain.with_reply", "{{.Summary}} {{.Advice}} (At {{.Step}} the server said: {{.Reply}})", data)
	case e.Message != "":
		data["Detail"] = e.Message
		return i18n.T("smtp.explain.with_detail", "{{.Summary}} {{.Advice}} (At {{.Step}}: {{.Detail}})", data)
	}
	return i18n.T("smtp.explain.plain", "{{.Summary}} {{.Advice}}", data)
}

func (e *Error) replyText() string {
	t := strconv.Itoa(e.Code)
	if e.EnhancedCode != "" {
		t += " " + e.EnhancedCode
	}
	return t + " " + e.Message
}

// MarshalJSON writes the fields plus the explanation, for `stamp-send --json`.
func (e *Error) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Step                 Step      `json:"step"`
		Kind                 ErrorKind `json:"kind"`
		Code                 int       `json:"code,omitempty"`
		EnhancedCode         string    `json:"enhanced_code,omitempty"`
		Message              string    `json:"message"`
		Note                 string    `json:"note,omitempty"`
		Temporary            bool      `json:"temporary,omitempty"`
		MayHaveBeenDelivered bool      `json:"may_have_been_delivered,omitempty"`
		CertificateSHA256    string    `json:"certificate_sha256,omitempty"`
		Summary              string    `json:"summary"`
		Advice               string    `json:"advice"`
	}{e.Step, e.Kind, e.Code, e.EnhancedCode, e.Message, e.Note, e.Temporary, e.MayHaveBeenDelivered, e.CertificateSHA256, e.Summary(), e.Advice()})
}

// explanation is one row of the advice table.
type explanation struct {
	summary, advice i18n.Message
}

// rule matches an Error: zero fields match anything.
type rule struct {
	kind     ErrorKind
	anyKind  bool
	step     Step
	code     int    // exact reply code
	class    int    // 4 or 5: any reply of that class
	enhanced string // prefix of the enhanced code, e.g. "5.7."
	explanation
}

// adviceTable is the one place where failures are put into words. The first
// matching row wins, so specific rows come before general ones. The UI shows
// these words too.
var adviceTable = []rule{
	{kind: ErrorCanceled, explanation: explanation{
		i18n.M("smtp.canceled.summary", "Sending was cancelled."),
		i18n.M("smtp.canceled.advice", "Nothing more was sent after the cancel; send again when ready.")}},
	{kind: ErrorTimeout, step: StepMessage, explanation: explanation{
		i18n.M("smtp.timeout_message.summary", "The whole message was sent, but the server did not confirm it in time."),
		i18n.M("smtp.timeout_message.advice", "The message may have been delivered: check the recipient's mailbox or your Sent folder on the server before sending again.")}},
	{kind: ErrorTimeout, step: StepGreeting, explanation: explanation{
		i18n.M("smtp.timeout_greeting.summary", "The server accepted the connection but never greeted."),
		i18n.M("smtp.timeout_greeting.advice", "If the port expects implicit TLS (usually 465), choose TLS security; otherwise the server is overloaded or a firewall interferes.")}},
	{kind: ErrorTimeout, explanation: explanation{
		i18n.M("smtp.timeout.summary", "The server did not answer in time."),
		i18n.M("smtp.timeout.advice", "Check your network connection and the server name and port, then try again; a firewall may be dropping the connection.")}},
	{kind: ErrorConnection, step: StepConnect, explanation: explanation{
		i18n.M("smtp.connect.summary", "Could not connect to the server."),
		i18n.M("smtp.connect.advice", "Check the server name and port, and that your network allows outgoing mail connections (many networks block port 25; try 587 or 465).")}},
	{kind: ErrorConnection, step: StepMessage, explanation: explanation{
		i18n.M("smtp.connection_message.summary", "The connection broke while the message was being sent or confirmed."),
		i18n.M("smtp.connection_message.advice", "If the whole message had been sent, it may have been delivered; otherwise try again. Very large messages are sometimes cut off by servers.")}},
	{kind: ErrorConnection, explanation: explanation{
		i18n.M("smtp.connection.summary", "The server closed the connection."),
		i18n.M("smtp.connection.advice", "Try again later; if it keeps happening, check the security mode (TLS on port 465, STARTTLS on 587).")}},
	{kind: ErrorTLS, explanation: explanation{
		i18n.M("smtp.tls.summary", "A secure (TLS) connection could not be established or the server's certificate is not trusted."),
		i18n.M("smtp.tls.advice", "Check the server name (it must match the certificate) and the security mode (TLS on 465, STARTTLS on 587). For a self-signed server, add its CA file to the account or pin its certificate's fingerprint; verification is never switched off.")}},
	{kind: ErrorProtocol, explanation: explanation{
		i18n.M("smtp.protocol.summary", "The server did not follow the SMTP protocol, so Stamp stopped to stay safe."),
		i18n.M("smtp.protocol.advice", "Check that the port is an SMTP submission port; if it is, the server or something between you and it is misbehaving.")}},
	{kind: ErrorPolicy, step: StepSTARTTLS, explanation: explanation{
		i18n.M("smtp.policy_starttls.summary", "The server did not offer a secure connection (STARTTLS), and this account requires one."),
		i18n.M("smtp.policy_starttls.advice", "Stamp never sends in plain text when STARTTLS is expected. Check the port (587 for STARTTLS, 465 for TLS) or ask the provider.")}},
	{kind: ErrorPolicy, step: StepAuth, explanation: explanation{
		i18n.M("smtp.policy_auth.summary", "Stamp will not log in the way this server allows."),
		i18n.M("smtp.policy_auth.advice", "Passwords are only sent over TLS, and the server must offer a mechanism Stamp speaks (PLAIN, LOGIN, CRAM-MD5, XOAUTH2, OAUTHBEARER). Check the security mode and the chosen mechanism.")}},
	{kind: ErrorPolicy, step: StepMail, explanation: explanation{
		i18n.M("smtp.policy_mail.summary", "The server cannot take this message as it is."),
		i18n.M("smtp.policy_mail.advice", "A message larger than the server's limit must be made smaller (fewer or smaller attachments); an address with non-ASCII characters needs a server with SMTPUTF8.")}},
	{kind: ErrorPolicy, explanation: explanation{
		i18n.M("smtp.policy.summary", "Stamp stopped before sending, because going on would be unsafe or cannot work."),
		i18n.M("smtp.policy.advice", "Check the account's security settings.")}},
	{kind: ErrorInput, explanation: explanation{
		i18n.M("smtp.input.summary", "The settings or addresses are not valid; nothing was sent."),
		i18n.M("smtp.input.advice", "Correct the field named in the message and send again.")}},
	{kind: ErrorSource, explanation: explanation{
		i18n.M("smtp.source.summary", "The message could not be read completely while sending (an attachment may have changed or vanished)."),
		i18n.M("smtp.source.advice", "The server discards an unfinished message. Check the attachments and send again.")}},

	{anyKind: true, step: StepAuth, code: 535, explanation: explanation{
		i18n.M("smtp.auth_535.summary", "The server did not accept the user name and password."),
		i18n.M("smtp.auth_535.advice", "Check both. Many providers (Gmail, Outlook, iCloud, Yahoo) need an app password instead of your normal password when two-step verification is on.")}},
	{anyKind: true, step: StepAuth, code: 534, explanation: explanation{
		i18n.M("smtp.auth_534.summary", "The server wants a stronger or different way to log in."),
		i18n.M("smtp.auth_534.advice", "Create an app password, or use OAuth (XOAUTH2) if the provider requires it.")}},
	{anyKind: true, step: StepAuth, code: 454, explanation: explanation{
		i18n.M("smtp.auth_454.summary", "The server could not log you in right now."),
		i18n.M("smtp.auth_454.advice", "Try again in a few minutes; if it persists, the provider may have blocked the login (check its security notices).")}},
	{anyKind: true, step: StepAuth, class: 5, explanation: explanation{
		i18n.M("smtp.auth_failed.summary", "Logging in failed."),
		i18n.M("smtp.auth_failed.advice", "Check the user name, the password and the authentication method.")}},
	{anyKind: true, code: 530, explanation: explanation{
		i18n.M("smtp.reply_530.summary", "The server wants a secure connection or a login before it takes mail."),
		i18n.M("smtp.reply_530.advice", "Use STARTTLS or TLS and enter a user name and password for this account.")}},
	{anyKind: true, enhanced: "5.7.0", step: StepMail, explanation: explanation{
		i18n.M("smtp.sender_570.summary", "The server refused the sender; it may require you to log in first."),
		i18n.M("smtp.sender_570.advice", "Set a user name and password, and make sure the From address belongs to that account.")}},
	{anyKind: true, code: 552, explanation: explanation{
		i18n.M("smtp.too_big.summary", "The message is too big for the server."),
		i18n.M("smtp.too_big.advice", "Make it smaller: fewer or smaller attachments, or share large files by link.")}},
	{anyKind: true, enhanced: "5.3.4", explanation: explanation{
		i18n.M("smtp.too_big.summary", "The message is too big for the server."),
		i18n.M("smtp.too_big.advice", "Make it smaller: fewer or smaller attachments, or share large files by link.")}},
	{anyKind: true, step: StepGreeting, code: 554, explanation: explanation{
		i18n.M("smtp.greeting_554.summary", "The server refuses connections from your address."),
		i18n.M("smtp.greeting_554.advice", "Your network or IP address may be on a block list; try another network or your provider's submission server.")}},
	{anyKind: true, step: StepRcpt, code: 550, explanation: explanation{
		i18n.M("smtp.rcpt_550.summary", "A recipient address is unknown or refused by the server."),
		i18n.M("smtp.rcpt_550.advice", "Check the spelling of the address named here.")}},
	{anyKind: true, step: StepRcpt, code: 553, explanation: explanation{
		i18n.M("smtp.rcpt_553.summary", "The server refused a recipient address."),
		i18n.M("smtp.rcpt_553.advice", "Check the address; the server may also refuse relaying for this sender.")}},
	{anyKind: true, step: StepRcpt, code: 554, explanation: explanation{
		i18n.M("smtp.rcpt_554.summary", "The server refused a recipient."),
		i18n.M("smtp.rcpt_554.advice", "Check the address; the server may refuse to relay for your account.")}},
	{anyKind: true, step: StepRcpt, class: 5, explanation: explanation{
		i18n.M("smtp.rcpt_refused.summary", "The server refused one or more recipients."),
		i18n.M("smtp.rcpt_refused.advice", "Check the addresses named here, or send to the accepted ones only.")}},
	{anyKind: true, step: StepMail, class: 5, explanation: explanation{
		i18n.M("smtp.mail_refused.summary", "The server refused the sender address."),
		i18n.M("smtp.mail_refused.advice", "Use the address that belongs to the account you log in with.")}},
	{anyKind: true, code: 421, explanation: explanation{
		i18n.M("smtp.reply_421.summary", "The server is busy or closing the connection."),
		i18n.M("smtp.reply_421.advice", "Try again later.")}},
	{anyKind: true, class: 4, explanation: explanation{
		i18n.M("smtp.temporary.summary", "The server could not take the message right now (a temporary failure)."),
		i18n.M("smtp.temporary.advice", "Try again later.")}},
	{anyKind: true, step: StepMessage, class: 5, explanation: explanation{
		i18n.M("smtp.message_refused.summary", "The server refused the message after receiving it."),
		i18n.M("smtp.message_refused.advice", "It may look like spam, contain a blocked attachment type, or break a policy of the server; the server's words below say which.")}},
	{anyKind: true, step: StepEHLO, class: 5, explanation: explanation{
		i18n.M("smtp.ehlo_refused.summary", "The server refused the greeting (EHLO/HELO)."),
		i18n.M("smtp.ehlo_refused.advice", "Set a proper host name for this account (the EHLO name).")}},
	{anyKind: true, explanation: explanation{
		i18n.M("smtp.refused.summary", "The server refused the request."),
		i18n.M("smtp.refused.advice", "Read the server's reply below; it usually says why.")}},
}

func (e *Error) explanation() explanation {
	for _, r := range adviceTable {
		if !r.anyKind && r.kind != e.Kind {
			continue
		}
		if r.anyKind && e.Code == 0 {
			continue
		}
		if r.step != "" && r.step != e.Step {
			continue
		}
		if r.code != 0 && r.code != e.Code {
			continue
		}
		if r.class != 0 && r.class != e.Code/100 {
			continue
		}
		if r.enhanced != "" && !strings.HasPrefix(e.EnhancedCode, r.enhanced) {
			continue
		}
		return r.explanation
	}
	return explanation{
		i18n.M("smtp.unknown.summary", "Sending failed."),
		i18n.M("smtp.unknown.advice", "Try again; if it keeps failing, look at the transcript.")}
}

// tlsNote says in the person's language why a TLS handshake failed, for
// the failures a person can act on; "" for the others.
func tlsNote(err error) string {
	var (
		hostErr    x509.HostnameError
		unknownCA  x509.UnknownAuthorityError
		invalidErr x509.CertificateInvalidError
		recordErr  tls.RecordHeaderError
		pinErr     *pinError
	)
	switch {
	case errors.As(err, &pinErr):
		return i18n.T("smtp.note.tls_not_pinned", "The server's certificate is not the one pinned for this account.")
	case errors.As(err, &hostErr):
		return i18n.T("smtp.note.tls_wrong_name", "The certificate is not for this server name.")
	case errors.As(err, &unknownCA):
		return i18n.T("smtp.note.tls_unknown_ca", "The certificate was not issued by an authority this computer trusts (it may be self-signed or from a private CA).")
	case errors.As(err, &invalidErr) && invalidErr.Reason == x509.Expired:
		return i18n.T("smtp.note.tls_expired", "The certificate has expired or is not valid yet (check this computer's clock too).")
	case errors.As(err, &invalidErr):
		return i18n.T("smtp.note.tls_invalid", "The certificate is not valid for a mail server.")
	case errors.As(err, &recordErr):
		return i18n.T("smtp.note.tls_not_tls", "The server did not answer in TLS: the port may expect plain text or STARTTLS.")
	case errors.Is(err, errNoCertificate):
		return i18n.T("smtp.note.tls_no_certificate", "The server sent no certificate.")
	}
	return ""
}

// replyError builds the Error for a failure reply.
func replyError(step Step, r *Reply) *Error {
	return &Error{Step: step, Kind: ErrorReply, Code: r.Code, EnhancedCode: r.Enhanced,
		Message: r.Text(), Temporary: r.Code/100 == 4}
}

// netError classifies an I/O error at step. ctx tells a cancel from a timeout.
// transportError reports whether err is the connection itself failing
// (closed, reset, broken) rather than a TLS verdict: during a handshake
// that is a connection failure (try again), not a certificate problem.
func transportError(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH)
}

func netError(ctx context.Context, step Step, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if ctx.Err() != nil {
		return &Error{Step: step, Kind: ErrorCanceled, Message: i18n.T("smtp.detail.cancelled_at", "cancelled at {{.Step}}", map[string]any{"Step": step.Label()}), Err: ctx.Err()}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Step: step, Kind: ErrorTimeout, Message: i18n.T("smtp.detail.no_answer", "no answer within the timeout"), Temporary: true, Err: err}
	}
	var (
		certErr    *tls.CertificateVerificationError
		hostErr    x509.HostnameError
		unknownCA  x509.UnknownAuthorityError
		invalidErr x509.CertificateInvalidError
		recordErr  tls.RecordHeaderError
		alertErr   tls.AlertError
	)
	if errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &unknownCA) ||
		errors.As(err, &invalidErr) || errors.As(err, &recordErr) || errors.As(err, &alertErr) ||
		!transportError(err) && (step == StepTLS || strings.HasPrefix(err.Error(), "tls: ")) {
		// Message is crypto/tls's own technical text (with the names the
		// certificate gives); Stamp's words about it are the Note.
		return &Error{Step: step, Kind: ErrorTLS, Message: err.Error(), Note: tlsNote(err), Err: err}
	}
	msg := err.Error() // as the system said it, when it is none of these
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		msg = i18n.T("smtp.detail.closed", "the server closed the connection")
	case errors.Is(err, syscall.ECONNRESET):
		msg = i18n.T("smtp.detail.reset", "the connection was reset by the server")
	case errors.Is(err, syscall.ECONNREFUSED):
		msg = i18n.T("smtp.detail.refused", "connection refused (no server listening on that port)")
	case errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED):
		msg = i18n.T("smtp.detail.broken", "the connection broke")
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		msg = i18n.T("smtp.detail.unreachable", "the server cannot be reached from this network")
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		msg = i18n.T("smtp.detail.no_such_host", "the server name {{.Host}} does not exist (check its spelling)", map[string]any{"Host": dnsErr.Name})
	case errors.As(err, &dnsErr):
		msg = i18n.T("smtp.detail.dns_failed", "the server name {{.Host}} could not be looked up (check the network connection)", map[string]any{"Host": dnsErr.Name})
	}
	return &Error{Step: step, Kind: ErrorConnection, Message: msg, Err: err}
}
