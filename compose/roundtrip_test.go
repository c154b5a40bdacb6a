package compose

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"
)

// parsed is a message as an independent parser (github.com/emersion/go-message)
// reads it.
type parsed struct {
	raw         []byte
	header      mail.Header
	text, html  string
	attachments []parsedAttachment
	partTypes   []string // content types of the leaf parts, in order
}

// parsedAttachment is one attachment read back.
type parsedAttachment struct {
	filename    string // from Content-Disposition (RFC 2231)
	name        string // from Content-Type name= (RFC 2047)
	contentType string
	data        []byte
}

// writeMessage writes m and checks what every message must be: exactly
// Size() bytes, CRLF line endings only, no line over 998 octets, and
// readable by an independent parser.
func writeMessage(t testing.TB, m *Message, opt WriteOptions) (*parsed, *Writer) {
	t.Helper()
	w, err := m.NewWriter(opt)
	if err != nil {
		t.Fatalf("NewWriter: %v", err)
	}
	var buf bytes.Buffer
	n, err := w.WriteTo(&buf)
	if err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	raw := buf.Bytes()
	if n != int64(len(raw)) || n != w.Size() {
		t.Fatalf("WriteTo returned %d, wrote %d bytes, Size() said %d", n, len(raw), w.Size())
	}
	checkLines(t, raw)
	return parseMessage(t, raw), w
}

// checkLines checks CRLF-only line endings and the 998-octet line limit
// (RFC 5322 §2.1.1), and that the message ends with a line break.
func checkLines(t testing.TB, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Errorf("message does not end with CRLF: ...%q", tail(raw))
	}
	for i, line := range bytes.Split(raw, []byte("\r\n")) {
		if j := bytes.IndexAny(line, "\r\n"); j >= 0 {
			t.Fatalf("line %d has a bare CR or LF at %d: %q", i+1, j, line)
		}
		if len(line) > 998 {
			t.Fatalf("line %d is %d octets long", i+1, len(line))
		}
	}
}

// checkHeaderFolding checks that no header line of any part passes 78
// characters (everything the tests write can be folded).
func checkHeaderFolding(t testing.TB, raw []byte) {
	t.Helper()
	inHeader := true
	for _, line := range strings.Split(string(raw), "\r\n") {
		switch {
		case line == "":
			inHeader = false
		case strings.HasPrefix(line, "--=_"):
			inHeader = true
		case inHeader && len(line) > 78:
			t.Errorf("header line is %d characters: %q", len(line), line)
		}
	}
}

func tail(b []byte) []byte {
	if len(b) > 40 {
		return b[len(b)-40:]
	}
	return b
}

// parseMessage reads raw with go-message, body parts and attachments in
// order.
func parseMessage(t testing.TB, raw []byte) *parsed {
	t.Helper()
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("go-message cannot read the message: %v\n%s", err, raw)
	}
	p := &parsed{raw: raw, header: mr.Header}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("go-message cannot read a part: %v\n%s", err, raw)
		}
		body, err := io.ReadAll(part.Body)
		if err != nil {
			t.Fatalf("go-message cannot read a part body: %v", err)
		}
		switch h := part.Header.(type) {
		case *mail.InlineHeader:
			ct, _, _ := h.ContentType()
			p.partTypes = append(p.partTypes, ct)
			switch ct {
			case "text/plain":
				p.text = string(body)
			case "text/html":
				p.html = string(body)
			default:
				t.Errorf("unexpected inline part %s", ct)
			}
		case *mail.AttachmentHeader:
			ct, params, err := h.ContentType()
			if err != nil {
				t.Errorf("attachment Content-Type %q: %v", h.Get("Content-Type"), err)
			}
			p.partTypes = append(p.partTypes, ct)
			filename, err := h.Filename()
			if err != nil {
				t.Errorf("attachment Content-Disposition %q: %v", h.Get("Content-Disposition"), err)
			}
			p.attachments = append(p.attachments, parsedAttachment{
				filename: filename, name: params["name"], contentType: ct, data: body,
			})
		}
	}
	return p
}

// addresses reads an address header back as our Address values.
func (p *parsed) addresses(t testing.TB, key string) []Address {
	t.Helper()
	list, err := p.header.AddressList(key)
	if err != nil {
		t.Fatalf("%s: %q does not parse: %v", key, p.header.Get(key), err)
	}
	var out []Address
	for _, a := range list {
		out = append(out, Address{Name: a.Name, Addr: a.Address})
	}
	return out
}

// subject reads the Subject back.
func (p *parsed) subject(t testing.TB) string {
	t.Helper()
	s, err := p.header.Subject()
	if err != nil {
		t.Fatalf("Subject %q: %v", p.header.Get("Subject"), err)
	}
	return s
}

// bodyText is what a body should read back as: line breaks as CRLF; a
// final line break is not significant.
func bodyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSuffix(strings.ReplaceAll(s, "\n", "\r\n"), "\r\n")
}
