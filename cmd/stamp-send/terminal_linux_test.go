//go:build linux

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/simplifiedchinese"

	"stamp/smtpclient/sandbox"
)

// runIn runs the built stamp-send with the locale env (and nothing else of
// the test's locale), returning its exit code and raw output.
func runIn(t *testing.T, bin string, env []string, args ...string) (int, []byte, []byte) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	for _, e := range os.Environ() {
		if k, _, _ := strings.Cut(e, "="); k != "LANG" && k != "LANGUAGE" && !strings.HasPrefix(k, "LC_") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	keepTranscript(t, out.String(), errOut.String())
	return code, out.Bytes(), errOut.Bytes()
}

func fromGB18030(t *testing.T, b []byte) string {
	t.Helper()
	s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		t.Fatalf("not GB18030: %v", err)
	}
	return string(s)
}

// A Chinese terminal in GB18030 (or GBK) gets stamp-send's words in its own
// codeset; JSON and message files stay UTF-8; a UTF-8 terminal is as before.
func TestStampSendWritesTheTerminalsCodeset(t *testing.T) {
	bin := buildStampSend(t)
	_, args := sandboxArgs(t, sandbox.Options{})
	send := append(args, "--from", "a@example.com", "--to", "b@example.com", "--subject", "测试", "--body", "正文")
	const sent = "=== 已发送给 1 位收件人"

	for _, locale := range []string{"zh_CN.GB18030", "zh_CN.GBK"} {
		t.Run(locale, func(t *testing.T) {
			code, _, stderr := runIn(t, bin, []string{"LANG=" + locale}, send...)
			if code != exitOK {
				t.Fatalf("exit %d:\n%s", code, fromGB18030(t, stderr))
			}
			if bytes.Contains(stderr, []byte("已发送")) {
				t.Errorf("UTF-8 Chinese reached a %s terminal:\n%s", locale, stderr)
			}
			if got := fromGB18030(t, stderr); !strings.Contains(got, sent) || !strings.Contains(got, "-> RCPT TO:<b@example.com>") {
				t.Errorf("decoded as GB18030, the output lacks %q:\n%s", sent, got)
			}
		})
	}
	t.Run("a usage error keeps its exit code", func(t *testing.T) {
		code, _, stderr := runIn(t, bin, []string{"LANG=zh_CN.GB18030"}, "--from", "a@example.com", "--body", "x")
		if got := fromGB18030(t, stderr); code != exitUsage || !strings.Contains(got, "--to：") || bytes.Contains(stderr, []byte("：")) {
			t.Errorf("exit %d, want %d; decoded as GB18030 it should read --to：…: %s", code, exitUsage, got)
		}
	})
	t.Run("C.UTF-8 is unchanged", func(t *testing.T) {
		code, _, stderr := runIn(t, bin, []string{"LANG=C.UTF-8"}, append(send, "--lang", "zh-Hans")...)
		if code != exitOK || !bytes.Contains(stderr, []byte(sent)) {
			t.Errorf("exit %d; a UTF-8 terminal lacks %q:\n%s", code, sent, stderr)
		}
	})
	t.Run("--json stays UTF-8", func(t *testing.T) {
		code, _, stderr := runIn(t, bin, []string{"LANG=zh_CN.GB18030"}, append(send, "--json")...)
		if code != exitOK || !utf8.Valid(stderr) || !bytes.Contains(stderr, []byte(`RCPT TO:\u003cb@example.com\u003e`)) {
			t.Errorf("exit %d; the JSON events are not UTF-8:\n%q", code, stderr)
		}
	})
	t.Run("--dry-run's message is bytes, its envelope text", func(t *testing.T) {
		// What a GB18030 terminal sends for 测试 and 正文 (args_codeset.go).
		code, stdout, stderr := runIn(t, bin, []string{"LANG=zh_CN.GB18030"}, "--dry-run", "--from", "a@example.com", "--to", "b@example.com", "--subject", "\xb2\xe2\xca\xd4", "--body", "\xd5\xfd\xce\xc4")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, fromGB18030(t, stderr))
		}
		r, err := mail.CreateReader(bytes.NewReader(stdout))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := r.Header.Subject()
		p, err := r.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p.Body)
		if subject != "测试" || strings.TrimSpace(string(body)) != "正文" {
			t.Errorf("the message reads subject %q, body %q; want 测试, 正文", subject, body)
		}
		if bytes.Contains(stderr, []byte("收件人")) || !strings.Contains(fromGB18030(t, stderr), "b@example.com") {
			t.Errorf("the envelope on stderr is not GB18030 text: %s", stderr)
		}
	})
	// A Latin-1 terminal: Latin-1 for what it holds, "?" for the rest, never
	// UTF-8 bytes it would show as mojibake.
	t.Run("en_US.ISO-8859-1", func(t *testing.T) {
		code, _, stderr := runIn(t, bin, []string{"LANG=en_US.ISO-8859-1"}, append(send, "--lang", "zh-Hans")...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for _, b := range stderr {
			if b >= 0x80 {
				t.Fatalf("a byte %#x reached the Latin-1 terminal where the text was Chinese:\n%q", b, stderr)
			}
		}
		if !bytes.Contains(stderr, []byte("???")) || !bytes.Contains(stderr, []byte("-> RCPT TO:<b@example.com>")) {
			t.Errorf("the Chinese is not replaced by ? or the transcript is lost:\n%s", stderr)
		}
	})
}
