package mailto

import (
	"encoding/base64"
	"errors"
	"strings"
	"unicode/utf8"

	"stamp/compose"
)

// Message returns the link as a new message without a sender: its
// addresses parsed with compose.ParseAddressList (an address the link got
// wrong is a *compose.ValidationError naming the field), subject and body.
// Nothing else of the link reaches it.
func (l *Link) Message() (*compose.Message, error) {
	m := &compose.Message{Subject: l.Subject, Text: l.Body}
	var errs []error
	for _, f := range []struct {
		name string
		from []string
		to   *[]compose.Address
	}{{"To", l.To, &m.To}, {"Cc", l.Cc, &m.Cc}, {"Bcc", l.Bcc, &m.Bcc}} {
		if len(f.from) == 0 {
			continue
		}
		list, err := compose.ParseAddressList(f.name, strings.Join(f.from, ", "))
		*f.to = list
		if err != nil {
			errs = append(errs, err)
		}
	}
	return m, errors.Join(errs...)
}

// Build writes a mailto: link for the parts of l (Ignored and Notes are
// not part of a link). Everything but RFC 3986's unreserved characters and
// "@" is percent-encoded, and a subject holding "=?" is written as RFC 2047
// words, so Parse gives back exactly l's fields (what Parse cleans out of
// them aside: line breaks and controls in one-line fields, controls in the
// body). stamp --compose hands its flags to the
// running Stamp this way: one format, one parser.
func Build(l Link) string {
	var b strings.Builder
	b.WriteString("mailto:")
	sep := byte('?')
	field := func(name, value string) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(value)
	}
	for _, f := range []struct {
		name string
		list []string
	}{{"to", l.To}, {"cc", l.Cc}, {"bcc", l.Bcc}} {
		if len(f.list) == 0 {
			continue
		}
		enc := make([]string, len(f.list))
		for i, a := range f.list {
			enc[i] = escape(a)
		}
		field(f.name, strings.Join(enc, ","))
	}
	if l.Subject != "" {
		field("subject", escape(subjectWords(l.Subject)))
	}
	if l.Body != "" {
		// RFC 6068 §5: a line break in the body is %0D%0A.
		field("body", escape(strings.ReplaceAll(newlines(l.Body), "\n", "\r\n")))
	}
	return b.String()
}

// subjectWords keeps a subject that holds "=?" from being read as RFC 2047
// encoded words by Parse (stamp --compose --subject 'Why =?utf-8?q?Hi?='
// would arrive as "Why Hi"): such a subject is written as encoded words
// itself, which Parse decodes back to exactly this text. Others are as
// they are.
func subjectWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	var words []string
	for s != "" {
		n := 0 // at most 45 bytes (60 in base64), whole characters
		for n < len(s) {
			_, w := utf8.DecodeRuneInString(s[n:])
			if n > 0 && n+w > 45 {
				break
			}
			n += w
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// escape percent-encodes every byte but the unreserved ones and "@".
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~@", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
