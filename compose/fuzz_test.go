package compose

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// FuzzParseAddressList checks that whatever people type, parsing never
// panics, every address it accepts is one the writer can write and the
// validator accepts, and what the writer makes of it parses back to the
// same address.
func FuzzParseAddressList(f *testing.F) {
	for _, s := range []string{
		"bob@example.com",
		`Name <a@b.example>, c@d.example; "Last, First" <e@f.example>,`,
		`"quoted \"name\"" <x@y.example>`,
		"Zoë <z@bücher.de>; 用户@例子.中国",
		"a@b (comment, with comma)",
		"<a@[127.0.0.1]>",
		"=?UTF-8?Q?Caf=C3=A9?= <c@example.com>",
		"bob@, @x, <>, ;;,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		list, err := ParseAddressList("To", s)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error %v is not a *ValidationError with problems", err)
			}
			for _, p := range ve.Problems {
				if p.Field != "To" || p.Reason == "" {
					t.Fatalf("problem %+v does not name its field and reason", p)
				}
			}
		}
		for _, a := range list {
			var v validator
			v.address("To", a)
			if len(v.problems) > 0 {
				t.Fatalf("parsed %+v from %q, but validation says %v", a, s, v.problems[0])
			}
			wire, _, err := wireAddr(a.Addr)
			if err != nil {
				t.Fatalf("parsed %+v, but it has no wire form: %v", a, err)
			}
			back, err := ParseAddressList("To", a.String())
			if err != nil || len(back) != 1 {
				t.Fatalf("%+v written as %q parses back as %v, %v", a, a.String(), back, err)
			}
			if w2, _, _ := wireAddr(back[0].Addr); w2 != wire || back[0].Name != normalizeName(a.Name) {
				t.Fatalf("%+v written as %q parses back as %+v", a, a.String(), back[0])
			}
		}
	})
}

// normalizeName is a display name as parsers give it back: surrounding
// white space is not significant.
func normalizeName(s string) string { return strings.TrimSpace(s) }

// FuzzEncodeHeader checks that any header text is written as lines of at
// most 998 octets (78 wherever there is a place to fold), with CRLF only,
// and that an independent parser decodes it to the original text.
func FuzzEncodeHeader(f *testing.F) {
	for _, s := range []string{
		"Hello",
		"Réunion à l'hôtel — café crème",
		"关于下周会议的安排和准备工作",
		"Party 🎉🎂 tonight 🥳",
		strings.Repeat("word ", 60),
		strings.Repeat("x", 300),
		"=?UTF-8?Q?not_really?= =?",
		"a\tb   c  ",
		"bell\x07 esc\x1b",
		strings.Repeat(" ", 100) + "x" + strings.Repeat("\t", 100) + "é",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n\x00") {
			var v validator
			v.headerText("Subject", s)
			if len(v.problems) == 0 {
				t.Fatalf("%q is accepted as header text", s)
			}
			return
		}
		var h headerBuilder
		h.field("Subject")
		h.text(s)
		h.end()
		raw := h.b
		longPlain := false
		for _, w := range strings.Fields(s) {
			longPlain = longPlain || len(w) > foldAt-10 && !needsEncoding(w)
		}
		for _, line := range bytes.Split(bytes.TrimSuffix(raw, []byte("\r\n")), []byte("\r\n")) {
			if bytes.ContainsAny(line, "\r\n") || len(line) > 998 {
				t.Fatalf("bad line %q in %q", line, raw)
			}
			if len(line) > foldAt && !longPlain {
				t.Fatalf("line of %d characters %q", len(line), line)
			}
		}
		checkEncodedWords(t, raw)
		hdr, err := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(append(raw, "\r\n"...))))
		if err != nil {
			t.Fatalf("go-message cannot read %q: %v", raw, err)
		}
		mh := message.Header{Header: hdr}
		got, err := mh.Text("Subject")
		if err != nil {
			t.Fatalf("go-message cannot decode %q: %v", raw, err)
		}
		if want := strings.Trim(s, " \t"); got != want {
			t.Fatalf("%q decodes to\n%q, want\n%q", raw, got, want)
		}
	})
}

// FuzzWriter writes whole messages and reads them back with go-message:
// subject, names, bodies, attachment name and bytes must survive, and the
// output must be exactly Size() bytes of CRLF lines of at most 998 octets.
func FuzzWriter(f *testing.F) {
	f.Add("Hello", "Ann", "Hi there.\n", "", "a.txt", []byte("data"))
	f.Add("Réunion 📅", "Zoë \"Z\" Ünïcode", "Grüße\r\naus Köln", "<p>Grüße</p>", "季度报告 final.pdf", []byte{0, 1, 2, 255})
	f.Add(strings.Repeat("长主题", 40), strings.Repeat("名", 100), strings.Repeat("long line ", 30), "", strings.Repeat("n", 200), bytes.Repeat([]byte{7}, 1000))
	f.Add("", "", "", "<b>only html</b>", "", []byte(nil))
	f.Add("=?x?=", "Last, First", ".\n..\nFrom x\n", "", `q"uo\te.txt`, []byte("\r\n"))
	f.Fuzz(func(t *testing.T, subject, name, text, html, attName string, data []byte) {
		m := &Message{
			From:    Address{name, "sender@example.com"},
			To:      []Address{{name, "to@example.com"}},
			Bcc:     []Address{{"", "hidden@example.com"}},
			Subject: subject,
			Text:    text,
			HTML:    html,
		}
		if attName != "" || len(data) > 0 {
			m.Attachments = []Attachment{{Name: attName, Data: data}}
		}
		w, err := m.NewWriter(WriteOptions{})
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("NewWriter error %v is not a *ValidationError", err)
			}
			return
		}
		var buf bytes.Buffer
		if n, err := w.WriteTo(&buf); err != nil || n != w.Size() {
			t.Fatalf("WriteTo = %d, %v; Size() = %d", n, err, w.Size())
		}
		checkLines(t, buf.Bytes())
		if bytes.Contains(buf.Bytes(), []byte("hidden@example.com")) {
			t.Fatalf("the Bcc recipient is in the message")
		}
		p := parseMessage(t, buf.Bytes())
		if got, want := p.subject(t), strings.Trim(subject, " \t"); got != want {
			t.Fatalf("subject %q reads back as %q", want, got)
		}
		if from := p.addresses(t, "From"); len(from) != 1 || from[0].Name != normalizeName(name) {
			t.Fatalf("name %q reads back as %+v from %q", name, from, p.header.Get("From"))
		}
		if got, want := strings.TrimSuffix(p.text, "\r\n"), bodyText(text); got != want {
			t.Fatalf("text %q reads back as %q", want, got)
		}
		if got, want := strings.TrimSuffix(p.html, "\r\n"), bodyText(html); got != want {
			t.Fatalf("html %q reads back as %q", want, got)
		}
		if len(m.Attachments) > 0 {
			if len(p.attachments) != 1 {
				t.Fatalf("%d attachments read back", len(p.attachments))
			}
			a := p.attachments[0]
			if !bytes.Equal(a.data, data) {
				t.Fatalf("attachment bytes differ")
			}
			want := m.Attachments[0].displayName()
			// go-message decodes RFC 2047 even inside RFC 2231 values, so
			// a name that looks like an encoded word cannot survive it.
			if a.filename != want && !strings.Contains(want, "=?") {
				t.Fatalf("file name %q reads back as %q", want, a.filename)
			}
		}
	})
}
