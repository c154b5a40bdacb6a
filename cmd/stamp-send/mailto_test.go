package main

import (
	"strings"
	"testing"
)

// A mailto: link becomes the message, read back with go-message: its
// addresses, subject and line breaks; attach= and header fields never reach
// it, and stderr names them.
func TestDryRunMailto(t *testing.T) {
	code, stdout, stderr := runCmd(t, "", "--dry-run", "--from", "me@example.com", "--bcc", "extra@example.com",
		"--mailto", "mailto:ann@example.com,bob@example.com?cc=carol@example.com&to=dan@example.com&subject=caf%C3%A9%201+1&body=Hi%0D%0Athere&attach=/etc/passwd&X-Evil=1&from=ceo@bank.example")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	h, text, files := readMessage(t, stdout)
	to, _ := h.AddressList("To")
	cc, _ := h.AddressList("Cc")
	subject, _ := h.Subject()
	if len(to) != 3 || to[0].Address != "ann@example.com" || to[1].Address != "bob@example.com" || to[2].Address != "dan@example.com" ||
		len(cc) != 1 || cc[0].Address != "carol@example.com" || subject != "café 1+1" {
		t.Errorf("To %v, Cc %v, Subject %q", to, cc, subject)
	}
	if from, _ := h.AddressList("From"); len(from) != 1 || from[0].Address != "me@example.com" {
		t.Errorf("From = %v: the link chose the sender", from)
	}
	if strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n") != "Hi\nthere" || len(files) != 0 || h.Get("X-Evil") != "" {
		t.Errorf("text %q, %d attachments, X-Evil %q", text, len(files), h.Get("X-Evil"))
	}
	for _, want := range []string{`"attach" field`, `"X-Evil" field`, `"from" field`, "RCPT TO:<extra@example.com>", "RCPT TO:<dan@example.com>"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %s:\n%s", want, stderr)
		}
	}
}

func TestMailtoUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"a 1 MB link", []string{"--mailto", "mailto:a@x.example?body=" + strings.Repeat("A", 1<<20)}, "too long"},
		{"invalid UTF-8", []string{"--mailto", "mailto:a@x.example?subject=%FF"}, "not UTF-8"},
		{"not a link", []string{"--mailto", "ann@example.com"}, "does not start with mailto:"},
		{"a subject twice", []string{"--mailto", "mailto:a@x.example?subject=x", "--subject", "y"}, "give one"},
		{"an injected address", []string{"--mailto", "mailto:a@x.example%0D%0ABcc:evil@x.example"}, "--to"},
		{"with --eml", []string{"--mailto", "mailto:a@x.example", "--eml", "x.eml"}, "--eml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "", append([]string{"--dry-run", "--from", "me@example.com"}, tc.args...)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, tc.says) {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want exit 2 saying %q", code, len(stdout), stderr, tc.says)
			}
		})
	}
}

// A link of thousands of fields names five of them and counts the rest:
// stderr does not grow with the link.
func TestMailtoManyIgnoredFieldsAreCounted(t *testing.T) {
	link := "mailto:ann@example.com?" + strings.Repeat("x-a&", 3000) + "x-b&x-c&x-d&x-e&x-f&x-g"
	code, _, stderr := runCmd(t, "", "--dry-run", "--from", "me@example.com", "--mailto", link)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if n := strings.Count(stderr, "ignored the link's"); n != 5 || !strings.Contains(stderr, "and 2 more fields ignored") {
		t.Fatalf("%d ignored lines; stderr:\n%s", n, stderr)
	}
}
