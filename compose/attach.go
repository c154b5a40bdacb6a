package compose

import (
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// attachmentEntity lays out one attachment: its Content-Type with an
// RFC 2047 name= (for Outlook and older clients), its Content-Disposition
// with the RFC 2231 filename, and its content as base64 streamed later.
func attachmentEntity(a *Attachment, size int64) entity {
	name := a.displayName()
	ctype := a.ContentType
	if ctype == "" {
		ctype = detectType(a, name)
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil { // validated already; be safe
		mt, params = "application/octet-stream", nil
	}
	delete(params, "name")
	ctype = mime.FormatMediaType(mt, params)
	if ctype == "" {
		ctype = mt
	}

	var h headerBuilder
	h.field("Content-Type")
	h.token(" ", ctype)
	h.param("name", name, false)
	h.end()
	h.field("Content-Disposition")
	h.token(" ", "attachment")
	h.param("filename", name, true)
	h.end()
	h.field("Content-Transfer-Encoding")
	h.token(" ", "base64")
	h.end()
	h.end()

	src := &source{name: name, path: a.Path, size: size}
	if a.Path == "" {
		src.data = a.Data
	}
	return entity{header: h.b, segs: []segment{{att: src}}}
}

// param appends a "; key=value" parameter. A short printable ASCII value is
// quoted as is. Any other value is written as an RFC 2231 extended value
// (UTF-8, percent-encoded, with continuations) when rfc2231, else as
// RFC 2047 encoded words inside the quotes (what Outlook reads for name=).
func (h *headerBuilder) param(key, value string, rfc2231 bool) {
	h.b = append(h.b, ';')
	h.lineLen++
	if plainParam(value) {
		h.token(" ", key+"="+quoteString(value))
		return
	}
	if !rfc2231 {
		h.encoded(" ", value, key+"=\"", "\"")
		return
	}
	single := key + "*=UTF-8''" + pctEncode(value)
	if len(single)+1 <= foldAt-1 {
		h.token(" ", single)
		return
	}
	// RFC 2231 §3: key*0*=UTF-8''…; key*1*=…, each piece on its own line,
	// cut between characters.
	for i := 0; value != ""; i++ {
		head := key + "*" + strconv.Itoa(i) + "*="
		if i == 0 {
			head += "UTF-8''"
		} else {
			h.b = append(h.b, ';')
			h.lineLen++
		}
		room := foldAt - 2 - len(head) // leading space, trailing ';'
		n := 0
		for n < len(value) {
			_, size := utf8.DecodeRuneInString(value[n:])
			if n > 0 && len(pctEncode(value[:n+size])) > room {
				break
			}
			n += size
		}
		h.token(" ", head+pctEncode(value[:n]))
		value = value[n:]
	}
}

// plainParam reports whether a parameter value can be a plain quoted-string
// that every client reads: printable ASCII, no quote or backslash, nothing
// that looks like an encoded word, short enough for one line.
func plainParam(s string) bool {
	if s == "" || len(s) > 60 || strings.Contains(s, "=?") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// pctEncode percent-encodes s for an RFC 2231 extended value, leaving only
// attribute-chars that no client misreads.
func pctEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!$&+^`|#", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

// detectType returns the content type of an attachment: from the extension
// of its name, else sniffed from its first 512 bytes (RFC 6838 types as
// net/http knows them), else application/octet-stream.
func detectType(a *Attachment, name string) string {
	if ext := filepath.Ext(name); ext != "" {
		if t := mime.TypeByExtension(strings.ToLower(ext)); t != "" {
			if mt, _, err := mime.ParseMediaType(t); err == nil {
				return mt // a charset from the system table is a guess; leave it out
			}
		}
	}
	sample := a.Data
	if a.Path != "" {
		sample = readHead(a.Path, 512)
	}
	if len(sample) > 512 {
		sample = sample[:512]
	}
	if len(sample) == 0 {
		return "application/octet-stream"
	}
	t := http.DetectContentType(sample)
	mt, params, err := mime.ParseMediaType(t)
	if err != nil {
		return "application/octet-stream"
	}
	if strings.EqualFold(params["charset"], "utf-8") && !validUTF8Head(sample) {
		delete(params, "charset")
	}
	return mime.FormatMediaType(mt, params)
}

// readHead returns up to n bytes from the start of a file.
func readHead(path string, n int) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	b := make([]byte, n)
	k, _ := io.ReadFull(f, b)
	return b[:k]
}

// validUTF8Head reports whether b is UTF-8, allowing a character cut at
// its end.
func validUTF8Head(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}
