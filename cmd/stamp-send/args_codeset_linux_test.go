//go:build linux

package main

import (
	"bytes"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"
)

// On a GB18030 terminal the words typed (subject, body, a name in --from)
// arrive as GB18030 bytes and are read as such; a file named by its
// GB18030 bytes on disk is still found (paths are not converted), and the
// body file's UTF-8 contents are sent as they are. Bytes that are text in
// both codesets are read in the locale's, as a C program reads them; a
// UTF-8 terminal is as before. The message is parsed back by go-message.
func TestAGB18030TerminalTypesChineseArguments(t *testing.T) {
	bin := buildStampSend(t)
	dir := t.TempDir()
	folder := filepath.Join(dir, "\xb8\xbd\xbc\xfe") // 附件 in GB18030, as that terminal names it
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	attach := filepath.Join(folder, "a.txt")
	bodyFile := filepath.Join(folder, "body.txt")
	os.WriteFile(attach, []byte("attached"), 0o600)
	os.WriteFile(bodyFile, []byte("文件里的正文（UTF-8）"), 0o600)
	const ce, shi, zheng, wen = "\xb2\xe2", "\xca\xd4", "\xd5\xfd", "\xce\xc4" // 测 试 正 文
	for _, tc := range []struct {
		locale                   string
		args                     []string
		subject, from, body, att string
	}{
		{"zh_CN.GB18030", []string{"--subject", ce + shi, "--body", zheng + wen, "--from", ce + shi + " <a@example.com>", "--attach", attach},
			"测试", "测试", "正文", "attached"},
		{"zh_CN.GBK", []string{"--subject=" + ce + shi, "--body-file", bodyFile, "--from", "a@example.com", "--attach=" + attach},
			"测试", "", "文件里的正文（UTF-8）", "attached"},
		// UTF-8 测试 typed into a GB18030 locale: those bytes are GB18030
		// 娴嬭瘯, and that is what the terminal showed as it was typed
		// (the locale's codeset wins, as in a C program: common GB18030
		// words are valid UTF-8 too).
		{"zh_CN.GB18030", []string{"--subject", "测试", "--body", "x", "--from", "a@example.com"},
			"娴嬭瘯", "", "x", ""},
		{"zh_CN.UTF-8", []string{"--subject", "测试", "--body", "正文", "--from", "a@example.com"},
			"测试", "", "正文", ""},
	} {
		args := append([]string{"--dry-run", "--to", "b@example.com"}, tc.args...)
		code, out, errOut := runIn(t, bin, []string{"LANG=" + tc.locale}, args...)
		if code != 0 {
			t.Errorf("LANG=%s %q: exit %d: %s", tc.locale, tc.args, code, errOut)
			continue
		}
		m, err := mail.CreateReader(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := m.Header.Subject(); s != tc.subject {
			t.Errorf("LANG=%s %q: Subject %q, want %q", tc.locale, tc.args, s, tc.subject)
		}
		if from, err := m.Header.AddressList("From"); tc.from != "" && (err != nil || len(from) != 1 || from[0].Name != tc.from) {
			t.Errorf("LANG=%s: From %v (%v), want the name %q", tc.locale, from, err, tc.from)
		}
		var body, att string
		for {
			p, err := m.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(p.Body)
			if _, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition")); params["filename"] != "" {
				att = string(b)
			} else if body == "" {
				body = string(b)
			}
		}
		if body = strings.TrimRight(body, "\r\n"); body != tc.body || att != tc.att {
			t.Errorf("LANG=%s %q: body %q, attachment %q; want %q, %q", tc.locale, tc.args, body, att, tc.body, tc.att)
		}
	}
}
