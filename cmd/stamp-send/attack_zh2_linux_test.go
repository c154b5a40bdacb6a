//go:build linux

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/simplifiedchinese"

	"stamp/account"
)

// `stamp-send contacts export > contacts.vcf` writes a file, not words for
// a person, yet terminalStreams converts stdout to the terminal locale's
// codeset unless --json or --dry-run is given: on an en_US.ISO-8859-1
// terminal every Chinese name in the exported vCard becomes "?" (the
// contacts are lost in the backup), and on a zh_CN.GB18030 one the file is
// GB18030 bytes that no vCard reader (nor Stamp's own import) takes as the
// UTF-8 a vCard is.
func TestAttackZh2ContactsExportIsConvertedToTheTerminalsCodeset(t *testing.T) {
	bin := buildStampSend(t)
	cfg := withChineseContact(t, bin)
	for _, loc := range []string{"en_US.ISO-8859-1", "zh_CN.GB18030"} {
		code, out, errOut := runIn(t, bin, []string{cfg, "LANG=" + loc}, "contacts", "export")
		if code != 0 {
			t.Fatalf("%s: export: exit %d %s", loc, code, errOut)
		}
		if !utf8.Valid(out) || !strings.Contains(string(out), "王小明") {
			t.Errorf("LANG=%s: the exported vCard is not the UTF-8 contact (name lost or re-encoded): %q", loc, out)
		}
	}
}

// stamp-send speaks GB18030 to a zh_CN.GB18030 terminal (README.zh-CN:
// 终端使用 GB18030……时，stamp-send 给人看的输出会转换为 GB18030), but what
// that terminal types — the arguments and the body on stdin, in GB18030 —
// is refused as "不是有效的 UTF-8 文本" (exit 2): the person who reads
// stamp-send's Chinese cannot send a Chinese subject from the same
// terminal, and nothing says the arguments must be UTF-8.
func TestAttackZh2GB18030TerminalCannotTypeChinese(t *testing.T) { // fixed (fixzh2a): a regression test
	bin := buildStampSend(t)
	gb := func(s string) string {
		b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	code, out, errOut := runIn(t, bin, []string{"LANG=zh_CN.GB18030"}, "--dry-run", "--from", "a@example.com", "--to", "b@example.com",
		"--subject", gb("测试"), "--body", gb("正文"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, fromGB18030(t, errOut))
	}
	m, err := mail.CreateReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := m.Header.Subject(); s != "测试" {
		t.Errorf("Subject %q, want 测试", s)
	}
}

// withChineseContact is a settings folder whose contacts hold 王小明
// (imported by bin in a UTF-8 locale), as the environment line that
// points stamp-send at it.
func withChineseContact(t *testing.T, bin string) string {
	t.Helper()
	dir := t.TempDir()
	card := filepath.Join(dir, "in.vcf")
	os.WriteFile(card, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nEMAIL:wang@example.com\r\nEND:VCARD\r\n"), 0o600)
	cfg := account.ConfigDirEnv + "=" + filepath.Join(dir, "config")
	if code, out, errOut := runIn(t, bin, []string{cfg, "LANG=C.UTF-8"}, "contacts", "import", card); code != 0 {
		t.Fatalf("import: exit %d %s %s", code, out, errOut)
	}
	return cfg
}
