package compose

import (
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"stamp/internal/atomicfile"
)

// WriteOptions changes how a message is written.
type WriteOptions struct {
	// KeepBcc writes a Bcc header. Only for the copy saved in the Sent
	// folder (as Thunderbird and Claws do): the transmitted message never
	// has one.
	KeepBcc bool
}

// Writer writes one message as RFC 5322 / MIME. Everything except the
// attachment contents is laid out by NewWriter, so the exact size is known
// before the first byte is written; attachment files are streamed from disk
// when WriteTo runs. A Writer may be written more than once.
type Writer struct {
	segs []segment
	size int64
	msg  Message // with Date and MessageID fixed
}

// segment is a piece of the output: literal bytes, or an attachment's
// content to be base64-encoded.
type segment struct {
	lit []byte
	att *source
}

// source is the content of one attachment.
type source struct {
	name string // shown to the recipient, for errors
	path string // on disk, or "" for data
	data []byte
	size int64 // input bytes the layout was made for
}

// NewWriter validates m (see Validate), checks its attachment files, fixes
// the Date, the Message-ID and the MIME boundaries, and lays the message out.
// m is not changed; Message returns the message as written.
func (m *Message) NewWriter(opt WriteOptions) (*Writer, error) {
	sizes, err := m.check()
	if err != nil {
		return nil, err
	}
	w := &Writer{msg: *m}
	if w.msg.Date.IsZero() {
		w.msg.Date = time.Now()
	}
	w.msg.Date = w.msg.Date.Truncate(time.Second)
	if w.msg.MessageID == "" {
		w.msg.MessageID = newMessageID(m.From.Addr)
	} else {
		w.msg.MessageID = "<" + strings.TrimSuffix(strings.TrimPrefix(w.msg.MessageID, "<"), ">") + ">"
	}

	body := w.layoutBody(sizes)
	w.segs = appendLit(nil, w.headers(opt, body.header))
	w.segs = append(w.segs, body.segs...)
	// The message ends with a line break, whatever the body ends with.
	if last := &w.segs[len(w.segs)-1]; !bytes.HasSuffix(last.lit, []byte("\r\n")) {
		last.lit = append(last.lit, '\r', '\n')
	}
	for _, s := range w.segs {
		if s.att != nil {
			w.size += base64Size(s.att.size)
		} else {
			w.size += int64(len(s.lit))
		}
	}
	return w, nil
}

// Message returns the message as written, with its Date and Message-ID
// filled in: save the Sent copy from it so both carry the same Message-ID.
func (w *Writer) Message() *Message {
	m := w.msg
	return &m
}

// MessageID returns the Message-ID header value, with its angle brackets.
func (w *Writer) MessageID() string { return w.msg.MessageID }

// Size returns the exact number of bytes WriteTo writes. It is computed from
// the attachment sizes seen by NewWriter, without reading them.
func (w *Writer) Size() int64 { return w.size }

// appendLit appends literal bytes to segs, joining them to a literal
// segment at the end.
func appendLit(segs []segment, b []byte) []segment {
	if n := len(segs); n > 0 && segs[n-1].att == nil {
		segs[n-1].lit = append(segs[n-1].lit, b...)
		return segs
	}
	return append(segs, segment{lit: append([]byte(nil), b...)})
}

// headers returns the top-level header section: the message's fields,
// MIME-Version, then entity (the body's Content-* fields and the blank line
// that ends the section).
func (w *Writer) headers(opt WriteOptions, entity []byte) []byte {
	m := &w.msg
	var h headerBuilder
	h.field("Date")
	h.token(" ", m.Date.Format(time.RFC1123Z))
	h.end()
	h.field("From")
	h.address(m.From)
	h.end()
	switch {
	case len(m.To) > 0:
		h.field("To")
		h.addressList(m.To)
		h.end()
	case len(m.Cc) == 0:
		// RFC 5322 §A.1.3: only blind recipients.
		h.field("To")
		h.token(" ", "undisclosed-recipients:;")
		h.end()
	}
	if len(m.Cc) > 0 {
		h.field("Cc")
		h.addressList(m.Cc)
		h.end()
	}
	if opt.KeepBcc && len(m.Bcc) > 0 {
		h.field("Bcc")
		h.addressList(m.Bcc)
		h.end()
	}
	if len(m.ReplyTo) > 0 {
		h.field("Reply-To")
		h.addressList(m.ReplyTo)
		h.end()
	}
	h.field("Subject")
	h.text(m.Subject)
	h.end()
	h.field("Message-ID")
	h.token(" ", m.MessageID)
	h.end()
	for _, x := range m.Headers {
		h.field(x.Name)
		h.text(x.Value)
		h.end()
	}
	h.field("MIME-Version")
	h.token(" ", "1.0")
	h.end()
	h.b = append(h.b, entity...)
	return h.b
}

// entity is a laid-out MIME entity: its Content-* header fields (ending
// with the blank line) and its body.
type entity struct {
	header []byte
	segs   []segment
}

// layoutBody lays out the body: a text part, an HTML alternative (given,
// or rendered from Markdown text), and the attachments in a
// multipart/mixed around them.
func (w *Writer) layoutBody(sizes []int64) entity {
	m := &w.msg
	html := m.HTML
	if m.Markdown && m.Text != "" {
		html = MarkdownHTML(m.Text)
	}
	var parts []entity
	switch {
	case html != "" && m.Text != "":
		parts = append(parts, w.multipart("alternative", textEntity("plain", m.Text), textEntity("html", html)))
	case html != "":
		parts = append(parts, textEntity("html", html))
	case m.Text != "" || len(m.Attachments) == 0:
		parts = append(parts, textEntity("plain", m.Text))
	}
	for i := range m.Attachments {
		parts = append(parts, attachmentEntity(&m.Attachments[i], sizes[i]))
	}
	if len(parts) == 1 && len(m.Attachments) == 0 {
		return parts[0]
	}
	return w.multipart("mixed", parts...)
}

