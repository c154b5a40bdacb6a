package compose

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"mime"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestWriterHeaders(t *testing.T) {
	date := time.Date(2026, 3, 14, 15, 9, 26, 0, time.FixedZone("", 3600))
	m := &Message{
		From:      Address{"Ann Sender", "ann@example.com"},
		To:        []Address{{"Bob", "bob@example.com"}, {"", "carol@example.com"}},
		Cc:        []Address{{"Dan, the Boss", "dan@example.com"}},
		Bcc:       []Address{{"Secret Eve", "eve@example.com"}},
		ReplyTo:   []Address{{"", "replies@example.com"}},
		Subject:   "Quarterly numbers",
		Text:      "See attached.\n",
		Headers:   []Header{{"In-Reply-To", "<prev@example.com>"}, {"References", "<first@example.com> <prev@example.com>"}},
		Date:      date,
		MessageID: "fixed-id@example.com",
	}
	p, w := writeMessage(t, m, WriteOptions{})
	checkHeaderFolding(t, p.raw)

	if got := p.addresses(t, "From"); !reflect.DeepEqual(got, []Address{m.From}) {
		t.Errorf("From = %v", got)
	}
	if got := p.addresses(t, "To"); !reflect.DeepEqual(got, m.To) {
		t.Errorf("To = %v, want %v", got, m.To)
	}
	if got := p.addresses(t, "Cc"); !reflect.DeepEqual(got, m.Cc) {
		t.Errorf("Cc = %v, want %v", got, m.Cc)
	}
	if got := p.addresses(t, "Reply-To"); !reflect.DeepEqual(got, m.ReplyTo) {
		t.Errorf("Reply-To = %v, want %v", got, m.ReplyTo)
	}
	if p.header.Has("Bcc") || bytes.Contains(p.raw, []byte("eve@example.com")) || bytes.Contains(p.raw, []byte("Secret Eve")) {
		t.Errorf("the Bcc recipient shows in the message:\n%s", p.raw)
	}
	env, err := m.Envelope()
	if err != nil || !reflect.DeepEqual(env.To, []string{"bob@example.com", "carol@example.com", "dan@example.com", "eve@example.com"}) {
		t.Errorf("envelope = %v, %v; the Bcc recipient must be in it", env, err)
	}
	if got := p.subject(t); got != m.Subject {
		t.Errorf("Subject = %q", got)
	}
	if got, err := p.header.Date(); err != nil || !got.Equal(date) {
		t.Errorf("Date = %v, %v; want %v", got, err, date)
	}
	if got, err := p.header.MessageID(); err != nil || got != "fixed-id@example.com" {
		t.Errorf("Message-ID = %q, %v", got, err)
	}
	if w.MessageID() != "<fixed-id@example.com>" {
		t.Errorf("Writer.MessageID() = %q", w.MessageID())
	}
	if got, _ := p.header.MsgIDList("References"); !reflect.DeepEqual(got, []string{"first@example.com", "prev@example.com"}) {
		t.Errorf("References = %q", got)
	}
	if got := p.header.Get("In-Reply-To"); got != "<prev@example.com>" {
		t.Errorf("In-Reply-To = %q", got)
	}
	if got := p.header.Get("MIME-Version"); got != "1.0" {
		t.Errorf("MIME-Version = %q", got)
	}
	if p.text != "See attached.\r\n" {
		t.Errorf("text = %q", p.text)
	}
	if got := p.header.Get("Content-Transfer-Encoding"); got != "7bit" {
		t.Errorf("a short ASCII body is sent as %q, want 7bit", got)
	}
}

func TestWriterBcc(t *testing.T) {
	tests := []struct {
		name    string
		to, cc  []Address
		keepBcc bool
		wantTo  string // raw To header value ("" = none)
		wantBcc bool
	}{
		{"bcc recipient is in the envelope but not in the headers",
			[]Address{{"", "to@example.com"}}, nil, false, "to@example.com", false},
		{"only bcc recipients make the To header undisclosed-recipients",
			nil, nil, false, "undisclosed-recipients:;", false},
		{"with a Cc but no To there is no To header",
			nil, []Address{{"", "cc@example.com"}}, false, "", false},
		{"the saved Sent copy keeps Bcc when asked",
			[]Address{{"", "to@example.com"}}, nil, true, "to@example.com", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMessage()
			m.To, m.Cc = tt.to, tt.cc
			m.Bcc = []Address{{"Hidden Person", "hidden@example.com"}}
			p, _ := writeMessage(t, m, WriteOptions{KeepBcc: tt.keepBcc})
			if got := p.header.Get("To"); got != tt.wantTo {
				t.Errorf("To = %q, want %q", got, tt.wantTo)
			}
			if got := bytes.Contains(p.raw, []byte("hidden@example.com")); got != tt.wantBcc {
				t.Errorf("the Bcc address shows in the message: %v, want %v", got, tt.wantBcc)
			}
			if tt.wantBcc {
				if got := p.addresses(t, "Bcc"); !reflect.DeepEqual(got, m.Bcc) {
					t.Errorf("Bcc = %v", got)
				}
			}
			env, _ := m.Envelope()
			if env.To[len(env.To)-1] != "hidden@example.com" {
				t.Errorf("envelope %v lacks the Bcc recipient", env.To)
			}
		})
	}
}

