package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
)

// mimeTree is a message's structure as go-message reads it: content types
// indented by depth, and the bodies of the text parts in order.
func mimeTree(t *testing.T, raw string) (tree string, texts []string) {
	t.Helper()
	e, err := message.Read(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, raw)
	}
	var lines []string
	err = e.Walk(func(path []int, p *message.Entity, err error) error {
		if err != nil {
			return err
		}
		ct, _, _ := p.Header.ContentType()
		lines = append(lines, strings.Repeat(" ", len(path))+ct)
		if strings.HasPrefix(ct, "text/") {
			b, err := io.ReadAll(p.Body)
			if err != nil {
				return err
			}
			texts = append(texts, strings.ReplaceAll(string(b), "\r\n", "\n"))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk: %v", err)
	}
	return strings.Join(lines, "\n"), texts
}

func TestMarkdownFlag(t *testing.T) {
	dir := t.TempDir()
	typed := "# Notes\n\n* [docs](https://example.com/docs)\n* [bad](javascript:alert(1)) <script>x</script>\n"
	bodyFile := filepath.Join(dir, "body.md")
	os.WriteFile(bodyFile, []byte(typed), 0o600)
	att := filepath.Join(dir, "a.bin")
	os.WriteFile(att, []byte{0, 1, 2}, 0o600)
	base := []string{"--dry-run", "--from", "me@example.com", "--to", "you@example.com", "--subject", "md"}

	for _, c := range []struct {
		name string
		args []string
		tree string
	}{
		{"--markdown with --body sends text then HTML", []string{"--markdown", "--body", typed},
			"multipart/alternative\n text/plain\n text/html"},
		{"--markdown with --body-file and an attachment puts mixed around the alternative", []string{"--markdown", "--body-file", bodyFile, "--attach", att},
			"multipart/mixed\n multipart/alternative\n  text/plain\n  text/html\n application/octet-stream"},
		{"without --markdown the body stays plain text", []string{"--body", typed},
			"text/plain"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "", append(base, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			tree, texts := mimeTree(t, stdout)
			if tree != c.tree {
				t.Fatalf("parts:\n%s\nwant:\n%s", tree, c.tree)
			}
			if strings.TrimSuffix(texts[0], "\n") != strings.TrimSuffix(typed, "\n") {
				t.Errorf("text part %q, want what was typed %q", texts[0], typed)
			}
			if len(texts) > 1 {
				h := texts[1]
				for _, want := range []string{`<h1`, `href="https://example.com/docs"`, `&lt;script&gt;x&lt;/script&gt;`} {
					if !strings.Contains(h, want) {
						t.Errorf("the HTML lacks %s:\n%s", want, h)
					}
				}
				if strings.Contains(h, "javascript:alert(1)\"") || strings.Contains(h, "<script") {
					t.Errorf("unsafe HTML:\n%s", h)
				}
			}
		})
	}
}

func TestMarkdownFlagCombinations(t *testing.T) {
	html := filepath.Join(t.TempDir(), "x.html")
	os.WriteFile(html, []byte("<p>x</p>"), 0o600)
	for _, args := range [][]string{
		{"--markdown", "--html-file", html, "--body", "x"},
		{"--markdown", "--eml", html},
	} {
		code, stdout, stderr := runCmd(t, "", append([]string{"--dry-run", "--from", "me@example.com", "--to", "you@example.com"}, args...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "--markdown") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 naming --markdown", args, code, stdout, stderr)
		}
	}
}

// TestMarkdownIndependentServer sends a Markdown message with an
// attachment through the independent server of scripts/test-server.sh
// (python3-aiosmtpd, STARTTLS + AUTH) and reads what it received.
func TestMarkdownIndependentServer(t *testing.T) {
	addr, ca, spool := os.Getenv("STAMP_INDEPENDENT_SMTP"), os.Getenv("STAMP_INDEPENDENT_CA"), os.Getenv("STAMP_INDEPENDENT_SPOOL")
	if addr == "" || ca == "" || spool == "" {
		t.Skip("no independent SMTP server: run scripts/test-server.sh (make test does) to start python3-aiosmtpd and set STAMP_INDEPENDENT_*")
	}
	att := filepath.Join(t.TempDir(), "agenda.txt")
	os.WriteFile(att, []byte("agenda\n"), 0o644)
	typed := "**Agenda** for [Friday](https://example.com/f)\n\n<script>x</script>\n\n-- \nAnn"
	subject := "markdown-" + time.Now().Format("150405.000000000")
	code, _, stderr := runCmd(t, "", "--server", addr, "--security", "starttls", "--ca-file", ca,
		"--user", os.Getenv("STAMP_INDEPENDENT_USER"), "--password-env", "STAMP_INDEPENDENT_PASSWORD",
		"--from", "alice@example.com", "--to", "bob@example.com", "--subject", subject,
		"--markdown", "--body", typed, "--attach", att)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	data, _ := waitSpooled(t, spool, subject)
	tree, texts := mimeTree(t, string(data))
	if want := "multipart/mixed\n multipart/alternative\n  text/plain\n  text/html\n text/plain"; tree != want {
		t.Fatalf("parts received:\n%s\nwant:\n%s", tree, want)
	}
	if strings.TrimSuffix(texts[0], "\n") != typed {
		t.Errorf("text part %q, want %q", texts[0], typed)
	}
	if !strings.Contains(texts[1], `<strong>Agenda</strong>`) || !strings.Contains(texts[1], `&lt;script&gt;`) || strings.Contains(texts[1], "<script") {
		t.Errorf("HTML part:\n%s", texts[1])
	}
}
