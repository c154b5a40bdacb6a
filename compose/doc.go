// Package compose is the message: its model, validation, SMTP envelope and
// streaming RFC 5322 / MIME writer. It does not import Fyne or smtpclient.
package compose
