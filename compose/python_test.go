package compose

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// pythonReader is Python's email package, a second independent parser
// (the one behind many mail tools and servers): it prints what it reads as
// JSON.
const pythonReader = `
import base64, email, email.policy, json, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
out = {
    'subject': str(m['subject']),
    'from': [[a.display_name, a.addr_spec] for a in m['from'].addresses],
    'to': [[a.display_name, a.addr_spec] for a in m['to'].addresses] if m['to'] else [],
    'cc': [[a.display_name, a.addr_spec] for a in m['cc'].addresses] if m['cc'] else [],
    'has_bcc': m['bcc'] is not None,
    'text': m.get_body(('plain',)).get_content(),
    'html': m.get_body(('html',)).get_content() if m.get_body(('html',)) else '',
    'attachments': [[p.get_filename(), p.get_content_type(), base64.b64encode(p.get_payload(decode=True)).decode()]
                    for p in m.iter_attachments()],
    'defects': [str(d) for p in m.walk() for d in p.defects],
}
json.dump(out, sys.stdout)
`

func TestPythonEmailReadsWhatWeWrite(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	m := &Message{
		From: Address{"Zoë Ünïcode", "zoe@bücher.de"},
		To:   []Address{{"Last, First", "lf@example.com"}, {"", "plain@example.com"}},
		// A display name that fits one encoded word: Python's email (3.11)
		// keeps the space between adjacent encoded words in a display name,
		// against RFC 2047 §6.2, so very long names are checked with
		// go-message only (TestWriterSubjectsAndNames).
		Cc:      []Address{{"陈大文 (Chén Dàwén)", "cc@example.com"}},
		Bcc:     []Address{{"", "hidden@example.com"}},
		Subject: "Réunion 会议 😀 " + strings.Repeat("long ", 20) + "end",
		Text:    "Grüße,\nline two\n",
		HTML:    "<p>Grüße</p>\n",
		Attachments: []Attachment{
			{Name: `季度报告 "final" with a long name that needs continuation lines 😀.pdf`, Data: []byte("%PDF-1.4\x00\xff")},
			{Name: strings.Repeat("n", 196) + ".txt", Data: []byte("text\n")},
			{Name: "empty.bin", Data: nil},
		},
	}
	w, err := m.NewWriter(WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "m.eml")
	if err := w.Save(path); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(python, "-c", pythonReader, path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	var got struct {
		Subject     string     `json:"subject"`
		From        [][]string `json:"from"`
		To          [][]string `json:"to"`
		Cc          [][]string `json:"cc"`
		HasBcc      bool       `json:"has_bcc"`
		Text        string     `json:"text"`
		HTML        string     `json:"html"`
		Attachments [][]string `json:"attachments"`
		Defects     []string   `json:"defects"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("python output %q: %v", stdout.String(), err)
	}
	if got.Subject != m.Subject {
		t.Errorf("subject = %q, want %q", got.Subject, m.Subject)
	}
	if want := [][]string{{"Zoë Ünïcode", "zoe@xn--bcher-kva.de"}}; !reflect.DeepEqual(got.From, want) {
		t.Errorf("from = %q, want %q", got.From, want)
	}
	if want := [][]string{{"Last, First", "lf@example.com"}, {"", "plain@example.com"}}; !reflect.DeepEqual(got.To, want) {
		t.Errorf("to = %q, want %q", got.To, want)
	}
	if want := [][]string{{m.Cc[0].Name, "cc@example.com"}}; !reflect.DeepEqual(got.Cc, want) {
		t.Errorf("cc = %q, want %q", got.Cc, want)
	}
	if got.HasBcc {
		t.Errorf("the message has a Bcc header")
	}
	if got.Text != "Grüße,\nline two\n" || got.HTML != "<p>Grüße</p>\n" {
		t.Errorf("text %q, html %q", got.Text, got.HTML)
	}
	if len(got.Attachments) != len(m.Attachments) {
		t.Fatalf("%d attachments, want %d", len(got.Attachments), len(m.Attachments))
	}
	for i, a := range m.Attachments {
		data, _ := base64.StdEncoding.DecodeString(got.Attachments[i][2])
		if got.Attachments[i][0] != a.Name || !bytes.Equal(data, a.Data) {
			t.Errorf("attachment %d = %q with %q, want %q with %q", i, got.Attachments[i][0], data, a.Name, a.Data)
		}
	}
	if len(got.Defects) > 0 {
		t.Errorf("python found defects: %q", got.Defects)
	}
}
