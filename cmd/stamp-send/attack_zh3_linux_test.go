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

	"stamp/account"
)

// The global --lang may come before the subcommand ("stamp-send --lang
// zh-Hans contacts export"), and useLanguage takes it out anywhere; but
// terminalStreams (writesFile) and terminalArgs look at the arguments
// before --lang is removed, and only recognise "contacts export" as the
// first two. With --lang in front, the vCard on stdout is converted to the
// terminal's codeset again (attack zh2 #3 back: on en_US.ISO-8859-1 every
// Chinese name becomes "?", the backup loses them), and the FILE of
// contacts import/export is converted like words: the file a GB18030
// terminal names is not the one read or written.
func TestAttackZh3LangBeforeContactsExportConvertsTheVCard(t *testing.T) {
	bin := buildStampSend(t)
	cfg := withChineseContact(t, bin)
	for _, args := range [][]string{{"--lang", "en", "contacts", "export"}, {"--lang=zh-Hans", "contacts", "export"}, {"contacts", "--lang", "en", "export"}} {
		code, out, errOut := runIn(t, bin, []string{cfg, "LANG=en_US.ISO-8859-1"}, args...)
		if code != 0 {
			t.Fatalf("%q: exit %d %s", args, code, errOut)
		}
		if !utf8.Valid(out) || !strings.Contains(string(out), "王小明") {
			t.Errorf("LANG=en_US.ISO-8859-1 stamp-send %s: the exported vCard lost the name (converted to the terminal's codeset): %q", strings.Join(args, " "), out)
		}
	}
}

func TestAttackZh3LangBeforeContactsFileConvertsTheFileName(t *testing.T) {
	bin := buildStampSend(t)
	dir := t.TempDir()
	cfg := account.ConfigDirEnv + "=" + filepath.Join(dir, "config")
	// 联系人.vcf as a GB18030 terminal types it (and names the file on disk).
	gbName := filepath.Join(dir, "\xc1\xaa\xcf\xb5\xc8\xcb.vcf")
	os.WriteFile(gbName, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nEMAIL:wang@example.com\r\nEND:VCARD\r\n"), 0o600)
	env := []string{cfg, "LANG=zh_CN.GB18030"}
	if code, _, errOut := runIn(t, bin, env, "contacts", "import", gbName); code != 0 {
		t.Fatalf("without --lang, import of the GB18030-named file: exit %d %s", code, fromGB18030(t, errOut))
	}
	if code, _, errOut := runIn(t, bin, env, "--lang", "zh-Hans", "contacts", "import", gbName); code != 0 {
		t.Errorf("stamp-send --lang zh-Hans contacts import 联系人.vcf (GB18030 terminal): exit %d: %s", code, fromGB18030(t, errOut))
	}
	out := filepath.Join(dir, "\xb1\xb8\xb7\xdd.vcf") // 备份.vcf in GB18030
	if code, _, errOut := runIn(t, bin, env, "--lang", "zh-Hans", "contacts", "export", out); code != 0 {
		t.Fatalf("export: exit %d %s", code, fromGB18030(t, errOut))
	}
	if _, err := os.Stat(out); err != nil {
		names, _ := filepath.Glob(filepath.Join(dir, "*.vcf"))
		t.Errorf("stamp-send --lang zh-Hans contacts export 备份.vcf (GB18030 terminal) did not write the file typed (%v); the folder holds %q", err, names)
	}
}

// FromTerminal keeps an argument that is valid UTF-8 as it is, on the
// ground that Chinese typed in GB18030 "is almost never valid UTF-8". But
// about one GB2312 hanzi in six (682 of the 3755 of level 1) is a valid
// two-byte UTF-8 sequence by itself, so common words typed on a GB18030
// terminal are: 通知 (notice) is CD A8 D6 AA = U+0368 U+05AA (a combining
// mark and a Hebrew accent), 谢谢 is
// "лл", 系统 "ϵͳ", 通讯录 "ͨѶ¼", 同学 "ͬѧ" (7 of 85 common words and
// names tried). The subject 通知 leaves as those two marks, silently.
func TestAttackZh3GB18030WordThatIsValidUTF8IsNotRead(t *testing.T) {
	bin := buildStampSend(t)
	for _, w := range []struct{ gb, want string }{
		{"\xcd\xa8\xd6\xaa", "通知"},
		{"\xd0\xbb\xd0\xbb", "谢谢"},
		{"\xcf\xb5\xcd\xb3", "系统"},
	} {
		code, out, errOut := runIn(t, bin, []string{"LANG=zh_CN.GB18030"}, "--dry-run", "--from", "a@example.com", "--to", "b@example.com", "--body", "x", "--subject", w.gb)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, fromGB18030(t, errOut))
		}
		m, err := mail.CreateReader(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := m.Header.Subject(); s != w.want {
			t.Errorf("LANG=zh_CN.GB18030, --subject %s typed: the message's Subject is %q (%+q), want %q", w.want, s, s, w.want)
		}
	}
}
