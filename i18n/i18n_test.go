package i18n

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
)

// inLanguage runs f with tag as the current language and restores English.
func inLanguage(t *testing.T, tag language.Tag) {
	t.Helper()
	SetLanguage(tag)
	t.Cleanup(func() { SetLanguage(English) })
}

func TestTextsInBothLanguages(t *testing.T) {
	tests := []struct {
		name string
		lang language.Tag
		got  func() string
		want string
	}{
		{"English seconds", English, func() string { return Duration(45 * time.Second) }, "45 s"},
		{"Chinese seconds", SimplifiedChinese, func() string { return Duration(45 * time.Second) }, "45 秒"},
		{"Chinese minutes and seconds", SimplifiedChinese, func() string { return Duration(125 * time.Second) }, "2 分 5 秒"},
		{"English hours", English, func() string { return Duration(63 * time.Minute) }, "1 h 3 min"},
		{"English one byte is singular", English, func() string { return Size(1) }, "1 byte"},
		{"English bytes are plural", English, func() string { return Size(512) }, "512 bytes"},
		{"Chinese bytes have one form", SimplifiedChinese, func() string { return Size(1) }, "1 字节"},
		{"Chinese bytes", SimplifiedChinese, func() string { return Size(512) }, "512 字节"},
		{"English megabytes", English, func() string { return Size(25_000_000) }, "25.0 MB"},
		{"Chinese kilobytes", SimplifiedChinese, func() string { return Size(1500) }, "1.5 KB"},
		{"English gigabytes", English, func() string { return Size(2_500_000_000) }, "2.50 GB"},
		{"English number grouping", English, func() string { return Number(1234567) }, "1,234,567"},
		{"Chinese number grouping", SimplifiedChinese, func() string { return Number(1234567) }, "1,234,567"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inLanguage(t, tt.lang)
			if got := tt.got(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAKeyMissingFromALanguageFallsBackToTheCodesEnglish(t *testing.T) {
	inLanguage(t, SimplifiedChinese)
	got := T("test.not_in_any_file", "Hello {{.Name}}", map[string]any{"Name": "Ana"})
	if got != "Hello Ana" {
		t.Errorf("got %q, want the English fallback filled in", got)
	}
	if got := N("test.not_in_any_file_plural", "{{.Count}} file", "{{.Count}} files", 1); got != "1 file" {
		t.Errorf("plural fallback for 1: got %q", got)
	}
	if got := N("test.not_in_any_file_plural", "{{.Count}} file", "{{.Count}} files", 3); got != "3 files" {
		t.Errorf("plural fallback for 3: got %q", got)
	}
}

func TestSystemLanguageFromTheEnvironment(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want language.Tag
	}{
		{"Chinese LANG", map[string]string{"LANG": "zh_CN.UTF-8"}, SimplifiedChinese},
		{"Singapore Chinese", map[string]string{"LANG": "zh_SG.UTF-8"}, SimplifiedChinese},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, English},
		{"LC_MESSAGES wins over LANG", map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, SimplifiedChinese},
		{"LANGUAGE lists the preference", map[string]string{"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, SimplifiedChinese},
		{"C ignores LANGUAGE", map[string]string{"LANGUAGE": "zh_CN", "LANG": "C"}, English},
		{"C.UTF-8 is English", map[string]string{"LANG": "C.UTF-8"}, English},
		{"nothing set is English", map[string]string{}, English},
		{"a language Stamp lacks is English", map[string]string{"LANG": "de_DE.UTF-8"}, English},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Match(envLanguages(func(k string) string { return tt.env[k] })...)
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseAcceptsWhatPeopleType(t *testing.T) {
	for in, want := range map[string]language.Tag{
		"zh_CN.UTF-8": SimplifiedChinese, "zh-Hans": SimplifiedChinese, "zh": SimplifiedChinese,
		"en": English, "en_US": English, "fr": English,
	} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := Parse("not a language!"); err == nil {
		t.Error("Parse of nonsense gave no error")
	}
}

func TestTheChoiceIsRememberedAndOtherSettingsKept(t *testing.T) {
	dir := t.TempDir()
	if c, err := LoadChoice(dir); err != nil || c != "" {
		t.Fatalf("no file: got %q, %v; want no choice", c, err)
	}
	if err := os.WriteFile(filepath.Join(dir, SettingsFile), []byte(`{"theme":"dark"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SaveChoice(dir, "zh-Hans"); err != nil {
		t.Fatal(err)
	}
	c, err := LoadChoice(dir)
	if err != nil || c != "zh-Hans" {
		t.Fatalf("got %q, %v", c, err)
	}
	if c.Resolve() != SimplifiedChinese {
		t.Errorf("zh-Hans resolves to %v", c.Resolve())
	}
	data, _ := os.ReadFile(filepath.Join(dir, SettingsFile))
	if !strings.Contains(string(data), `"theme": "dark"`) {
		t.Errorf("the other setting was lost: %s", data)
	}
	if err := SaveChoice(dir, ""); err != nil {
		t.Fatal(err)
	}
	if c, _ := LoadChoice(dir); c != "" {
		t.Errorf("after choosing the system: %q", c)
	}
	if err := os.WriteFile(filepath.Join(dir, SettingsFile), []byte(`{broken`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadChoice(dir); err == nil {
		t.Error("a broken settings file gave no error")
	}
	if err := SaveChoice(dir, "en"); err != nil {
		t.Fatal(err)
	}
	if c, err := LoadChoice(dir); err != nil || c != "en" {
		t.Errorf("after saving over a broken file: %q, %v", c, err)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, SettingsFile+".broken-*"))
	if len(kept) != 1 {
		t.Fatalf("the broken file was not kept aside: %v", kept)
	}
	if b, _ := os.ReadFile(kept[0]); string(b) != "{broken" {
		t.Errorf("the kept file holds %q", b)
	}
}
