package i18n

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Finding 7 (issue 19): Choice.Resolve promises the system's language
// "when the choice is empty or unknown", but a choice Stamp does not speak
// (a settings.json written by a later version with Japanese, or edited by
// hand) resolves to English, not to the system's Chinese.
func TestAttackAnUnknownChoiceFollowsTheSystem(t *testing.T) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(k, "")
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if Detect() != SimplifiedChinese {
		t.Fatalf("the system's language is %v, want zh-Hans", Detect())
	}
	for _, c := range []Choice{"ja", "fr", "klingon"} {
		if got := c.Resolve(); got != SimplifiedChinese {
			t.Errorf("choice %q resolves to %v, want the system's zh-Hans", c, got)
		}
	}
}

// Finding 8: a settings.json whose language is not a language at all is
// read without an error, so Stamp starts in the system's language and never
// says why the person's choice was not applied (app.settings_unreadable is
// only shown for LoadChoice errors), and the Language dialog opens with no
// option selected.
func TestAttackAnInvalidLanguageInTheSettingsIsAClearError(t *testing.T) {
	for _, bad := range []string{`{"language":"../../x"}`, `{"language":"not a language!"}`, `{"language":"zh-Hans\u0000"}`} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, SettingsFile), []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if c, err := LoadChoice(dir); err == nil {
			t.Errorf("%s: read as choice %q with no error", bad, c)
		}
	}
}

// Finding 9: Size rounds up across its unit boundary: 999,950 bytes is
// "1000.0 kB" (not "1.0 MB"), 999,999,999 bytes "1000.0 MB".
func TestAttackSizesJustBelowAUnitRoundIntoIt(t *testing.T) {
	for n, want := range map[int64]string{999_950: "1.0 MB", 999_999_999: "1.00 GB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// Finding 10: the key check (keys_test.go) only sees calls spelled
// lang.X(...) / i18n.T(...) with the package's import name: a dot import or
// a function value lets a key with no translation through unnoticed.
func TestAttackTheKeyCheckSeesEveryTranslationCall(t *testing.T) {
	for name, src := range map[string]string{
		"function value": `package ui
import "fyne.io/fyne/v2/lang"
var x = lang.X
func f() string { return x("attack.untranslated", "Hello") }`,
		"dot import": `package ui
import . "fyne.io/fyne/v2/lang"
func f() string { return X("attack.untranslated", "Hello") }`,
		"i18n function value": `package compose
import "stamp/i18n"
var t = i18n.T
func f() string { return t("attack.untranslated", "Hello") }`,
	} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name+".go", src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		uses, problems := fileKeys(fset, f)
		if len(uses) == 0 && len(problems) == 0 {
			t.Errorf("%s: the key check neither reads the key nor complains", name)
		}
	}
}

// Finding 13: the key check compares only en.json with the code's English;
// when the English of a key changes (and en.json with it), the other
// languages keep the old meaning and nothing notices. It has happened:
// "stamp --help" (cli.usage) and "stamp-send --help" (send.usage.notes)
// gained mailto:/--compose/--mailto in English, and the Chinese help still
// describes the old command line. A cheap symptom check: every command-line
// flag the code's English names is named in each translation too.
func TestAttackTranslationsNameTheFlagsTheEnglishNames(t *testing.T) {
	uses, _ := scanKeys(t, "..")
	files := loadFiles(t)
	flag := regexp.MustCompile(`(^|[\s(\[|])--[a-z][a-z-]+|mailto:`)
	for _, u := range uses {
		for lang, msgs := range files {
			if lang == "en" {
				continue
			}
			text, ok := msgs[u.key]["other"]
			if !ok {
				continue
			}
			for _, f := range flag.FindAllString(u.other, -1) {
				f = strings.TrimLeft(f, " \t\n([|")
				if !strings.Contains(text, f) {
					t.Errorf("%s.json: %q does not name %s, which the English at %s names", lang, u.key, f, u.where)
				}
			}
		}
	}
}
