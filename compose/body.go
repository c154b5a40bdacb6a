package compose

import (
	"bytes"
	"mime/quotedprintable"
	"strings"
)

// textEntity lays out a text/plain or text/html body in UTF-8: 7bit when it
// is ASCII with short lines, else quoted-printable, or base64 when that is
// clearly shorter. Line breaks become CRLF.
func textEntity(subtype, text string) entity {
	text = normalizeNewlines(text)
	ctype := "Content-Type: text/" + subtype + "; charset=utf-8\r\n"
	if is7bit(text) {
		return entity{
			header: []byte(ctype + "Content-Transfer-Encoding: 7bit\r\n\r\n"),
			segs:   []segment{{lit: []byte(text)}},
		}
	}
	var qp bytes.Buffer
	qw := quotedprintable.NewWriter(&qp)
	qw.Write([]byte(text))
	qw.Close()
	// Quoted-printable stays readable; base64 only when it is clearly
	// shorter (mostly non-Latin text).
	if qp.Len() <= int(base64Size(int64(len(text))))*5/4 {
		return entity{
			header: []byte(ctype + "Content-Transfer-Encoding: quoted-printable\r\n\r\n"),
			segs:   []segment{{lit: qp.Bytes()}},
		}
	}
	return entity{
		header: []byte(ctype + "Content-Transfer-Encoding: base64\r\n\r\n"),
		segs:   []segment{{lit: base64Lines([]byte(text))}},
	}
}

// normalizeNewlines turns \r\n, \r and \n into CRLF.
func normalizeNewlines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// is7bit reports whether CRLF text can be sent as is: ASCII, no control
// characters but tab, every line at most 78 characters (RFC 5322 §2.1.1).
func is7bit(s string) bool {
	line := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			i++
			line = 0
			continue
		case c >= 0x7f, c < ' ' && c != '\t':
			return false
		}
		line++
		if line > foldAt {
			return false
		}
	}
	return true
}

// base64Lines returns b in base64, in 76-column lines separated by CRLF,
// without a line break after the last line.
func base64Lines(b []byte) []byte {
	return encodeLines(make([]byte, 0, base64Size(int64(len(b)))), b)
}
