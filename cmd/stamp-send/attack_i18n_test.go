package main

import (
	"stamp/internal/i18ntest"
	"strings"
	"testing"
)

// Finding 5 (issue 19): "stamp-send account add" in Chinese still prints the
// account checks' reasons in English (the port range, a password without
// encryption): account.Validate's messages and the --server parser never go
// through i18n.
func TestAttackAccountAddRefusesInEnglishInChinese(t *testing.T) {
	inChinese(t)
	e := newAccountEnv(t)
	for _, args := range [][]string{
		{"account", "add", e.name, "--from", "me@example.com", "--server", "smtp.example.com:99999", "--password-stdin"},
		{"account", "add", e.name, "--from", "me@example.com", "--server", "smtp.example.com:25", "--security", "none", "--user", "me", "--password-stdin"},
	} {
		code, _, errOut := runCmd(t, "pw\n", args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
		said := strings.TrimPrefix(errOut, "stamp-send account add:") // the command's name stays
		if m := i18ntest.EnglishRun(said); m != "" {
			t.Errorf("%v: English (%q) in the Chinese output: %s", args, m, errOut)
		}
	}
}

// Finding 6: --lang accepts any well-formed tag and silently speaks English
// when Stamp lacks it: "--lang fr" (or ja, de …) on a Chinese system gives
// English, neither the usage error (exit 2) its own message promises
// ("not a language (en or zh-Hans)") nor the system's Chinese.
func TestAttackLangWithALanguageStampLacksIsSilentlyEnglish(t *testing.T) {
	inChinese(t)
	code, _, errOut := runCmd(t, "", "--lang", "fr", "--server", "127.0.0.1:1", "--from", "a@example.com", "--to", "bob@", "--body", "x")
	if code != exitUsage || !strings.Contains(errOut, "--lang fr") {
		t.Errorf("--lang fr: exit %d, want a usage error naming --lang fr:\n%s", code, errOut)
	}
}
