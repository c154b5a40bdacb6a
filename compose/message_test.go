package compose

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// validMessage returns a message that passes validation.
func validMessage() *Message {
	return &Message{
		From:    Address{"Me", "me@example.com"},
		To:      []Address{{"You", "you@example.com"}},
		Subject: "Hello",
		Text:    "Hi there.\n",
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.bin")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(unreadable, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "gone.pdf")

	tests := []struct {
		name   string
		change func(m *Message)
		want   []string // each problem's Error(), in order; nil = valid
	}{
		{"a plain message is valid", func(m *Message) {}, nil},
		{"a message with only a Bcc recipient is valid", func(m *Message) {
			m.To, m.Bcc = nil, []Address{{"", "hidden@example.com"}}
		}, nil},
		{"a message without From is invalid", func(m *Message) { m.From = Address{} },
			[]string{"From: is required"}},
		{"a message without any recipient is invalid", func(m *Message) { m.To = nil },
			[]string{"To: needs at least one recipient (To, Cc or Bcc)"}},
		{"a bad Cc address names the field and the entry", func(m *Message) { m.Cc = []Address{{"", "bob@"}} },
			[]string{`Cc: "bob@" is not a valid address`}},
		{"every problem is reported, in form order", func(m *Message) {
			m.From = Address{"", "me"}
			m.Bcc = []Address{{"", "x@"}}
			m.ReplyTo = []Address{{"", "@y"}}
		}, []string{`From: "me" is not a valid address`, `Bcc: "x@" is not a valid address`, `Reply-To: "@y" is not a valid address`}},
		{"a line feed in the subject is refused, not dropped", func(m *Message) { m.Subject = "Hi\nBcc: victim@example.com" },
			[]string{"Subject: contains a line break"}},
		{"a carriage return in the subject is refused", func(m *Message) { m.Subject = "Hi\rthere" },
			[]string{"Subject: contains a line break"}},
		{"a line break in a display name is refused", func(m *Message) { m.To[0].Name = "You\r\nBcc: x@example.com" },
			[]string{`To: "You\r\nBcc: x@example.com" has a line break in the name`}},
		{"a line break in an address is refused", func(m *Message) { m.To[0].Addr = "you@example.com\r\nBcc: x@example.com" },
			[]string{`To: "you@example.com\r\nBcc: x@example.com" contains a line break`}},
		{"a line break in an extra header value is refused", func(m *Message) {
			m.Headers = []Header{{"In-Reply-To", "<a@b>\r\nBcc: x@example.com"}}
		}, []string{"In-Reply-To: contains a line break"}},
		{"a line break in an attachment name is refused", func(m *Message) {
			m.Attachments = []Attachment{{Name: "a\nb.txt", Data: []byte("x")}}
		}, []string{`Attachments: "a\nb.txt" has a line break in its name`}},
		{"an extra header cannot replace Bcc", func(m *Message) { m.Headers = []Header{{"bcc", "x@example.com"}} },
			[]string{`Headers: "bcc" cannot be set as an extra header; use the Bcc field`}},
		{"an extra header needs a valid name", func(m *Message) { m.Headers = []Header{{"Bad Name", "x"}} },
			[]string{`Headers: "Bad Name" is not a valid header name`}},
		{"a subject that is not UTF-8 is refused", func(m *Message) { m.Subject = "caf\xe9" },
			[]string{"Subject: is not valid UTF-8 text"}},
		{"a body that is not UTF-8 is refused", func(m *Message) { m.Text = "caf\xe9" },
			[]string{"Body: is not valid UTF-8 text"}},
		{"an attached file is valid", func(m *Message) { m.Attachments = []Attachment{{Path: file}} }, nil},
		{"an empty attached file is valid", func(m *Message) { m.Attachments = []Attachment{{Path: empty}} }, nil},
		{"a missing attachment names the file", func(m *Message) { m.Attachments = []Attachment{{Path: missing}} },
			[]string{`Attachments: "` + missing + `" does not exist`}},
		{"a folder as an attachment names the folder", func(m *Message) { m.Attachments = []Attachment{{Path: dir}} },
			[]string{`Attachments: "` + dir + `" is a folder, not a file`}},
		{"an invalid attachment content type is refused", func(m *Message) {
			m.Attachments = []Attachment{{Name: "a.bin", ContentType: "not a type", Data: []byte("x")}}
		}, []string{`Attachments: "a.bin" has an invalid content type not a type`}},
		{"a malformed Message-ID is refused", func(m *Message) { m.MessageID = "no at sign" },
			[]string{`Message-ID: "no at sign" is not a valid message ID (<left@right>)`}},
	}
	if os.Geteuid() != 0 { // root reads anything
		tests = append(tests, struct {
			name   string
			change func(m *Message)
			want   []string
		}{"an unreadable attachment names the file", func(m *Message) { m.Attachments = []Attachment{{Path: unreadable}} },
			[]string{`Attachments: "` + unreadable + `" cannot be read (permission denied)`}})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMessage()
			tt.change(m)
			err := m.Validate()
			var got []string
			if err != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("error %v is not a *ValidationError", err)
				}
				for _, p := range ve.Problems {
					got = append(got, p.Error())
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Validate() problems:\n got %q\nwant %q", got, tt.want)
			}
			// NewWriter refuses exactly what Validate refuses.
			if _, werr := m.NewWriter(WriteOptions{}); (werr == nil) != (err == nil) {
				t.Errorf("NewWriter error %v, Validate error %v", werr, err)
			}
		})
	}
}

func TestValidationErrorLists(t *testing.T) {
	m := validMessage()
	m.From = Address{}
	m.Subject = "a\nb"
	err := m.Validate()
	if got, want := err.Error(), "From: is required; Subject: contains a line break"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || !reflect.DeepEqual(ve.Fields(), []string{"From", "Subject"}) {
		t.Errorf("Fields() = %v", ve.Fields())
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "From" {
		t.Errorf("errors.As finds %v, want the From problem", fe)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error spans lines: %q", err)
	}
}
