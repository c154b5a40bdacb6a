package compose

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

const (
	// foldAt is the line length headers are folded to (RFC 5322 §2.1.1 SHOULD).
	foldAt = 78
	// maxWord is the longest RFC 2047 encoded word (§2).
	maxWord = 75
	// longWord is the longest plain word written as is: longer ones are
	// encoded so they can be split, keeping every line under 998 octets.
	longWord = 200
)

// headerBuilder writes header fields, folding them at white space so that no
// line passes foldAt octets where a fold is possible, and encoding
// non-ASCII text as RFC 2047 encoded words.
type headerBuilder struct {
	b       []byte
	lineLen int  // octets on the current line
	content bool // the current line has something after the field name
	noFold  bool // write everything on one line (Address.String)
}

// String returns what was built.
func (h *headerBuilder) String() string { return string(h.b) }

// field starts a header field "Name:".
func (h *headerBuilder) field(name string) {
	h.b = append(h.b, name...)
	h.b = append(h.b, ':')
	h.lineLen = len(name) + 1
	h.content = false
}

// end ends the current header field.
func (h *headerBuilder) end() {
	h.b = append(h.b, '\r', '\n')
	h.lineLen = 0
	h.content = false
}

// token appends tok, preceded by the white space ws. A non-empty ws is a
// place to fold: the line break goes before it (RFC 5322 §2.2.3).
func (h *headerBuilder) token(ws, tok string) {
	if len(h.b) == 0 {
		ws = ""
	}
	if ws != "" && !h.noFold && h.content && h.lineLen+len(ws)+len(tok) > foldAt {
		h.b = append(h.b, '\r', '\n')
		h.lineLen = 0
	}
	h.b = append(h.b, ws...)
	h.b = append(h.b, tok...)
	h.lineLen += len(ws) + len(tok)
	h.content = true
}

// room returns how many octets an encoded word may take after ws: what is
// left of the current line, folding first when fewer than need are left and
// a fold is possible; never more than maxWord, never less than need.
func (h *headerBuilder) room(ws string, need int) int {
	if h.noFold {
		return maxWord
	}
	if len(h.b) == 0 {
		ws = ""
	}
	r := foldAt - h.lineLen - len(ws)
	if r < need && h.content && ws != "" {
		h.b = append(h.b, '\r', '\n')
		h.lineLen = 0
		r = foldAt - len(ws)
	}
	return min(max(r, need), maxWord)
}

// text appends unstructured text (RFC 5322 §3.2.5), such as a subject:
// words that are plain ASCII stay as they are, runs of words that are not
// (non-ASCII, control characters, something that looks like an encoded word,
// a word too long to fit a line) become encoded words. Parsers unfold a
// line break and the white space after it into one space, so the text is
// folded only at single spaces; any other white space between words goes
// inside an encoded word, which keeps it exactly. Leading and trailing white
// space is not kept (it is not significant in a header).
func (h *headerBuilder) text(s string) {
	words := splitWords(s)
	if n := len(words); n > 0 && words[n-1].word == "" {
		words = words[:n-1] // trailing white space
	}
	enc := make([]bool, len(words))
	for i, w := range words {
		enc[i] = enc[i] || needsEncoding(w.word)
		if i > 0 && w.space != " " {
			enc[i], enc[i-1] = true, true
		}
	}
	for i := 0; i < len(words); i++ {
		if !enc[i] {
			h.token(" ", words[i].word)
			continue
		}
		var run strings.Builder
		run.WriteString(words[i].word)
		for i+1 < len(words) && enc[i+1] {
			i++
			run.WriteString(words[i].space)
			run.WriteString(words[i].word)
		}
		h.encoded(" ", run.String(), "", "")
	}
}

// spacedWord is a word and the white space before it.
type spacedWord struct{ space, word string }

// splitWords cuts s into words, each with the white space (SP, HTAB) before
// it; a last entry with an empty word holds trailing white space.
func splitWords(s string) []spacedWord {
	var out []spacedWord
	for s != "" {
		i := 0
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' {
			j++
		}
		out = append(out, spacedWord{s[:i], s[i:j]})
		s = s[j:]
	}
	return out
}

