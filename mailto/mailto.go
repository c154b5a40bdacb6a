// Package mailto reads mailto: links (RFC 6068) into the parts of a new
// message: To, Cc, Bcc, Subject and Body, and nothing else. Every other
// field a link carries (attach=, from, X-…, In-Reply-To, …) is ignored and
// listed in Link.Ignored, so the person can be told: RFC 6068 §3 says only
// a limited set of fields is safe from a link, and "attach=" links have
// been used to make mail programs send a person's private files
// (CVE-2020-12673 class, Thunderbird's and Evolution's attach= bugs).
//
// The parser is the one used by stamp (a clicked link, stamp --compose) and
// stamp-send --mailto; it is pure Go and never touches a file or the
// network.
package mailto

import (
	"errors"
	"fmt"
	"mime"
	"strings"
	"unicode"
	"unicode/utf8"

	"stamp/i18n"
)

// MaxLength bounds a link's length in bytes. Browsers hand over links of a
// few kilobytes at most (Windows' command line ends at 32 Ki characters),
// so 64 KiB holds every real link with room to spare, and a hostile page's
// megabyte-long link is refused with a clear error instead of filling the
// form (and the hand-over between two Stamps, bounded at 1 MiB) with it.
const MaxLength = 64 << 10

// Link is what a mailto: link asks for, decoded.
type Link struct {
	// To, Cc and Bcc are the addresses as the link gives them (decoded;
	// several "to" fields and the path's addresses joined in order). They
	// are not yet checked as addresses: compose.ParseAddressList does that
	// and names a bad one.
	To, Cc, Bcc []string
	// Subject is one line: line breaks in the link (CR, LF, and Unicode's
	// NEL, LINE and PARAGRAPH SEPARATOR) and other control characters
	// become spaces, text-direction controls (U+202E…) are removed (see
	// Notes), RFC 2047 encoded words are decoded (RFC 6068 §6.3). The
	// addresses are cleaned the same way.
	Subject string
	// Body has "\n" line breaks (the link's %0D%0A, RFC 6068 §5); control
	// characters other than TAB and line breaks are removed.
	Body string
	// Ignored lists the fields Stamp does not take from a link, in order,
	// with why.
	Ignored []Ignored
	// Notes lists what was changed on the way in (a line break taken out
	// of the subject), for the person to be told.
	Notes []string
	// LineBreaks and Controls say which kinds of change Notes tell: a
	// line break taken out of a one-line field; a control or text-direction
	// character replaced or removed.
	LineBreaks, Controls bool
}

// Ignored is one field of a link that Stamp did not use.
type Ignored struct {
	// Field is the field's name as the link spelt it (decoded, at most 64
	// bytes); Value is left out: it may be long or hostile.
	Field string
	// Reason says why, in the language that was current when the link was
	// read (i18n).
	Reason string
}

// Error is a link Stamp cannot read. Field names the part of the link
// ("link", "to", "subject", …); Reason says what is wrong with it, in the
// language that was current when the link was read.
type Error struct {
	Field  string
	Reason string
}

func (e *Error) Error() string {
	if e.Field == "" || e.Field == "link" {
		return i18n.T("mailto.error.link", "mailto link: {{.Reason}}", map[string]any{"Reason": e.Reason})
	}
	return i18n.T("mailto.error.field", "mailto link: the {{.Field}} field {{.Reason}}", map[string]any{"Field": fmt.Sprintf("%q", e.Field), "Reason": e.Reason})
}

// ErrTooLong is wrapped by the error for a link over MaxLength.
var ErrTooLong = errors.New("the link is too long")

// tooLongError is a link over the limit; it wraps ErrTooLong.
type tooLongError struct{ size, limit int }

func (e *tooLongError) Error() string {
	return i18n.T("mailto.error.too_long", "mailto link: the link is too long ({{.Bytes}} bytes; at most {{.KiB}} KiB)",
		map[string]any{"Bytes": e.size, "KiB": e.limit >> 10})
}

func (e *tooLongError) Unwrap() error { return ErrTooLong }

// IsLink reports whether s starts with the mailto: scheme (any case), the
// way a command line tells a link from a file name.
func IsLink(s string) bool {
	return len(s) >= 7 && strings.EqualFold(s[:7], "mailto:")
}

// Parse reads a mailto: link. An error means nothing of the link should be
// used: it is not a mailto: link, it is longer than MaxLength, it has a
// broken %-escape, a field is not UTF-8 after decoding, or a field holds a
// NUL byte.
func Parse(raw string) (*Link, error) {
	return parse(raw, MaxLength)
}

