package main

import (
	"os"
	"path/filepath"
	"regexp"
	"stamp/internal/i18ntest"
	"strings"
	"testing"
)

// Attack (attackzh round) on issue 19's "stamp-send follows LANG": in
// LANG=zh_CN.UTF-8 the account, outbox and contacts subcommands speak
// English, their help as much as their answers. Now a regression test:
// every line they print is Chinese but for names, flags and addresses.

// zhNames are what stays as it is in a Chinese line: names, addresses,
// hosts, flags and the usage lines' syntax.
var (
	zhNames = regexp.MustCompile(`[\w.+-]+@[\w.-]+|"[^"]*"|--?[\w-]+( [A-Z][A-Z:_\[\]]+)?|[\w-]+(\.[\w-]+)+|https?://\S+|stamp-send( \w+)*|(?m)^\s*(usage:|\[).*$`)
)

func zhEnglishIn(s string) []string {
	return i18ntest.EnglishRuns(zhNames.ReplaceAllString(s, ""))
}

func TestAttackZhSubcommandsSpeakEnglish(t *testing.T) {
	inChinese(t)
	newAccountEnv(t)
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	vcf := filepath.Join(t.TempDir(), "a.vcf")
	os.WriteFile(vcf, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEMAIL:ann@example.org\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:x\r\n"), 0o600)
	for _, args := range [][]string{
		{"account", "list"},
		{"account", "--help"},
		{"account", "discover", "--help"},
		{"account", "show", "nobody"},
		{"outbox", "--help"},
		{"outbox", "remove", "nosuchid"},
		{"contacts", "--help"},
		{"contacts", "import", vcf},
		{"contacts", "remove", "nobody@example.org"},
		{"--help"},
		{"--dry-run", "--from", "a@example.com", "--mailto", "mailto:c@example.com?attach=/etc/passwd&X-Foo=1", "--body", "x"},
	} {
		_, out, errOut := runCmd(t, "", args...)
		var english []string
		for _, line := range strings.Split(out+errOut, "\n") {
			if en := zhEnglishIn(line); len(en) > 0 {
				english = append(english, strings.TrimSpace(line))
			}
		}
		if len(english) > 0 {
			t.Errorf("stamp-send %s in LANG=zh_CN.UTF-8 prints %d English lines, e.g.:\n  %s",
				strings.Join(args, " "), len(english), strings.Join(english[:min(4, len(english))], "\n  "))
		}
	}
}