// needsEncoding reports whether a word cannot be written as is: it has
// non-ASCII or control characters, could be mistaken for an encoded word, or
// is too long to fit a line.
func needsEncoding(w string) bool {
	if len(w) > longWord || strings.Contains(w, "=?") {
		return true
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < ' ' || c >= 0x7f {
			return true
		}
	}
	return false
}

// phrase appends a display name (RFC 5322 §3.2.5 phrase): atoms as they
// are, otherwise a quoted-string, or encoded words when it has non-ASCII
// or control characters.
func (h *headerBuilder) phrase(ws, name string) {
	words := strings.Fields(name)
	switch {
	case needsEncoding(name):
		h.encoded(ws, name, "", "")
	case strings.Join(words, " ") == name && allAtoms(words):
		for i, w := range words {
			if i > 0 {
				ws = " "
			}
			h.token(ws, w)
		}
	default:
		h.token(ws, quoteString(name))
	}
}

// allAtoms reports whether every word is an RFC 5322 atom.
func allAtoms(words []string) bool {
	for _, w := range words {
		for _, r := range w {
			if !isAtext(r) {
				return false
			}
		}
	}
	return true
}

// address appends one mailbox.
func (h *headerBuilder) address(a Address) {
	wire, _, err := wireAddr(a.Addr)
	if err != nil {
		wire = quoteAddr(a.Addr)
	}
	name := strings.TrimSpace(a.Name) // surrounding spaces are not significant
	if name == "" {
		h.token(" ", wire)
		return
	}
	h.phrase(" ", name)
	h.token(" ", "<"+wire+">")
}

// addressList appends mailboxes separated by commas.
func (h *headerBuilder) addressList(list []Address) {
	for i, a := range list {
		if i > 0 {
			h.b = append(h.b, ',')
			h.lineLen++
		}
		h.address(a)
	}
}

// encoded appends s as RFC 2047 encoded words (UTF-8, B or Q, whichever is
// shorter for s), each at most 75 characters, never splitting a UTF-8
// character, separated by folding white space. prefix and suffix are
// written around them (the quotes of a quoted parameter value).
func (h *headerBuilder) encoded(ws, s, prefix, suffix string) {
	b := bLen(len(s)) < qLen(s) // Q on a tie: it stays readable
	const overhead = len("=?UTF-8?B??=")
	for first := true; s != ""; first = false {
		sep := " "
		if first {
			sep = ws
		}
		_, size := utf8.DecodeRuneInString(s)
		need := overhead + 12 + len(prefix) + len(suffix) // room for one character
		avail := h.room(sep, need) - len(prefix) - len(suffix)
		n := fitRunes(s, avail-overhead, b)
		n = max(n, size) // a word holds at least one character
		word := encodeWord(s[:n], b)
		s = s[n:]
		if s == "" {
			word += suffix
		}
		h.token(sep, prefix+word)
		prefix = ""
	}
}

// fitRunes returns how many leading bytes of s, cut at a character
// boundary, fit in room encoded characters.
func fitRunes(s string, room int, b bool) int {
	n, cost := 0, 0
	for n < len(s) {
		_, size := utf8.DecodeRuneInString(s[n:])
		if b {
			if bLen(n+size) > room {
				break
			}
		} else {
			c := qLen(s[n : n+size])
			if cost+c > room {
				break
			}
			cost += c
		}
		n += size
	}
	return n
}

// encodeWord returns one encoded word for s.
func encodeWord(s string, b bool) string {
	if b {
		return "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
	}
	var sb strings.Builder
	sb.Grow(12 + qLen(s))
	sb.WriteString("=?UTF-8?Q?")
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			sb.WriteByte('_')
		case qSafe(c):
			sb.WriteByte(c)
		default:
			sb.WriteByte('=')
			sb.WriteByte(upperHex[c>>4])
			sb.WriteByte(upperHex[c&15])
		}
	}
	sb.WriteString("?=")
	return sb.String()
}

const upperHex = "0123456789ABCDEF"

// qSafe reports whether c may appear as itself in a Q-encoded word, even in
// a phrase (RFC 2047 §5 (3)).
func qSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '!' || c == '*' || c == '+' || c == '-' || c == '/'
}

// qLen is the length of s Q-encoded.
func qLen(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || qSafe(s[i]) {
			n++
		} else {
			n += 3
		}
	}
	return n
}

// bLen is the length of n bytes B-encoded.
func bLen(n int) int { return (n + 2) / 3 * 4 }
