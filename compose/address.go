package compose

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"stamp/i18n"
)

// Address is one mailbox: an optional display name and the address itself.
// Addr is kept the way the user typed it (an international domain stays in
// Unicode); the writer and the envelope convert it for the wire.
type Address struct {
	Name string
	Addr string
}

// String returns the address in RFC 5322 form, as it would appear in a header
// (unfolded): `"Last, First" <a@example.com>`, a display name with non-ASCII
// text as RFC 2047 encoded words, an international domain as punycode unless
// the local part itself needs UTF-8 (RFC 6532).
func (a Address) String() string {
	var h headerBuilder
	h.noFold = true
	h.address(a)
	return h.String()
}

// ParseAddressList parses an address list the way people type it:
// `Name <a@b>, c@d; "Last, First" <e@f>`. Entries are separated by ',' or ';'
// (outside quotes, comments and angle brackets); blank entries and trailing
// separators are ignored. field names the form field for error messages
// ("To", "Cc", ...).
//
// Every valid entry is returned, in order, even when others are bad; the
// error, if any, is a *ValidationError with one *FieldError per bad entry.
func ParseAddressList(field, s string) ([]Address, error) {
	var (
		list []Address
		bad  []*FieldError
	)
	for _, entry := range splitAddressList(s) {
		a, fe := parseAddress(field, entry)
		if fe != nil {
			bad = append(bad, fe)
			continue
		}
		list = append(list, a)
	}
	if len(bad) > 0 {
		return list, &ValidationError{Problems: bad}
	}
	return list, nil
}

// ParseAddress parses a single address (`Name <a@b>` or `a@b`), as typed in
// the From field.
func ParseAddress(field, s string) (Address, error) {
	entries := splitAddressList(s)
	switch len(entries) {
	case 0:
		return Address{}, &FieldError{Field: field, Reason: i18n.T("compose.reason.required", "is required")}
	case 1:
		a, fe := parseAddress(field, entries[0])
		if fe != nil {
			return Address{}, fe
		}
		return a, nil
	}
	return Address{}, &FieldError{Field: field, Entry: strings.TrimSpace(s), Reason: i18n.T("compose.reason.single_address", "must be a single address")}
}

// splitAddressList cuts s at ',' and ';' that are not inside a quoted string,
// a comment or angle brackets, and drops blank entries.
func splitAddressList(s string) []string {
	var (
		out     []string
		start   int
		inQuote bool
		escaped bool
		comment int
		angle   bool
	)
	flush := func(end int) {
		if e := strings.TrimSpace(s[start:end]); e != "" {
			out = append(out, e)
		}
		start = end + 1
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if escaped {
			escaped = false
			continue
		}
		switch {
		case c == '\\' && (inQuote || comment > 0):
			escaped = true
		case inQuote:
			if c == '"' {
				inQuote = false
			}
		case c == '"':
			inQuote = true
		case c == '(':
			comment++
		case c == ')' && comment > 0:
			comment--
		case comment > 0:
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case (c == ',' || c == ';') && !angle:
			flush(i)
		}
	}
	flush(len(s))
	return out
}

// parseAddress parses one entry of an address list.
func parseAddress(field, entry string) (Address, *FieldError) {
	bad := func(reason string) (Address, *FieldError) {
		return Address{}, &FieldError{Field: field, Entry: entry, Reason: reason}
	}
	if strings.ContainsAny(entry, "\r\n") {
		return bad(i18n.T("compose.reason.line_break", "contains a line break"))
	}
	if !utf8.ValidString(entry) {
		return bad(i18n.T("compose.reason.not_utf8", "is not valid UTF-8 text"))
	}
	var a Address
	if pa, err := mail.ParseAddress(entry); err == nil {
		a = Address{Name: pa.Name, Addr: pa.Address}
	} else if name, addr, ok := looseNameAddr(entry); ok {
		// People type `bob@home <bob@example.com>` or `O'Neil, Pat <p@x>`
		// (the latter split already); take what is before '<' as the name.
		pa, err := mail.ParseAddress("<" + addr + ">")
		if err != nil {
			return bad(i18n.T("compose.reason.invalid_address", "is not a valid address"))
		}
		a = Address{Name: name, Addr: pa.Address}
	} else {
		return bad(i18n.T("compose.reason.invalid_address", "is not a valid address"))
	}
	a.Name = strings.TrimSpace(a.Name)
	var v validator // what the writer will refuse, refuse now
	if v.address(field, a); len(v.problems) > 0 {
		return bad(v.problems[0].Reason)
	}
	return a, nil
}

// looseNameAddr splits `anything <addr>` into a name and an address.
func looseNameAddr(s string) (name, addr string, ok bool) {
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ">") {
		return "", "", false
	}
	i := strings.LastIndexByte(s, '<')
	if i < 0 {
		return "", "", false
	}
	name = strings.TrimSpace(s[:i])
	if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
		name = name[1 : len(name)-1]
	}
	if strings.ContainsAny(name, "<>") {
		return "", "", false
	}
	return name, strings.TrimSpace(s[i+1 : len(s)-1]), true
}