// multipart lays out a multipart entity (RFC 2046 §5.1.1). The boundary
// contains "=_", which quoted-printable and base64 never produce, and is
// checked against the literal parts anyway.
func (w *Writer) multipart(subtype string, parts ...entity) entity {
	var b string
	for {
		b = "=_" + randomString(18) + "_" + subtype[:3]
		clash := false
		for _, p := range parts {
			for _, s := range p.segs {
				clash = clash || bytes.Contains(s.lit, []byte(b))
			}
		}
		if !clash {
			break
		}
	}
	var e entity
	e.header = []byte("Content-Type: multipart/" + subtype + ";\r\n boundary=\"" + b + "\"\r\n\r\n")
	lit := func(s string) { e.segs = appendLit(e.segs, []byte(s)) }
	if subtype == "mixed" {
		lit("This is a multi-part message in MIME format.\r\n")
	}
	for _, p := range parts {
		lit("--" + b + "\r\n")
		lit(string(p.header))
		for _, s := range p.segs {
			if s.att != nil {
				e.segs = append(e.segs, s)
			} else {
				e.segs = appendLit(e.segs, s.lit)
			}
		}
		lit("\r\n")
	}
	lit("--" + b + "--\r\n")
	return e
}

// WriteTo writes the message to dst: exactly Size() bytes, CRLF line
// endings, every line at most 998 octets. Attachment files are streamed in
// large blocks with constant memory. Before the first byte it checks that
// every file still has the size the layout was made for; while streaming it
// checks again. If a file vanished, became unreadable or changed size, it
// returns an *AttachmentError and the output so far is an incomplete
// message that must not be delivered (an SMTP client must abort DATA).
func (w *Writer) WriteTo(dst io.Writer) (int64, error) {
	for _, s := range w.segs {
		if s.att != nil && s.att.path != "" {
			if err := s.att.check(); err != nil {
				return 0, err
			}
		}
	}
	// No extra buffering: literal parts are already whole, and attachments
	// are written in blocks of a few hundred KiB.
	cw := &countWriter{w: dst}
	var enc *encoder // only when there is something to encode
	defer func() {
		if enc != nil {
			putEncoder(enc)
		}
	}()
	for _, s := range w.segs {
		var err error
		if s.att == nil {
			_, err = cw.Write(s.lit)
		} else {
			if enc == nil {
				enc = getEncoder()
			}
			err = enc.encode(cw, s.att)
		}
		if err != nil {
			return cw.n, err
		}
	}
	if cw.n != w.size {
		// Cannot happen unless the layout is wrong; never pretend success.
		return cw.n, fmt.Errorf("compose: wrote %d bytes, laid out %d", cw.n, w.size)
	}
	return cw.n, nil
}

// check compares the file with the size the layout was made for.
func (s *source) check() error {
	fi, err := os.Stat(s.path)
	if err != nil {
		return &AttachmentError{Name: s.name, Path: s.path, Want: s.size, Got: -1, Err: err}
	}
	if fi.Size() != s.size {
		return &AttachmentError{Name: s.name, Path: s.path, Want: s.size, Got: fi.Size()}
	}
	return nil
}

// open returns the content of the attachment.
func (s *source) open() (io.ReadCloser, error) {
	if s.path == "" {
		return io.NopCloser(bytes.NewReader(s.data)), nil
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, &AttachmentError{Name: s.name, Path: s.path, Want: s.size, Got: -1, Err: err}
	}
	if fi, err := f.Stat(); err != nil || fi.Size() != s.size {
		f.Close()
		if err != nil {
			return nil, &AttachmentError{Name: s.name, Path: s.path, Want: s.size, Got: -1, Err: err}
		}
		return nil, &AttachmentError{Name: s.name, Path: s.path, Want: s.size, Got: fi.Size()}
	}
	return f, nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// SaveEML writes m to path as an .eml file with the same writer that sends
// it, atomically: a temporary file in the same folder, flushed to disk, then
// renamed over path. On any error path is left as it was.
func SaveEML(path string, m *Message, opt WriteOptions) error {
	w, err := m.NewWriter(opt)
	if err != nil {
		return err
	}
	return w.Save(path)
}

// Save writes the message to path atomically, like SaveEML.
func (w *Writer) Save(path string) error {
	return SaveRaw(path, w)
}

// SaveRaw writes what src writes to path atomically: a temporary file in
// the same folder, flushed to disk, then renamed over path. On any error
// path is left as it was. It saves a finished message (an .eml file being
// copied, or a *Writer) as is.
func SaveRaw(path string, src io.WriterTo) error {
	return atomicfile.Write(path, 0o600, func(f io.Writer) error {
		_, err := src.WriteTo(f)
		return err
	})
}

// newMessageID returns <random@domain> with the sender's domain as A-labels
// (RFC 5322 §3.6.4).
func newMessageID(from string) string {
	_, domain := splitAddr(from)
	d, err := wireDomain(domain)
	if err != nil || d == "" || strings.HasPrefix(d, "[") {
		d = "stamp.invalid"
	}
	return "<" + randomString(26) + "@" + d + ">"
}

var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// randomString returns n random characters of [a-z2-7].
func randomString(n int) string {
	b := make([]byte, (n*5+7)/8)
	rand.Read(b)
	return lowerBase32.EncodeToString(b)[:n]
}
