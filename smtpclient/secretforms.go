package smtpclient

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SecretForm is one way a secret can be written down.
type SecretForm struct {
	// Kind names the form ("strconv.Quote", "base64 unpadded", …), never
	// the secret itself, so that a report may print it.
	Kind string
	// Text is the secret written in that form.
	Text string
}

// SecretForms lists the forms of secret that the engine masks in
// everything it hands out (events, errors, results), and that
// scripts/secret-forms.go searches for in test output: one list, so the
// mask and the audit cannot drift apart. For the secret S and for
// Printable(S):
//
//   - the text itself;
//   - strconv.Quote and strconv.QuoteToASCII (without the outer quotes):
//     what %q, %+q and error messages produce;
//   - JSON strings as encoding/json writes them, with and without HTML
//     escaping, and with every non-ASCII character as \uNNNN, as Python's
//     json.dumps writes them (without the outer quotes);
//
// and base64 of S (standard and URL alphabets, padded and not): the whole
// encoding and, for each of the three byte offsets S can start at inside a
// longer encoded text (AUTH PLAIN's "\0user\0password"), the characters
// that depend on S alone, when there are at least 12 of them.
//
// Forms are listed once each, longest first (so that masking them in order
// never leaves a piece of a longer form behind); an empty secret has none.
func SecretForms(secret string) []SecretForm {
	if secret == "" {
		return nil
	}
	var forms []SecretForm
	seen := map[string]bool{}
	add := func(kind, text string) {
		if text == "" || seen[text] {
			return
		}
		seen[text] = true
		forms = append(forms, SecretForm{kind, text})
	}
	for _, base := range []struct{ name, s string }{{"", secret}, {"Printable, ", Printable(secret)}} {
		add(base.name+"as is", base.s)
		add(base.name+"strconv.Quote", unquoted(strconv.Quote(base.s)))
		add(base.name+"strconv.QuoteToASCII", unquoted(strconv.QuoteToASCII(base.s)))
		add(base.name+"JSON", unquoted(jsonString(base.s, true)))
		add(base.name+"JSON without HTML escaping", unquoted(jsonString(base.s, false)))
		add(base.name+"JSON, ASCII only", unquoted(jsonASCII(base.s)))
	}
	for _, enc := range []struct {
		name string
		e    *base64.Encoding
	}{
		{"base64", base64.StdEncoding}, {"base64 unpadded", base64.RawStdEncoding},
		{"base64url", base64.URLEncoding}, {"base64url unpadded", base64.RawURLEncoding},
	} {
		add(enc.name, enc.e.EncodeToString([]byte(secret)))
		for k := 0; k < 3; k++ {
			add(fmt.Sprintf("%s inside a longer text (offset %d)", enc.name, k), base64Core(enc.e, secret, k))
		}
	}
	// Stable: forms of equal length keep the order above.
	for i := 1; i < len(forms); i++ {
		for j := i; j > 0 && len(forms[j].Text) > len(forms[j-1].Text); j-- {
			forms[j], forms[j-1] = forms[j-1], forms[j]
		}
	}
	return forms
}

// base64Core returns the base64 characters that depend only on secret when
// it starts k bytes after a 3-byte boundary of a longer encoded text ("" when
// fewer than 12).
func base64Core(e *base64.Encoding, secret string, k int) string {
	enc := e.Strict().WithPadding(base64.NoPadding).EncodeToString(append(make([]byte, k), secret...))
	total := k + len(secret)
	start := 0
	if k > 0 {
		start = 4 // the first group also encodes bytes before the secret
	}
	end := total / 3 * 4 // the last partial group also encodes the bytes after it
	if end <= start || end-start < 12 {
		return ""
	}
	return enc[start:end]
}

func unquoted(q string) string { return q[1 : len(q)-1] }

// jsonString is s as a JSON string, with or without HTML escaping.
func jsonString(s string, html bool) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(html)
	e.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonASCII is a JSON string with every non-ASCII character as \uNNNN
// (surrogate pairs above U+FFFF), as Python's json.dumps writes it.
func jsonASCII(s string) string {
	var b strings.Builder
	for _, r := range jsonString(s, true) {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}
