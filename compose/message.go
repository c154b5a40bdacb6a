package compose

import (
	"errors"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"stamp/i18n"
)

// Message is what the user composed: who it is from and to, the subject, a
// text body, an optional HTML alternative, attachments and extra headers.
// The zero Date and MessageID are filled in when the message is written.
type Message struct {
	From    Address
	To      []Address
	Cc      []Address
	Bcc     []Address
	ReplyTo []Address

	Subject string
	Text    string // text/plain body; line breaks may be \n, \r\n or \r
	HTML    string // optional text/html alternative

	// Markdown sends Text as typed in text/plain and its rendering
	// (MarkdownHTML) as the text/html alternative; HTML must be empty.
	Markdown bool

	Attachments []Attachment
	Headers     []Header // extra headers such as In-Reply-To and References

	Date      time.Time // zero: the time the message is written
	MessageID string    // zero: a new <random@sender-domain>; with or without <>
}

// Header is an extra header field written after the standard ones.
type Header struct {
	Name  string
	Value string
}

// Attachment is a file attached to a message: a file on disk (Path), or
// bytes in memory (Data, with Path empty).
type Attachment struct {
	Path        string // the file on disk; read when the message is written
	Name        string // the file name shown to the recipient; default: base(Path)
	ContentType string // default: from Name's extension, else sniffed, else application/octet-stream
	Data        []byte // the content when Path is empty
}

// displayName is the file name the recipient sees.
func (a *Attachment) displayName() string {
	if a.Name != "" {
		return a.Name
	}
	if a.Path != "" {
		return filepath.Base(a.Path)
	}
	return "attachment"
}

// managedHeaders are written from Message fields; an extra header may not
// set them.
var managedHeaders = map[string]string{
	"date":                      "Date",
	"message-id":                "MessageID",
	"from":                      "From",
	"sender":                    "From",
	"to":                        "To",
	"cc":                        "Cc",
	"bcc":                       "Bcc",
	"reply-to":                  "ReplyTo",
	"subject":                   "Subject",
	"mime-version":              "",
	"content-type":              "",
	"content-transfer-encoding": "",
	"content-disposition":       "",
}

// Validate checks the whole message and reports every problem, each naming
// its field, as a *ValidationError: a missing or invalid From, no recipient
// at all, an invalid address, a line break (header injection) or invalid
// UTF-8 in any header text, a bad extra header, and an attachment that is
// missing, a folder, or unreadable (the file is opened, not read).
func (m *Message) Validate() error {
	_, err := m.check()
	return err
}

// check validates m and returns the file sizes of the attachments (for
// in-memory ones, len(Data)).
func (m *Message) check() ([]int64, error) {
	var v validator
	v.addresses(m)
	v.headerText("Subject", m.Subject)
	v.bodyText("Body", m.Text)
	v.bodyText("HTML", m.HTML)
	if m.Markdown && m.HTML != "" {
		v.add("HTML", "", "cannot be combined with a Markdown body, whose HTML is rendered from the text")
	}
	if m.MessageID != "" {
		id := strings.TrimSuffix(strings.TrimPrefix(m.MessageID, "<"), ">")
		if !isASCII(id) || strings.ContainsAny(id, " \t\r\n<>") || !strings.Contains(id, "@") || id == "" {
			v.add("Message-ID", m.MessageID, i18n.T("compose.reason.invalid_message_id", "is not a valid message ID (<left@right>)"))
		}
	}
	for _, h := range m.Headers {
		v.extraHeader(h)
	}
	sizes := make([]int64, len(m.Attachments))
	for i := range m.Attachments {
		sizes[i] = v.attachment(&m.Attachments[i])
	}
	if len(v.problems) > 0 {
		return nil, &ValidationError{Problems: v.problems}
	}
	return sizes, nil
}

// validator collects problems.
type validator struct {
	problems []*FieldError
}

func (v *validator) add(field, entry, reason string) {
	v.problems = append(v.problems, &FieldError{Field: field, Entry: entry, Reason: reason})
}

// addresses checks From, the recipients and Reply-To.
func (v *validator) addresses(m *Message) {
	if m.From.Addr == "" {
		v.add("From", "", i18n.T("compose.reason.required", "is required"))
	} else {
		v.address("From", m.From)
	}
	if len(m.To)+len(m.Cc)+len(m.Bcc) == 0 {
		v.add("To", "", i18n.T("compose.reason.no_recipient", "needs at least one recipient (To, Cc or Bcc)"))
	}
	for _, f := range []struct {
		name string
		list []Address
	}{{"To", m.To}, {"Cc", m.Cc}, {"Bcc", m.Bcc}, {"Reply-To", m.ReplyTo}} {
		for _, a := range f.list {
			v.address(f.name, a)
		}
	}
}