// MaxBuiltLength bounds a link Build wrote from a message's parts (stamp
// --compose's flags): the size of the hand-over to the running Stamp (1
// MiB) less room for the files' names that go with it. Such a link is
// three times its text where the text is not ASCII (%XX), so MaxLength,
// meant for links a page gives, would refuse a letter of 22 KB.
const MaxBuiltLength = 960 << 10

// ParseBuilt is Parse for a link Build wrote (or one Parse already took at
// MaxLength, joined with flags): bounded by MaxBuiltLength. The running
// Stamp reads handed-over links with it; the start that handed them over
// held a link it was given to MaxLength.
func ParseBuilt(raw string) (*Link, error) {
	return parse(raw, MaxBuiltLength)
}

func parse(raw string, limit int) (*Link, error) {
	if len(raw) > limit {
		return nil, &tooLongError{size: len(raw), limit: limit}
	}
	if !IsLink(raw) {
		return nil, &Error{Field: "link", Reason: i18n.T("mailto.error.scheme", "does not start with mailto:")}
	}
	rest := raw[7:]
	l := &Link{}
	// A "#" is not part of a mailto: link (RFC 6068 §2: it must be
	// percent-encoded); a fragment is dropped and said so.
	if i := strings.IndexByte(rest, '#'); i >= 0 {
		rest = rest[:i]
		l.Ignored = append(l.Ignored, Ignored{Field: "#", Reason: i18n.T("mailto.ignored.fragment", "a fragment is not part of a mailto: link")})
	}
	path, query, _ := strings.Cut(rest, "?")
	if err := l.addAddresses(&l.To, "to", path); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, hf := range strings.Split(query, "&") {
		if hf == "" {
			continue // "?&subject=x" or a trailing "&"
		}
		rawName, rawValue, hasValue := strings.Cut(hf, "=")
		name, err := decode("field name", rawName)
		if err != nil {
			return nil, err
		}
		if !hasValue {
			l.ignore(name, i18n.T("mailto.ignored.no_value", "has no value"))
			continue
		}
		key := strings.ToLower(name) // RFC 6068 §2: field names are case-insensitive
		switch key {
		case "to":
			err = l.addAddresses(&l.To, key, rawValue)
		case "cc":
			err = l.addAddresses(&l.Cc, key, rawValue)
		case "bcc":
			err = l.addAddresses(&l.Bcc, key, rawValue)
		case "subject", "body":
			if seen[key] {
				l.ignore(name, i18n.T("mailto.ignored.repeated", "appears more than once; the first one is used"))
				continue
			}
			seen[key] = true
			var v string
			if v, err = decode(key, rawValue); err != nil {
				return nil, err
			}
			if key == "body" {
				l.Body = l.bodyText(newlines(v))
			} else {
				l.Subject = l.oneLine(key, decodeWords(v))
			}
		default:
			l.ignore(name, reasonFor(key))
		}
		if err != nil {
			return nil, err
		}
	}
	return l, nil
}

// addAddresses splits raw at its unencoded commas (RFC 6068 §2: a comma
// inside an address is percent-encoded) and appends the decoded addresses.
func (l *Link) addAddresses(list *[]string, field, raw string) error {
	for _, part := range strings.Split(raw, ",") {
		a, err := decode(field, part)
		if err != nil {
			return err
		}
		a = strings.TrimSpace(l.oneLine(field, a))
		if a != "" {
			*list = append(*list, a)
		}
	}
	return nil
}

// oneLine makes a single-line field one line of plain text. A line break
// (%0D%0A, or Unicode's NEL U+0085, LINE SEPARATOR U+2028, PARAGRAPH
// SEPARATOR U+2029) would start a header of the attacker's choosing in a
// careless writer, or show a fake "Bcc:" line under the subject in the
// recipient's client: it becomes a space. Other control characters (ESC
// and its terminal sequences, VT, FF, C1, DEL; a TAB quietly) become a
// space, and text-direction controls (U+202E and the rest of Unicode's
// Bidi_Control) are removed: they make an address or subject read other
// than it is. Each change is said in Notes. (Joiners such as ZWJ, which
// emoji and scripts need, stay.)
func (l *Link) oneLine(field, v string) string {
	clean := true
	for _, r := range v {
		if isBreak(r) || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			clean = false
			break
		}
	}
	if clean {
		return v
	}
	if strings.IndexFunc(v, isBreak) >= 0 {
		l.LineBreaks = true
		l.note(i18n.T("mailto.note.line_break", "a line break in the {{.Field}} field was replaced by a space", map[string]any{"Field": field}))
		v = strings.Join(strings.FieldsFunc(v, isBreak), " ")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			l.Controls = true
			l.note(i18n.T("mailto.note.control", "a control character in the {{.Field}} field was replaced by a space", map[string]any{"Field": field}))
			return ' '
		case unicode.Is(unicode.Bidi_Control, r):
			l.Controls = true
			l.note(i18n.T("mailto.note.direction", "a text-direction control character in the {{.Field}} field was removed", map[string]any{"Field": field}))
			return -1
		}
		return r
	}, v)
}

