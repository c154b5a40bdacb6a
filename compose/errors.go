package compose

import (
	"errors"
	"fmt"
	"strings"

	"stamp/i18n"
)

// FieldError is one problem with one form field: which field ("From", "To",
// "Cc", "Bcc", "Reply-To", "Subject", "Body", "HTML", "Attachments", or the
// name of an extra header), the entry that is wrong (an address, a file), and
// why, in words for a person.
type FieldError struct {
	Field  string
	Entry  string
	Reason string
}

// Error reads `Cc: "bob@" is not a valid address`, or `To: is required`
// when there is no single entry to blame.
//
// The field's name and the sentence are in the person's language (i18n);
// the entry is quoted as typed.
func (e *FieldError) Error() string {
	data := map[string]any{"Field": FieldLabel(e.Field), "Reason": e.Reason, "Entry": fmt.Sprintf("%q", e.Entry)}
	if e.Entry == "" {
		return i18n.T("compose.error.field", "{{.Field}}: {{.Reason}}", data)
	}
	return i18n.T("compose.error.entry", "{{.Field}}: {{.Entry}} {{.Reason}}", data)
}

// FieldLabel names a form field (FieldError.Field) in the person's
// language, as the composer labels it ("To" is 收件人 in Chinese); an extra
// header's name stays as it is.
func FieldLabel(field string) string {
	switch field {
	case "From":
		return i18n.T("compose.field.from", "From")
	case "To":
		return i18n.T("compose.field.to", "To")
	case "Cc":
		return i18n.T("compose.field.cc", "Cc")
	case "Bcc":
		return i18n.T("compose.field.bcc", "Bcc")
	case "Reply-To":
		return i18n.T("compose.field.reply_to", "Reply-To")
	case "Subject":
		return i18n.T("compose.field.subject", "Subject")
	case "Body":
		return i18n.T("compose.field.body", "Body")
	case "HTML":
		return i18n.T("compose.field.html", "HTML")
	case "Attachments":
		return i18n.T("compose.field.attachments", "Attachments")
	case "Headers":
		return i18n.T("compose.field.headers", "Headers")
	}
	return field
}

// ValidationError lists every problem found in a message (or an address
// list), in form order. errors.As finds it, and also finds the first
// *FieldError through it.
type ValidationError struct {
	Problems []*FieldError
}

// Error lists the problems, separated by "; ".
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the problems, so errors.As(err, &fieldErr) works.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Fields returns the names of the fields that have problems, each once, in
// form order, for a UI that marks them.
func (e *ValidationError) Fields() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range e.Problems {
		if !seen[p.Field] {
			seen[p.Field] = true
			out = append(out, p.Field)
		}
	}
	return out
}

// AttachmentError reports that an attachment file could not be used while
// the message was being written: it vanished, became unreadable, or changed
// size after Size() was computed. The message written so far is incomplete
// and must not be delivered.
type AttachmentError struct {
	Name string // the attachment's file name in the message
	Path string // the file on disk
	Want int64  // the size the message was laid out for
	Got  int64  // the size found (-1 when the file could not be read)
	Err  error  // the underlying error, if any
}

// Error says which file and what happened.
func (e *AttachmentError) Error() string {
	file := i18n.T("compose.attachment.name", "attachment {{.Name}}", map[string]any{"Name": fmt.Sprintf("%q", e.Name)})
	if e.Path != "" {
		file += " (" + e.Path + ")"
	}
	data := map[string]any{"File": file, "Error": fmt.Sprint(e.Err), "Want": i18n.Number(e.Want), "Got": i18n.Number(e.Got)}
	switch {
	case e.Err != nil:
		return i18n.T("compose.attachment.vanished", "{{.File}} changed or vanished while the message was being written: {{.Error}}; attach it again", data)
	case e.Got >= 0:
		return i18n.T("compose.attachment.resized", "{{.File}} changed while the message was being written: it was {{.Want}} bytes, now {{.Got}} bytes; attach it again", data)
	}
	return i18n.T("compose.attachment.changed", "{{.File}} changed while the message was being written; attach it again", data)
}

// Unwrap returns the underlying error.
func (e *AttachmentError) Unwrap() error { return e.Err }

// Problems returns the field problems in err: all of a *ValidationError's,
// or the one *FieldError; nil for nil; any other error becomes one problem
// of field.
func Problems(field string, err error) []*FieldError {
	var ve *ValidationError
	var fe *FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return ve.Problems
	case errors.As(err, &fe):
		return []*FieldError{fe}
	}
	return []*FieldError{{Field: field, Reason: err.Error()}}
}
