package contacts

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"

	"stamp/i18n"
)

// The contacts' errors are told in the person's language (issue 19): each
// is a textError, whose text is looked up when it is shown (a broken
// contacts file is kept by the Store and may be shown after the language
// changed), and which still unwraps to the error it wraps (errors.Is
// finds fs.ErrNotExist, filelock.ErrBusy's cause, …).

// notFoundError is ErrNotFound.
type notFoundError struct{}

func (notFoundError) Error() string {
	return i18n.T("contacts.err.not_found", "no such address in the contacts")
}

// textError is a message with its data, and the error it wraps if any.
type textError struct {
	msg  i18n.Message
	data map[string]any
	err  error
}

func (e *textError) Error() string {
	d := map[string]any{}
	for k, v := range e.data {
		d[k] = v
	}
	if e.err != nil {
		d["Err"] = e.err.Error()
	}
	return e.msg.With(d)
}

func (e *textError) Unwrap() error { return e.err }

func newError(m i18n.Message, data map[string]any, wrapped error) error {
	return &textError{msg: m, data: data, err: wrapped}
}

// errNotAddress is an address that Add, Edit or an import refuses.
func errNotAddress(addr string) error {
	return newError(i18n.M("contacts.err.not_address", "{{.Address}} is not an e-mail address"),
		map[string]any{"Address": strconv.Quote(addr)}, nil)
}

// errTaken is an Edit to an address another contact has.
func errTaken(addr string) error {
	return newError(i18n.M("contacts.err.taken", "{{.Address}} is already in the contacts"), map[string]any{"Address": addr}, nil)
}

// errBusy: another process holds the contacts' lock.
func errBusy(wait time.Duration) error {
	return newError(i18n.M("contacts.err.busy", "the contacts are being changed by another Stamp (still locked after {{.Wait}}); try again"),
		map[string]any{"Wait": i18n.Duration(wait)}, nil)
}

func errRead(err error) error {
	return newError(i18n.M("contacts.err.read", "read the contacts: {{.Err}}"), nil, err)
}

func errSave(err error) error {
	return newError(i18n.M("contacts.err.save", "save the contacts: {{.Err}}"), nil, err)
}

func errLock(err error) error {
	return newError(i18n.M("contacts.err.lock", "lock the contacts: {{.Err}}"), nil, err)
}

func errFileTooLarge(max int64) error {
	return newError(i18n.M("contacts.err.file_too_large", "larger than {{.Size}}"), map[string]any{"Size": i18n.Size(max)}, nil)
}

func errNewerSchema(schema, known int) error {
	return newError(i18n.M("contacts.err.newer_schema", "written by a newer Stamp (schema {{.Schema}}; this one knows {{.Known}})"),
		map[string]any{"Schema": schema, "Known": known}, nil)
}

// errDamaged is a contacts file that is not the JSON Stamp writes: told
// in words, with where it breaks when the decoder knows (its own text is
// Go's English), still wrapping the decoder's error.
func errDamaged(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return newError(i18n.M("contacts.err.damaged_at", "damaged: not valid JSON at byte {{.Offset}}"), map[string]any{"Offset": syn.Offset}, err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return newError(i18n.M("contacts.err.damaged_short", "damaged: it ends too early (empty or cut off)"), nil, err)
	}
	return newError(i18n.M("contacts.err.damaged", "damaged: its content is not what a contacts file holds"), nil, err)
}

// brokenFileText is BrokenFileError's text.
func brokenFileText(path string, err error) string {
	return i18n.T("contacts.err.broken_file", "the contacts file {{.Path}} cannot be read ({{.Problem}}); Stamp leaves it untouched: move it away to start a new one",
		map[string]any{"Path": path, "Problem": err.Error()})
}

// The vCard import's and export's errors.

func errOpen(path string, err error) error {
	return newError(i18n.M("contacts.err.open", "open {{.Path}}: {{.Err}}"), map[string]any{"Path": path}, err)
}

func errVCardTooLarge(path string, mib int) error {
	return newError(i18n.M("contacts.err.vcard_too_large", "open {{.Path}}: larger than {{.MiB}} MiB, not a vCard file Stamp reads"),
		map[string]any{"Path": path, "MiB": mib}, nil)
}

func errReadVCard(err error) error {
	return newError(i18n.M("contacts.err.read_vcard", "read the vCard file: {{.Err}}"), nil, err)
}

func errNoVCard() error {
	return newError(i18n.M("contacts.err.no_vcard", "no vCard in this file (no BEGIN:VCARD line)"), nil, nil)
}

func errNoColon(line string) error {
	return newError(i18n.M("contacts.err.no_colon", "{{.Line}} is not a vCard property (no colon)"), map[string]any{"Line": strconv.Quote(line)}, nil)
}

func errBadEmails(list string) error {
	return newError(i18n.M("contacts.err.bad_emails", "EMAIL {{.List}} left out: not an e-mail address"), map[string]any{"List": strconv.Quote(list)}, nil)
}

func errQuotedPrintable(err error) error {
	return newError(i18n.M("contacts.err.quoted_printable", "bad quoted-printable text: {{.Err}}"), nil, err)
}

func errUnknownCharset(cs string) error {
	return newError(i18n.M("contacts.err.unknown_charset", "unknown CHARSET {{.Charset}}"), map[string]any{"Charset": strconv.Quote(cs)}, nil)
}

func errNotInCharset(cs string, err error) error {
	return newError(i18n.M("contacts.err.not_in_charset", "text not in CHARSET {{.Charset}}: {{.Err}}"), map[string]any{"Charset": strconv.Quote(cs)}, err)
}

func errWriteCard(addr string, err error) error {
	return newError(i18n.M("contacts.err.write_card", "write the card of {{.Address}}: {{.Err}}"), map[string]any{"Address": addr}, err)
}

func errNoEnd() error {
	return newError(i18n.M("contacts.err.no_end_eof", "the file ends before its END:VCARD"), nil, nil)
}

func errNoEndBefore(line int) error {
	return newError(i18n.M("contacts.err.no_end", "no END:VCARD before the next card's BEGIN:VCARD (line {{.Line}})"), map[string]any{"Line": line}, nil)
}

func errCardTooLarge(mib int) error {
	return newError(i18n.M("contacts.err.card_too_large", "larger than {{.MiB}} MiB"), map[string]any{"MiB": mib}, nil)
}

// cardLabel names a card by its place in the file and its FN or first
// address.
func cardLabel(n, line int, fn, email string) string {
	switch {
	case fn != "":
		return i18n.T("contacts.card_named", "card {{.N}} {{.Name}} (line {{.Line}})", map[string]any{"N": n, "Name": strconv.Quote(fn), "Line": line})
	case email != "":
		return i18n.T("contacts.card_address", "card {{.N}} <{{.Address}}> (line {{.Line}})", map[string]any{"N": n, "Address": email, "Line": line})
	}
	return i18n.T("contacts.card", "card {{.N}} (line {{.Line}})", map[string]any{"N": n, "Line": line})
}