// address checks one address of a field.
func (v *validator) address(field string, a Address) {
	if strings.ContainsAny(a.Name, "\r\n") {
		v.add(field, a.Name, i18n.T("compose.reason.name_line_break", "has a line break in the name"))
		return
	}
	if !utf8.ValidString(a.Name) {
		v.add(field, a.Name, i18n.T("compose.reason.name_not_utf8", "has a name that is not valid UTF-8 text"))
		return
	}
	if strings.ContainsRune(a.Name, 0) {
		v.add(field, a.Name, i18n.T("compose.reason.name_nul", "has a NUL character in the name"))
		return
	}
	if reason := checkAddr(a.Addr); reason != "" {
		v.add(field, a.Addr, reason)
	}
}

// headerText checks text that goes into a header: no line breaks (header
// injection), no NUL, valid UTF-8.
func (v *validator) headerText(field, s string) {
	switch {
	case strings.ContainsAny(s, "\r\n"):
		v.add(field, "", i18n.T("compose.reason.line_break", "contains a line break"))
	case strings.ContainsRune(s, 0):
		v.add(field, "", i18n.T("compose.reason.nul", "contains a NUL character"))
	case !utf8.ValidString(s):
		v.add(field, "", i18n.T("compose.reason.not_utf8", "is not valid UTF-8 text"))
	}
}

// bodyText checks a body: valid UTF-8 (it is labelled charset=utf-8), no NUL.
func (v *validator) bodyText(field, s string) {
	switch {
	case !utf8.ValidString(s):
		v.add(field, "", i18n.T("compose.reason.not_utf8", "is not valid UTF-8 text"))
	case strings.ContainsRune(s, 0):
		v.add(field, "", i18n.T("compose.reason.nul", "contains a NUL character"))
	}
}

// extraHeader checks an extra header's name and value.
func (v *validator) extraHeader(h Header) {
	if !validFieldName(h.Name) {
		v.add("Headers", h.Name, i18n.T("compose.reason.invalid_header_name", "is not a valid header name"))
		return
	}
	if use, ok := managedHeaders[strings.ToLower(h.Name)]; ok {
		reason := i18n.T("compose.reason.managed_header", "is written by Stamp and cannot be set as an extra header")
		if use != "" {
			reason = i18n.T("compose.reason.use_field", "cannot be set as an extra header; use the {{.Field}} field", map[string]any{"Field": use})
		}
		v.add("Headers", h.Name, reason)
		return
	}
	v.headerText(h.Name, h.Value)
}

// validFieldName reports whether s is an RFC 5322 field name (printable
// ASCII except ':') short enough to leave room for a value.
func validFieldName(s string) bool {
	if s == "" || len(s) > 76 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 33 || s[i] > 126 || s[i] == ':' {
			return false
		}
	}
	return true
}

// attachment checks one attachment and returns its size.
func (v *validator) attachment(a *Attachment) int64 {
	name := a.displayName()
	entry := a.Path
	if entry == "" {
		entry = name
	}
	switch {
	case strings.ContainsAny(name, "\r\n"):
		v.add("Attachments", name, i18n.T("compose.reason.file_name_line_break", "has a line break in its name"))
		return 0
	case !utf8.ValidString(name) || strings.ContainsRune(name, 0):
		v.add("Attachments", entry, i18n.T("compose.reason.name_not_utf8", "has a name that is not valid UTF-8 text"))
		return 0
	}
	if a.ContentType != "" {
		if strings.ContainsAny(a.ContentType, "\r\n") {
			v.add("Attachments", entry, i18n.T("compose.reason.content_type_line_break", "has a line break in its content type"))
			return 0
		}
		if _, _, err := mime.ParseMediaType(a.ContentType); err != nil || !isASCII(a.ContentType) {
			v.add("Attachments", entry, i18n.T("compose.reason.invalid_content_type", "has an invalid content type {{.Type}}", map[string]any{"Type": a.ContentType}))
			return 0
		}
	}
	if a.Path == "" {
		return int64(len(a.Data))
	}
	size, reason := statFile(a.Path)
	if reason != "" {
		v.add("Attachments", a.Path, reason)
	}
	return size
}

// statFile checks that path is a regular file this process can open, and
// returns its size, or a reason for a person.
func statFile(path string) (int64, string) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return 0, i18n.T("compose.reason.not_exist", "does not exist")
	case errors.Is(err, fs.ErrPermission):
		return 0, i18n.T("compose.reason.permission", "cannot be read (permission denied)")
	case err != nil:
		return 0, i18n.T("compose.reason.unreadable", "cannot be read ({{.Error}})", map[string]any{"Error": err.Error()})
	case fi.IsDir():
		return 0, i18n.T("compose.reason.folder", "is a folder, not a file")
	case !fi.Mode().IsRegular():
		return 0, i18n.T("compose.reason.not_regular", "is not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return 0, i18n.T("compose.reason.permission", "cannot be read (permission denied)")
		}
		return 0, i18n.T("compose.reason.unreadable", "cannot be read ({{.Error}})", map[string]any{"Error": err.Error()})
	}
	f.Close()
	return fi.Size(), ""
}
