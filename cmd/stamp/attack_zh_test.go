package main

import (
	"bytes"
	"errors"
	"flag"
	"regexp"
	"strings"
	"testing"

	"stamp/i18n"
	"stamp/internal/i18ntest"
)

// Attack (attackzh round) on issue 19: the desktop app's own command line
// in Chinese. `stamp --help` is half translated (--accounts and --version
// in Chinese, --compose, --to, --cc, --bcc, --subject, --body and --url in
// English: cmd/stamp/compose_args.go:63-69), and its refusals and the
// link's ignored fields are English (compose_args.go:75-179; the reasons
// come from package mailto, which had no i18n at all). Fixed; now a
// regression test.

var (
	zhNames = regexp.MustCompile(`[\w.+-]+@[\w.-]+|"[^"]*"|--?[\w-]+( [A-Z][A-Z:_]+)?|[\w-]+(\.[\w-]+)+|stamp --url LINK|(?m)^\s*(usage:|用法：|stamp ).*$`)
)

func TestAttackZhDesktopCommandLineSpeaksEnglish(t *testing.T) {
	i18n.SetLanguage(i18n.SimplifiedChinese)
	defer i18n.SetLanguage(i18n.English)
	for _, args := range [][]string{
		{"--help"},
		{"--url", "a", "b"},
		{"--compose", "--subject", "a", "mailto:x@example.com?subject=b"},
		{"mailto:x@example.com", "mailto:y@example.com"},
		{"mailto:x@example.com?attach=/etc/passwd&from=boss@example.com"},
	} {
		var stderr bytes.Buffer
		_, err := parseStartArgs(args, &stderr)
		said := stderr.String()
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			said += "\n" + err.Error()
		}
		var english []string
		for _, line := range strings.Split(said, "\n") {
			if i18ntest.EnglishRun(zhNames.ReplaceAllString(line, "")) != "" {
				english = append(english, strings.TrimSpace(line))
			}
		}
		if len(english) > 0 {
			t.Errorf("stamp %s in Chinese says, in English:\n  %s", strings.Join(args, " "), strings.Join(english, "\n  "))
		}
	}
}
