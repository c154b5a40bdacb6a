// Package smtpclient runs an SMTP session — dial, TLS, EHLO, AUTH,
// MAIL/RCPT/DATA, QUIT — and reports every step and every line as an event.
// It does not import Fyne or compose.
//
// Two calls do the work:
//
//   - Send delivers one message: Send(ctx, cfg, envelope, message, onEvent)
//     returns a *Result (every recipient's verdict, the final reply and queue
//     id, TLS details, timings) and, on failure, an *Error.
//   - Probe tests an account ("test connection"): connect, TLS, EHLO,
//     optional AUTH, QUIT; it returns the server's Capabilities.
//
// Events (see Event) arrive in order on the calling goroutine, one at a
// time, also with Config.Background: step
// started/finished/failed, each protocol line with its Direction, DATA
// progress, and each recipient's verdict. AUTH secrets are replaced by Mask
// before an event is built, and the message body is summarised
// ("<message, 35,873,144 bytes>"), never echoed.
//
// Every failure is an *Error with the Step, a Kind, the server's Code,
// EnhancedCode and text, Temporary, MayHaveBeenDelivered, and Summary,
// Advice and Explain for people — worded in one table (adviceTable).
//
// Safety rules the engine keeps whatever the configuration: certificates
// are verified (system roots plus Config.CAFile/CAPEM, or an exact
// Config.PinnedSHA256), TLS 1.2 at least; STARTTLS never falls back to plain
// text and bytes injected before the handshake abort the session; no
// password is sent without TLS except to a loopback address with
// SecurityNone; every read and write has a deadline and every reply a size
// limit; the DATA stream never carries a bare CR or LF and is dot-stuffed
// (RFC 5321 §4.5.2); cancelling the context closes the connection at once.
//
// The sandbox subpackage is a loopback SMTP server to send to when no
// account exists, and in tests.
package smtpclient
