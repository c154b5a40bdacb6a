package mailto

import (
	"errors"
	"strings"

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
// "@" is percent-encoded, so Parse gives back exactly l's fields (a
// subject's line breaks aside). stamp --compose hands its flags to the
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
		field("subject", escape(l.Subject))
	}
	if l.Body != "" {
		// RFC 6068 §5: a line break in the body is %0D%0A.
		field("body", escape(strings.ReplaceAll(newlines(l.Body), "\n", "\r\n")))
	}
	return b.String()
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
