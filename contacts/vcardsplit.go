package contacts

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// MaxCardSize bounds one card (a PHOTO inline is the big part): a card
// over it is reported and skipped, the others are imported.
const MaxCardSize = 16 << 20

// rawCard is the text of one BEGIN:VCARD … END:VCARD block, as logical
// lines: vCard folding (a line that starts with a space or tab continues
// the one before) is undone by go-vcard later, but a vCard 2.1
// quoted-printable soft line break (a value ending in "=") is joined here,
// because the next line does not start with a space.
type rawCard struct {
	n     int // 1-based position in the file
	line  int // line where BEGIN:VCARD stands
	lines []string
	size  int
	err   error // what is wrong with it as a whole (no END, too big)
}

// label names the card for an error: its FN, else its first EMAIL, else
// its place in the file.
func (c *rawCard) label() string {
	var fn, email string
	for _, l := range c.lines {
		name, value, ok := splitProperty(l)
		if !ok {
			continue
		}
		prop := strings.ToUpper(name)
		if i := strings.IndexByte(prop, ';'); i >= 0 {
			prop = prop[:i]
		}
		if i := strings.LastIndexByte(prop, '.'); i >= 0 {
			prop = prop[i+1:]
		}
		switch {
		case prop == "FN" && fn == "" && !strings.Contains(strings.ToUpper(name), "QUOTED-PRINTABLE"):
			fn = value
		case prop == "EMAIL" && email == "":
			email = value
		}
	}
	return cardLabel(c.n, c.line, clipLabel(fn), clipLabel(email))
}

func clipLabel(s string) string {
	s = cleanName(s)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

// splitProperty cuts "NAME;PARAMS:value" at the first colon outside double
// quotes.
func splitProperty(l string) (name, value string, ok bool) {
	quoted := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return l[:i], l[i+1:], true
			}
		}
	}
	return "", "", false
}

// cardReader cuts a vCard file into cards, streaming: one card at most in
// memory.
type cardReader struct {
	r      *bufio.Reader
	lineNo int
	n      int
	held   string // a BEGIN line read while the card before had no END
	stray  int    // line of the first text found outside a card, 0 if none
}

func newCardReader(r io.Reader) *cardReader {
	return &cardReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// line returns the next physical line without its line break; a line
// longer than MaxCardSize is cut (its card is then too big anyway).
func (cr *cardReader) line() (string, error) {
	var b []byte
	for {
		chunk, err := cr.r.ReadSlice('\n')
		if len(b)+len(chunk) <= MaxCardSize+1 {
			b = append(b, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (err != io.EOF || len(b) == 0) {
			return "", err
		}
		cr.lineNo++
		s := strings.TrimRight(string(b), "\r\n")
		return strings.TrimPrefix(s, "\uFEFF"), nil
	}
}

func isMarker(l, what string) bool {
	if l == "" || l[0] == ' ' || l[0] == '\t' {
		return false
	}
	name, value, ok := splitProperty(l)
	return ok && strings.EqualFold(strings.TrimSpace(name), what) && strings.EqualFold(strings.TrimSpace(value), "VCARD")
}

// next returns the next card, io.EOF after the last one, or a read error.
func (cr *cardReader) next() (*rawCard, error) {
	for {
		var l string
		if cr.held != "" {
			l, cr.held = cr.held, ""
		} else {
			var err error
			if l, err = cr.line(); err != nil {
				return nil, err
			}
		}
		if isMarker(l, "BEGIN") {
			cr.n++
			return cr.body(&rawCard{n: cr.n, line: cr.lineNo})
		}
		if strings.TrimSpace(l) != "" && cr.stray == 0 {
			cr.stray = cr.lineNo
		}
	}
}

func (cr *cardReader) body(c *rawCard) (*rawCard, error) {
	qpSoft := false // the line before ended in a quoted-printable soft break
	for {
		l, err := cr.line()
		if err == io.EOF {
			c.err = errNoEnd()
			return c, nil
		}
		if err != nil {
			return nil, err
		}
		if !qpSoft {
			switch {
			case isMarker(l, "END"):
				return c, nil
			case isMarker(l, "BEGIN"):
				c.err = errNoEndBefore(cr.lineNo)
				cr.held = l
				return c, nil
			}
		}
		c.size += len(l) + 2
		if c.size > MaxCardSize {
			if c.err == nil {
				c.err = errCardTooLarge(MaxCardSize >> 20)
				c.lines = c.lines[:min(len(c.lines), 8)] // keep what names it, drop the rest
			}
			qpSoft = false
			continue
		}
		if qpSoft {
			c.lines[len(c.lines)-1] = strings.TrimSuffix(c.lines[len(c.lines)-1], "=") + l
		} else {
			c.lines = append(c.lines, l)
		}
		last := c.lines[len(c.lines)-1]
		name, _, _ := splitProperty(last)
		qpSoft = strings.HasSuffix(last, "=") && strings.Contains(strings.ToUpper(name), "QUOTED-PRINTABLE")
	}
}