func TestWriterSubjectsAndNames(t *testing.T) {
	texts := []struct{ name, s string }{
		{"plain ASCII", "Lunch on Friday?"},
		{"accents", "Réunion à l'hôtel — café crème"},
		{"Chinese", "关于下周会议的安排和准备工作"},
		{"emoji", "Party 🎉🎂 tonight 🥳"},
		{"mixed scripts", "Re: Ελληνικά, русский, עברית, 日本語 and ASCII"},
		{"very long ASCII", strings.Repeat("word ", 60) + "end"},
		{"very long Chinese", strings.Repeat("长主题", 80)},
		{"very long emoji", strings.Repeat("😀", 100)},
		{"something that looks like an encoded word", "=?UTF-8?Q?not_really?= =?"},
		{"a very long word without spaces", strings.Repeat("x", 300)},
		{"quotes, commas and angle brackets", `"Hi", <there>, (you); ok\`},
		{"tabs and several spaces inside", "a\tb   c"},
		{"control characters", "bell\x07 escape\x1b del\x7f"},
	}
	for _, tt := range texts {
		t.Run("subject with "+tt.name+" decodes to the original", func(t *testing.T) {
			m := validMessage()
			m.Subject = tt.s
			p, _ := writeMessage(t, m, WriteOptions{})
			if got := p.subject(t); got != tt.s {
				t.Errorf("Subject reads back as\n%q\nwant\n%q\nraw %q", got, tt.s, p.header.Get("Subject"))
			}
			if !strings.Contains(tt.name, "without spaces") {
				checkHeaderFolding(t, p.raw)
			}
			checkEncodedWords(t, p.raw)
		})
		t.Run("display name with "+tt.name+" decodes to the original", func(t *testing.T) {
			if strings.ContainsAny(tt.s, "\t\x07") || strings.Contains(tt.s, "   ") {
				t.Skip("a display name with control characters or runs of spaces is not kept exactly")
			}
			m := validMessage()
			m.From.Name = tt.s
			m.To = []Address{{tt.s, "a@example.com"}, {"Second", "b@example.com"}}
			p, _ := writeMessage(t, m, WriteOptions{})
			if got := p.addresses(t, "From"); len(got) != 1 || got[0] != m.From {
				t.Errorf("From reads back as %q, want %q (raw %q)", got, m.From, p.header.Get("From"))
			}
			if got := p.addresses(t, "To"); !reflect.DeepEqual(got, m.To) {
				t.Errorf("To reads back as %q, want %q", got, m.To)
			}
			if !strings.Contains(tt.name, "without spaces") {
				checkHeaderFolding(t, p.raw)
			}
			checkEncodedWords(t, p.raw)
		})
	}
}

// encodedWord matches an RFC 2047 encoded word as the writer makes them.
var encodedWord = regexp.MustCompile(`=\?UTF-8\?[BQ]\?[^?\s]*\?=`)

// checkEncodedWords checks that every encoded word is at most 75
// characters (RFC 2047 §2) and decodes on its own to valid UTF-8: no word
// splits a character.
func checkEncodedWords(t testing.TB, raw []byte) {
	t.Helper()
	var dec mime.WordDecoder
	for _, w := range encodedWord.FindAllString(string(raw), -1) {
		if len(w) > 75 {
			t.Errorf("encoded word is %d characters: %s", len(w), w)
		}
		s, err := dec.Decode(w)
		if err != nil || !utf8.ValidString(s) {
			t.Errorf("encoded word %s decodes to %q, %v: a character is split", w, s, err)
		}
	}
}

func TestWriterInternationalAddresses(t *testing.T) {
	m := validMessage()
	m.From = Address{"Jürgen", "juergen@bücher.de"}
	m.To = []Address{{"", "用户@例子.中国"}, {"", "ascii@münchen.example"}}
	p, _ := writeMessage(t, m, WriteOptions{})
	if got := p.addresses(t, "From"); !reflect.DeepEqual(got, []Address{{"Jürgen", "juergen@xn--bcher-kva.de"}}) {
		t.Errorf("From = %v; an ASCII local part gets a punycode domain", got)
	}
	if got := p.header.Get("To"); got != "用户@例子.中国, ascii@xn--mnchen-3ya.example" {
		t.Errorf("To = %q; a UTF-8 local part is written as UTF-8 (RFC 6532)", got)
	}
	env, _ := m.Envelope()
	if !env.SMTPUTF8 {
		t.Errorf("envelope does not ask for SMTPUTF8")
	}
	if id, _ := p.header.MessageID(); !strings.HasSuffix(id, "@xn--bcher-kva.de") {
		t.Errorf("Message-ID %q is not at the sender's domain in punycode", id)
	}
}

func TestWriterBodies(t *testing.T) {
	tests := []struct {
		name, text, html string
		wantTypes        []string
		wantCTE          string // of the text part
	}{
		{"short ASCII text is sent as 7bit", "Hello,\n\nsee you.\n", "", []string{"text/plain"}, "7bit"},
		{"accented text is sent as quoted-printable", "Grüße aus Köln\n", "", []string{"text/plain"}, "quoted-printable"},
		{"Chinese text is sent as base64, which is shorter", strings.Repeat("中文正文内容。", 40), "", []string{"text/plain"}, "base64"},
		{"a long ASCII line is sent as quoted-printable", strings.Repeat("long line ", 50) + "\n", "", []string{"text/plain"}, "quoted-printable"},
		{"bare LF and bare CR become CRLF", "one\ntwo\rthree\r\nfour", "", []string{"text/plain"}, "7bit"},
		{"trailing spaces survive", "spaces at the end   \nand a tab\t\n", "", []string{"text/plain"}, ""},
		{"a line that starts with a dot or From survives", ".\n.hidden\nFrom here\n", "", []string{"text/plain"}, "7bit"},
		{"an empty body is fine", "", "", []string{"text/plain"}, "7bit"},
		{"an HTML body makes multipart/alternative with text first", "Hi *there*", "<p>Hi <b>there</b> — ok</p>", []string{"text/plain", "text/html"}, ""},
		{"an HTML body alone is a single text/html part", "", "<p>only html</p>", []string{"text/html"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMessage()
			m.Text, m.HTML = tt.text, tt.html
			p, _ := writeMessage(t, m, WriteOptions{})
			if !reflect.DeepEqual(p.partTypes, tt.wantTypes) {
				t.Errorf("parts = %v, want %v", p.partTypes, tt.wantTypes)
			}
			if got := strings.TrimSuffix(p.text, "\r\n"); got != bodyText(tt.text) {
				t.Errorf("text reads back as %q, want %q", got, bodyText(tt.text))
			}
			if got := strings.TrimSuffix(p.html, "\r\n"); got != bodyText(tt.html) {
				t.Errorf("html reads back as %q, want %q", got, bodyText(tt.html))
			}
			if tt.wantCTE != "" && !bytes.Contains(p.raw, []byte("Content-Transfer-Encoding: "+tt.wantCTE+"\r\n")) {
				t.Errorf("text is not sent as %s:\n%s", tt.wantCTE, p.raw)
			}
		})
	}
}

func TestWriterAttachments(t *testing.T) {
	dir := t.TempDir()
	random := make([]byte, 1<<20+7)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), random[:100]...)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	long := strings.Repeat("a", 196) + ".txt"
	tests := []struct {
		name     string
		att      Attachment
		data     []byte
		wantName string
		wantType string
	}{
		{"a PDF from disk keeps its bytes and name", Attachment{Path: write("report.pdf", random[:5000])}, random[:5000], "report.pdf", "application/pdf"},
		{"a Chinese file name decodes to the original", Attachment{Path: write("季度报告.pdf", random[:100])}, random[:100], "季度报告.pdf", "application/pdf"},
		{"a file name with spaces and quotes decodes to the original", Attachment{Path: write(`my "final" draft (2).txt`, []byte("hi"))}, []byte("hi"), `my "final" draft (2).txt`, "text/plain"},
		{"a 200-character file name decodes to the original", Attachment{Path: write(long, []byte("long"))}, []byte("long"), long, "text/plain"},
		{"a 200-character Chinese file name decodes to the original", Attachment{Name: strings.Repeat("文", 196) + ".bin", Data: []byte{1, 2, 3}}, []byte{1, 2, 3}, strings.Repeat("文", 196) + ".bin", "application/octet-stream"},
		{"an emoji file name decodes to the original", Attachment{Name: "party 🎉 photo.png", Data: png}, png, "party 🎉 photo.png", "image/png"},
		{"a name with percent signs and apostrophes decodes", Attachment{Name: "100% it's ok';.txt", Data: []byte("x")}, []byte("x"), "100% it's ok';.txt", "text/plain"},
		{"an empty file is attached as empty", Attachment{Path: write("empty.dat", nil)}, nil, "empty.dat", "application/octet-stream"},
		{"a megabyte of random bytes arrives intact", Attachment{Path: write("random.bin", random)}, random, "random.bin", "application/octet-stream"},
		{"a file without extension is sniffed", Attachment{Path: write("picture", png)}, png, "picture", "image/png"},
		{"an unknown binary file is application/octet-stream", Attachment{Path: write("blob.zzunknown", random[:300])}, random[:300], "blob.zzunknown", "application/octet-stream"},
		{"an explicit content type wins", Attachment{Name: "data.txt", ContentType: "application/json", Data: []byte("{}")}, []byte("{}"), "data.txt", "application/json"},
		{"the Name overrides the file's own name", Attachment{Path: write("tmp123.pdf", random[:10]), Name: "Invoice.pdf"}, random[:10], "Invoice.pdf", "application/pdf"},
		{"bytes in memory are attached", Attachment{Name: "note.txt", Data: []byte("in memory\n")}, []byte("in memory\n"), "note.txt", "text/plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMessage()
			m.Attachments = []Attachment{tt.att}
			p, _ := writeMessage(t, m, WriteOptions{})
			checkHeaderFolding(t, p.raw)
			checkEncodedWords(t, p.raw)
			if len(p.attachments) != 1 {
				t.Fatalf("%d attachments read back, want 1", len(p.attachments))
			}
			a := p.attachments[0]
			if !bytes.Equal(a.data, tt.data) {
				t.Errorf("attachment bytes differ: %d bytes read back, want %d", len(a.data), len(tt.data))
			}
			if a.filename != tt.wantName {
				t.Errorf("filename (Content-Disposition) = %q, want %q", a.filename, tt.wantName)
			}
			if a.name != tt.wantName {
				t.Errorf("name (Content-Type) = %q, want %q", a.name, tt.wantName)
			}
			if a.contentType != tt.wantType {
				t.Errorf("content type = %q, want %q", a.contentType, tt.wantType)
			}
			if p.text != "Hi there.\r\n" {
				t.Errorf("the text before the attachment reads %q", p.text)
			}
			if !reflect.DeepEqual(p.partTypes[0], "text/plain") {
				t.Errorf("first part is %v", p.partTypes)
			}
		})
	}
}

func TestWriterManyParts(t *testing.T) {
	m := validMessage()
	m.HTML = "<p>Hi there.</p>"
	m.Attachments = []Attachment{
		{Name: "a.txt", Data: []byte("first")},
		{Name: "b.bin", Data: bytes.Repeat([]byte{0xff}, 1000)},
		{Name: "c.txt", Data: nil},
	}
	p, _ := writeMessage(t, m, WriteOptions{})
	want := []string{"text/plain", "text/html", "text/plain", "application/octet-stream", "text/plain"}
	if !reflect.DeepEqual(p.partTypes, want) {
		t.Errorf("parts = %v, want %v", p.partTypes, want)
	}
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/mixed;") {
		t.Errorf("top-level Content-Type = %q", ct)
	}
	for i, a := range m.Attachments {
		if !bytes.Equal(p.attachments[i].data, a.Data) || p.attachments[i].filename != a.Name {
			t.Errorf("attachment %d reads back as %q %q", i, p.attachments[i].filename, p.attachments[i].data)
		}
	}
}

func TestWriterOnlyAttachments(t *testing.T) {
	m := validMessage()
	m.Text = ""
	m.Attachments = []Attachment{{Name: "a.pdf", Data: []byte("%PDF")}}
	p, _ := writeMessage(t, m, WriteOptions{})
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/mixed;") {
		t.Errorf("an attachment without text is still multipart/mixed, got %q", ct)
	}
	if len(p.attachments) != 1 || string(p.attachments[0].data) != "%PDF" {
		t.Errorf("attachments = %+v", p.attachments)
	}
}

func TestWriterSizeMatchesForEveryLength(t *testing.T) {
	// Every remainder of the 57-byte base64 line and of the 3-byte group.
	for n := 0; n <= 3*57+3; n++ {
		m := validMessage()
		m.Attachments = []Attachment{{Name: "x.bin", Data: bytes.Repeat([]byte{'z'}, n)}}
		p, _ := writeMessage(t, m, WriteOptions{})
		if got := len(p.attachments[0].data); got != n {
			t.Fatalf("%d bytes attached, %d read back", n, got)
		}
	}
}

func TestWriterFileChangedAfterLayout(t *testing.T) {
	tests := []struct {
		name   string
		change func(path string) error
		want   string
	}{
		{"a file that shrank fails the write", func(p string) error { return os.WriteFile(p, []byte("short"), 0o644) }, "now 5"},
		{"a file that grew fails the write", func(p string) error { return os.WriteFile(p, bytes.Repeat([]byte("x"), 5000), 0o644) }, "now 5,000 bytes"},
		{"a file that vanished fails the write", os.Remove, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "doc.txt")
			if err := os.WriteFile(path, bytes.Repeat([]byte("y"), 1000), 0o644); err != nil {
				t.Fatal(err)
			}
			m := validMessage()
			m.Attachments = []Attachment{{Path: path}}
			w, err := m.NewWriter(WriteOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.change(path); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			n, err := w.WriteTo(&buf)
			var ae *AttachmentError
			if !errors.As(err, &ae) {
				t.Fatalf("WriteTo error = %v, want an *AttachmentError", err)
			}
			if ae.Path != path || !strings.Contains(err.Error(), "doc.txt") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name the file or say what happened (%q)", err, tt.want)
			}
			if n != 0 || buf.Len() != 0 {
				t.Errorf("%d bytes written before the change was noticed", buf.Len())
			}
		})
	}
}

func TestWriterFileChangedWhileStreaming(t *testing.T) {
	// Content that changes after the up-front check: the encoder reads
	// fewer or more bytes than laid out and must fail, not pad or cut.
	tests := []struct {
		name      string
		have, lay int
		want      string
	}{
		{"content shorter than laid out fails", 1000, 2000, "became shorter"},
		{"content longer than laid out fails", 1000, 500, "became longer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &source{name: "doc.txt", data: bytes.Repeat([]byte("y"), tt.have), size: int64(tt.lay)}
			enc := getEncoder()
			defer putEncoder(enc)
			err := enc.encode(io.Discard, src)
			var ae *AttachmentError
			if !errors.As(err, &ae) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `"doc.txt"`) {
				t.Fatalf("encode error = %v, want an *AttachmentError saying %q", err, tt.want)
			}
		})
	}
}

func TestWriterWritesAgainIdentically(t *testing.T) {
	m := validMessage()
	m.Attachments = []Attachment{{Name: "a.bin", Data: []byte("abc")}}
	w, err := m.NewWriter(WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	w.WriteTo(&a)
	w.WriteTo(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("a second WriteTo (a retry) wrote different bytes")
	}
	// The Sent copy made from Writer.Message has the same Message-ID and Date.
	p, _ := writeMessage(t, w.Message(), WriteOptions{KeepBcc: true})
	id, _ := p.header.MessageID()
	if "<"+id+">" != w.MessageID() || !strings.Contains(a.String(), "Date: "+p.header.Get("Date")+"\r\n") {
		t.Errorf("the Sent copy has Message-ID %q, sent %q", id, w.MessageID())
	}
}

func TestSaveEML(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sent.eml")
	m := validMessage()
	m.Bcc = []Address{{"", "hidden@example.com"}}
	if err := SaveEML(path, m, WriteOptions{KeepBcc: true}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, raw)
	p := parseMessage(t, raw)
	if got := p.addresses(t, "Bcc"); len(got) != 1 || got[0].Addr != "hidden@example.com" {
		t.Errorf("the saved copy lost its Bcc: %v", got)
	}

	// A failed save leaves the old file and no temporary file behind.
	gone := filepath.Join(dir, "gone.pdf")
	os.WriteFile(gone, []byte("x"), 0o644)
	m.Attachments = []Attachment{{Path: gone}}
	w, err := m.NewWriter(WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(gone)
	if err := w.Save(path); err == nil {
		t.Fatal("Save succeeded without its attachment")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(after, raw) {
		t.Errorf("a failed save changed the existing file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files left in the folder: %v", names)
	}

	// An invalid message is not saved at all.
	if err := SaveEML(filepath.Join(dir, "bad.eml"), &Message{}, WriteOptions{}); err == nil {
		t.Error("an invalid message was saved")
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.eml")); err == nil {
		t.Error("bad.eml exists")
	}
}
