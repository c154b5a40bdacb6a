package contacts

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"stamp/i18n"
	"stamp/internal/i18ntest"
)

// In Chinese the contacts' errors are Chinese (issue 19), and stay what
// callers act on: ErrNotFound for errors.Is, *BrokenFileError for
// errors.As; a file that is broken is told so in words, not in Go's.
func TestTheContactsErrorsFollowTheLanguage(t *testing.T) {
	i18n.SetLanguage(i18n.SimplifiedChinese)
	t.Cleanup(func() { i18n.SetLanguage(i18n.English) })
	check := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("%s: no error", what)
		}
		text := strings.ReplaceAll(err.Error(), t.TempDir(), "")
		text = regexp.MustCompile(`/[^\s（）]*|"[^"]*"`).ReplaceAllString(text, "") // paths, and what was typed
		if en := i18ntest.EnglishRuns(text); len(en) > 0 || !strings.ContainsAny(text, "联系人文件地址已损坏") {
			t.Errorf("%s: in Chinese the error says %q", what, err)
		}
	}
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Remove("nobody@example.org")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Remove of an unknown address: %v, not ErrNotFound", err)
	}
	check("an unknown address", err)
	check("a bad address", s.Add("", "not an address"))
	s.Add("", "a@example.org")
	s.Add("", "b@example.org")
	check("an address taken", s.Edit("a@example.org", Contact{Address: "b@example.org"}))

	for name, content := range map[string]string{
		"a cut-off file":    `{"schema":1,"contacts":[{"address":`,
		"not JSON":          `schema = 1`,
		"a newer Stamp's":   `{"schema":99,"contacts":[]}`,
		"the wrong content": `{"schema":"one"}`,
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, FileName), []byte(content), 0o600)
		_, err := Open(dir)
		var broken *BrokenFileError
		if !errors.As(err, &broken) {
			t.Fatalf("%s: %v, not a BrokenFileError", name, err)
		}
		check(name, err)
	}
}
