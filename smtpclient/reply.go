package smtpclient

import (
	"bufio"
	"errors"
	"strconv"
	"strings"

	"stamp/i18n"
)

// Limits on what a server may send in one reply. RFC 5321 §4.5.3.1.5 sets
// 512 octets per reply line; we allow more for real-world servers, but a
// hostile server cannot make us buffer without end.
const (
	MaxReplyLineLength = 4096
	MaxReplyLines      = 256
)

// Reply is one complete server reply, possibly of several lines.
type Reply struct {
	// Code is the three-digit reply code.
	Code int `json:"code"`
	// Enhanced is the RFC 3463 status code ("2.1.5") taken from the first
	// line when the server uses ENHANCEDSTATUSCODES, else "".
	Enhanced string `json:"enhanced,omitempty"`
	// Lines are the texts after the code (enhanced code removed), in order.
	Lines []string `json:"lines"`
}

// Text joins the reply's lines with spaces.
func (r *Reply) Text() string { return strings.Join(r.Lines, " ") }

// String renders the reply as "250 2.0.0 text".
func (r *Reply) String() string {
	s := strconv.Itoa(r.Code)
	if r.Enhanced != "" {
		s += " " + r.Enhanced
	}
	if t := r.Text(); t != "" {
		s += " " + t
	}
	return s
}

var errLineTooLong = errors.New("reply line longer than " + strconv.Itoa(MaxReplyLineLength) + " bytes")

// readReply reads one complete reply from br, calling onLine with each raw
// line (without its line end) as soon as it is read. A malformed line is
// quoted in the error after clean (the session's mask, then Printable; nil
// means Printable alone), so that the cut and the quotes never come before
// the mask. The reader must have been created with a buffer of at least
// MaxReplyLineLength bytes, so that ReadSlice bounds every line.
func readReply(br *bufio.Reader, onLine func(string), clean func(string) string) (*Reply, error) {
	if clean == nil {
		clean = Printable
	}
	r := &Reply{}
	for n := 0; ; n++ {
		if n == MaxReplyLines {
			return nil, &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.too_many_lines", "reply has more than {{.Max}} lines", map[string]any{"Max": MaxReplyLines})}
		}
		raw, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull || len(raw) > MaxReplyLineLength {
			return nil, &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.line_too_long", "reply line longer than {{.Max}} bytes", map[string]any{"Max": MaxReplyLineLength}), Err: errLineTooLong}
		}
		if err != nil {
			return nil, err
		}
		// Accept CRLF and, leniently, a bare LF; a CR elsewhere is kept,
		// and shown as \x0d by whoever hands the line out (clean).
		line := strings.TrimSuffix(strings.TrimSuffix(string(raw), "\n"), "\r")
		if onLine != nil {
			onLine(line)
		}
		code, more, text, perr := parseReplyLine(line)
		if perr != "" {
			return nil, &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.bad_line", "{{.Problem}}: {{.Line}}",
				map[string]any{"Problem": problemText(perr), "Line": quoteLine(clean(line))})}
		}
		if n == 0 {
			r.Code = code
		} else if code != r.Code {
			return nil, &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.codes_differ", "reply codes differ inside one multi-line reply: {{.Line}}",
				map[string]any{"Line": quoteLine(clean(line))})}
		}
		r.Lines = append(r.Lines, text)
		if !more {
			break
		}
	}
	r.splitEnhanced()
	return r, nil
}

// The problems parseReplyLine finds in a line; problemText words them.
const (
	problemShort   = "reply line too short"
	problemNoCode  = "reply does not start with a three-digit code"
	problemRange   = "reply code outside 2xx-5xx"
	problemNoSpace = "reply code not followed by space or hyphen"
)

// problemText is a problem of parseReplyLine in the current language.
func problemText(p string) string {
	switch p {
	case problemShort:
		return i18n.T("smtp.protocol.line_short", "reply line too short")
	case problemNoCode:
		return i18n.T("smtp.protocol.no_code", "reply does not start with a three-digit code")
	case problemRange:
		return i18n.T("smtp.protocol.code_range", "reply code outside 2xx-5xx")
	case problemNoSpace:
		return i18n.T("smtp.protocol.no_separator", "reply code not followed by space or hyphen")
	}
	return p
}

// parseReplyLine splits "250-text" or "250 text" (or a bare "250").
func parseReplyLine(line string) (code int, more bool, text, problem string) {
	if len(line) < 3 {
		return 0, false, "", problemShort
	}
	for i := 0; i < 3; i++ {
		if line[i] < '0' || line[i] > '9' {
			return 0, false, "", problemNoCode
		}
	}
	code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	if code < 200 || code > 599 {
		// RFC 5321 §4.2: the first digit is 2 to 5; 1yz is unused in SMTP.
		return 0, false, "", problemRange
	}
	if len(line) == 3 {
		return code, false, "", ""
	}
	switch line[3] {
	case '-':
		return code, true, line[4:], ""
	case ' ':
		return code, false, line[4:], ""
	}
	return 0, false, "", problemNoSpace
}

// replyTexts returns the text of each raw line of one reply as Reply.Lines
// holds it (after the code, the separator, and the first line's enhanced
// code where a line repeats it), and the offset where that text begins in
// the line. A line that does not parse is all text.
func replyTexts(raws []string) (texts []string, offs []int) {
	texts, offs = make([]string, len(raws)), make([]int, len(raws))
	code, enh := 0, ""
	for i, l := range raws {
		c, _, text, perr := parseReplyLine(l)
		if perr != "" {
			texts[i] = l
			continue
		}
		if i == 0 {
			code = c
			if e, rest, ok := cutEnhanced(text, code); ok {
				enh, text = e, rest
			}
		} else if e, rest, ok := cutEnhanced(text, code); ok && enh != "" && e == enh {
			text = rest
		}
		texts[i], offs[i] = text, len(l)-len(text)
	}
	return texts, offs
}

// splitEnhanced moves the RFC 3463 code ("5.7.8") at the start of the
// first line into Enhanced, and removes it from the other lines that repeat
// it (RFC 2034 §3: every line carries it).
func (r *Reply) splitEnhanced() {
	code, rest, ok := cutEnhanced(r.Lines[0], r.Code)
	if !ok {
		return
	}
	r.Enhanced = code
	r.Lines[0] = rest
	for i, l := range r.Lines[1:] {
		if c, rest, ok := cutEnhanced(l, r.Code); ok && c == code {
			r.Lines[i+1] = rest
		}
	}
}

func cutEnhanced(s string, code int) (enh, rest string, ok bool) {
	head, rest, _ := strings.Cut(s, " ")
	parts := strings.Split(head, ".")
	if len(parts) != 3 || len(head) > 11 {
		return "", "", false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 {
			return "", "", false
		}
		for _, c := range p {
			if c < '0' || c > '9' {
				return "", "", false
			}
		}
	}
	// The class must agree with the reply code's first digit (RFC 3463 §2).
	if int(parts[0][0]-'0') != code/100 {
		return "", "", false
	}
	return head, rest, true
}

// quoteLine shortens and quotes a line for an error message. s must be
// clean already (masked, then Printable): the cut falls on a character
// boundary of that text, so it can never leave part of a secret.
func quoteLine(s string) string { return `"` + Clip(s, 80) + `"` }
