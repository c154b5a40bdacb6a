// Package smtpclient runs an SMTP session — dial, TLS, EHLO, AUTH,
// MAIL/RCPT/DATA, QUIT — and reports every step and every line as an event.
// It does not import Fyne or compose.
package smtpclient
