package smtpclient

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable returns s with every character that could change how the text
// around it is shown replaced by a visible escape, so that text a server
// chose (a reply, a certificate name, an OAuth error) can be printed to a
// terminal, shown in a window, copied or saved without acting on anything:
//
//   - C0 controls, DEL and bytes that are not UTF-8 become \xNN
//     (ESC is \x1b, CR \x0d, LF \x0a: a server's line never becomes two);
//   - C1 controls, format characters (the bidi embeddings, overrides and
//     isolates U+202A–U+202E and U+2066–U+2069, LRM/RLM/ALM, zero-width
//     characters, the BOM, soft hyphens) and the line and paragraph
//     separators U+2028/U+2029 become \uNNNN.
//
// Everything else, including Chinese, accents and emoji, is kept as it is.
// Printable is idempotent: its output contains nothing it would change.
func Printable(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1, r < 0x80 && needsEscape(r, size):
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case needsEscape(r, size):
			b.WriteString(`\u`)
			h := strconv.FormatInt(int64(r), 16)
			for n := len(h); n < 4; n++ {
				b.WriteByte('0')
			}
			b.WriteString(h)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Clip cuts s to at most n bytes, on a character boundary, marking the
// cut with "…"; s is returned as it is when it fits. Clip after masking
// secrets, so that a cut never leaves a piece of one unmasked.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func needsEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return true // not UTF-8
	case r < 0x20, r == 0x7f:
		return true // C0 controls and DEL
	case r < 0x80:
		return false
	case r <= 0x9f:
		return true // C1 controls
	case r == 0x2028, r == 0x2029:
		return true // line and paragraph separators
	}
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Cc, r)
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

// Transcript prefixes: what the client wrote, what the server answered, and
// the engine's own notes and steps.
const (
	PrefixClient = "-> "
	PrefixServer = "<- "
	PrefixLocal  = "=== "
)

// Prefix returns the transcript prefix of a direction: "-> ", "<- " or "=== ".
func (d Direction) Prefix() string {
	switch d {
	case Client:
		return PrefixClient
	case Server:
		return PrefixServer
	}
	return PrefixLocal
}

// FormatLine renders one transcript line as both front ends show, copy and
// save it: the direction's prefix and the text made Printable. It is the
// one renderer of transcript lines; the result never holds a line break.
func FormatLine(dir Direction, text string) string {
	return dir.Prefix() + Printable(text)
}