// isBreak reports whether r ends a line.
func isBreak(r rune) bool {
	return r == '\r' || r == '\n' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}

// bodyText removes the control characters other than TAB and "\n" from
// the body (an ESC sequence reaches any terminal that prints it).
func (l *Link) bodyText(v string) string {
	bad := func(r rune) bool { return unicode.IsControl(r) && r != '\t' && r != '\n' }
	if strings.IndexFunc(v, bad) < 0 {
		return v
	}
	l.Controls = true
	l.note(i18n.T("mailto.note.body_control", "a control character in the body was removed"))
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return -1
		}
		return r
	}, v)
}

// note adds n to Notes once: a link of many fields says each thing once.
func (l *Link) note(n string) {
	for _, have := range l.Notes {
		if have == n {
			return
		}
	}
	l.Notes = append(l.Notes, n)
}

// MaxIgnoredShown is how many ignored fields a person is shown by name:
// a link of thousands of made-up fields must not make a notice of them.
const MaxIgnoredShown = 5

// IgnoredShown returns the ignored fields to name: each name once (compared
// without case: "Attach" and "attach" are one), at most max of them, and
// how many other distinct names there are ("and N more"). Fields that ask
// to attach files or choose the sender come first, so decoys before them
// cannot push them into "more"; the rest keep the link's order.
func (l *Link) IgnoredShown(max int) (shown []Ignored, more int) {
	seen := map[string]bool{}
	for _, first := range []bool{true, false} {
		for _, ig := range l.Ignored {
			k := strings.ToLower(ig.Field)
			if seen[k] || first != grave(k) {
				continue
			}
			seen[k] = true
			if len(shown) < max {
				shown = append(shown, ig)
			} else {
				more++
			}
		}
	}
	return shown, more
}

// grave reports whether a field (lower case) asks for what links have
// been used to steal files or impersonate with.
func grave(key string) bool {
	switch key {
	case "attach", "attachment", "attachments", "from", "sender", "reply-to":
		return true
	}
	return false
}

func (l *Link) ignore(name, reason string) {
	if len(name) > 64 {
		name = strings.ToValidUTF8(name[:64], "") + "…"
	}
	l.Ignored = append(l.Ignored, Ignored{Field: name, Reason: reason})
}

// reasonFor says why a field other than to, cc, bcc, subject and body is
// not taken.
func reasonFor(key string) string {
	switch {
	case key == "attach" || key == "attachment" || key == "attachments":
		return i18n.T("mailto.ignored.attach", "a link may not attach files (links like this have been used to send people's private files)")
	case key == "from" || key == "sender" || key == "reply-to":
		return i18n.T("mailto.ignored.sender", "a link may not choose who the message is from or where replies go")
	case strings.HasPrefix(key, "x-"):
		return i18n.T("mailto.ignored.header", "a link may not add its own header fields")
	case key == "in-reply-to" || key == "references":
		return i18n.T("mailto.ignored.thread", "Stamp does not thread messages from a link")
	default:
		return i18n.T("mailto.ignored.other", "Stamp takes only to, cc, bcc, subject and body from a link")
	}
}

// decode undoes %-escapes. "+" stays a "+" (RFC 6068 §5: a plus in an
// address is common, and forms' "+ for space" cannot be told from it).
// The result must be UTF-8 without NUL bytes.
func decode(field, s string) (string, error) {
	if !strings.Contains(s, "%") {
		return checkText(field, s)
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", &Error{Field: field, Reason: i18n.T("mailto.error.escape", "has a broken %-escape (a % must be followed by two hex digits)")}
		}
		b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
		i += 2
	}
	return checkText(field, string(b))
}

func checkText(field, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", &Error{Field: field, Reason: i18n.T("mailto.error.utf8", "is not UTF-8 text once decoded")}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", &Error{Field: field, Reason: i18n.T("mailto.error.nul", "holds a NUL byte")}
	}
	return s, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// newlines turns CRLF and lone CR into "\n": the form's line breaks.
func newlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// decodeWords decodes RFC 2047 encoded words (RFC 6068 §6.3 shows a subject
// given as =?utf-8?Q?…?= and =?iso-8859-1?Q?…?=). Text that does not decode
// (an unknown charset) is kept as it is.
func decodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	out, err := new(mime.WordDecoder).DecodeHeader(s)
	if err != nil || !utf8.ValidString(out) || strings.IndexByte(out, 0) >= 0 {
		return s
	}
	return out
}