// checkAddr checks an addr-spec beyond what net/mail does: the limits of
// RFC 5321 §4.5.3.1 and a domain that can be looked up. It returns the reason
// it is not usable, or "".
func checkAddr(addr string) string {
	if addr == "" {
		return i18n.T("compose.reason.invalid_address", "is not a valid address")
	}
	if strings.ContainsAny(addr, "\r\n") {
		return i18n.T("compose.reason.line_break", "contains a line break")
	}
	if !utf8.ValidString(addr) {
		return i18n.T("compose.reason.not_utf8", "is not valid UTF-8 text")
	}
	if _, err := mail.ParseAddress("<" + quoteAddr(addr) + ">"); err != nil {
		return i18n.T("compose.reason.invalid_address", "is not a valid address")
	}
	local, domain := splitAddr(addr)
	if local == "" || domain == "" {
		return i18n.T("compose.reason.invalid_address", "is not a valid address")
	}
	if len(local) > 64 {
		return i18n.T("compose.reason.local_too_long", "has a part before the @ longer than 64 characters")
	}
	wire, err := wireDomain(domain)
	if err != nil {
		return i18n.T("compose.reason.invalid_domain", "has an invalid domain ({{.Error}})", map[string]any{"Error": err.Error()})
	}
	if len(local)+1+len(wire) > 254 {
		return i18n.T("compose.reason.address_too_long", "is longer than 254 characters")
	}
	return ""
}

// splitAddr cuts an addr-spec at its last '@'.
func splitAddr(addr string) (local, domain string) {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return addr, ""
	}
	return addr[:i], addr[i+1:]
}

// wireDomain returns domain as it goes on the wire: A-labels (punycode) for
// an international domain, unchanged for an ASCII domain or a domain literal.
func wireDomain(domain string) (string, error) {
	if strings.HasPrefix(domain, "[") {
		return domain, nil
	}
	if isASCII(domain) {
		if err := checkASCIIDomain(domain); err != nil {
			return "", err
		}
		return domain, nil
	}
	a, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return "", errors.New(i18n.T("compose.domain.idna", "not a valid international domain"))
	}
	if err := checkASCIIDomain(a); err != nil {
		return "", err
	}
	return a, nil
}

// unicodeDomain returns domain with its A-labels shown as Unicode, for an
// address whose local part is UTF-8 anyway (RFC 6532).
func unicodeDomain(domain string) string {
	if strings.HasPrefix(domain, "[") {
		return domain
	}
	u, err := idna.Lookup.ToUnicode(domain)
	if err != nil {
		return domain
	}
	return u
}

// checkASCIIDomain checks an ASCII host name: labels of letters, digits,
// '-' and '_' (seen in the wild), none empty or longer than 63.
func checkASCIIDomain(d string) error {
	if len(d) > 253 {
		return errors.New(i18n.T("compose.domain.too_long", "longer than 253 characters"))
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" {
			return errors.New(i18n.T("compose.domain.empty_label", "empty label"))
		}
		if len(label) > 63 {
			return errors.New(i18n.T("compose.domain.label_too_long", "a label is longer than 63 characters"))
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return errors.New(i18n.T("compose.domain.hyphen", "a label starts or ends with '-'"))
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return fmt.Errorf("%q is not allowed in a domain", c)
			}
		}
	}
	return nil
}

// wireAddr returns addr as it goes on the wire, in the envelope and in
// headers: the local part quoted if it is not a dot-atom, the domain as
// A-labels when the local part is ASCII. utf8 reports whether the result
// needs SMTPUTF8 (RFC 6531).
func wireAddr(addr string) (wire string, utf8 bool, err error) {
	local, domain := splitAddr(addr)
	if !isASCII(local) {
		return quoteLocal(local) + "@" + unicodeDomain(domain), true, nil
	}
	d, err := wireDomain(domain)
	if err != nil {
		return "", false, err
	}
	return quoteLocal(local) + "@" + d, false, nil
}

// quoteAddr quotes the local part of addr if needed.
func quoteAddr(addr string) string {
	local, domain := splitAddr(addr)
	return quoteLocal(local) + "@" + domain
}

// quoteLocal returns local as a dot-atom when it is one, else as an
// RFC 5322 quoted-string.
func quoteLocal(local string) string {
	if isDotAtom(local) {
		return local
	}
	return quoteString(local)
}

// quoteString renders s as an RFC 5322 quoted-string.
func quoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// isDotAtom reports whether s is an RFC 5322 dot-atom (RFC 6532: UTF-8
// allowed).
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if r != '.' && !isAtext(r) {
			return false
		}
	}
	return true
}

// isAtext reports whether r is RFC 5322 atext (or UTF-8, RFC 6532).
func isAtext(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r >= utf8.RuneSelf:
		return r != utf8.RuneError
	}
	return strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

// isASCII reports whether s is pure 7-bit ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
