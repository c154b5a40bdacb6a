// Package i18ntest is what the tests of every package use to tell whether
// a text a person reads is Stamp's Chinese: Han characters, no raw
// translation key, no English sentence left once the words that stay in
// their own language (the server's, the provider's, what the person
// typed) are taken out. Tests only.
package i18ntest

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"stamp/i18n"
)

// englishRun is three English words in a row, with the punctuation a
// sentence puts between them: a sentence Stamp left untranslated.
// Provider codes (access_denied, AADSTS65001) and hosts are one word.
var englishRun = regexp.MustCompile(`\b[A-Za-z]{2,}[,;:.']? [A-Za-z-]{2,}[,;:.']? [A-Za-z]{2,}\b`)

// EnglishRun returns the first English sentence in s ("" when none).
func EnglishRun(s string) string { return englishRun.FindString(s) }

// HasHan reports whether s holds a Han character.
func HasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// keys are the translation keys of en.json, to find one shown raw.
var keys = func() []string {
	b, err := i18n.FS.ReadFile(i18n.Dir + "/en.json")
	if err != nil {
		panic(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}()

// RawKey returns a translation key s shows as it is ("" when none).
func RawKey(s string) string {
	for _, k := range keys {
		if strings.Contains(s, k) {
			return k
		}
	}
	return ""
}

// CheckChinese fails t unless text is Stamp's Chinese: each of kept (the
// words that stay as they are: what the server or provider said, what the
// person typed) shown as it is, and the rest holding Han characters, no
// raw key and no English sentence.
func CheckChinese(t testing.TB, what, text string, kept ...string) {
	t.Helper()
	rest := text
	for _, k := range kept {
		if !strings.Contains(text, k) {
			t.Errorf("%s: %q is not shown as it is in %q", what, k, text)
		}
		rest = strings.ReplaceAll(rest, k, "")
	}
	if !HasHan(rest) {
		t.Errorf("%s: no Chinese in %q", what, text)
	}
	if k := RawKey(rest); k != "" {
		t.Errorf("%s: the raw key %q in %q", what, k, text)
	}
	if m := EnglishRun(rest); m != "" {
		t.Errorf("%s: English %q left in %q", what, m, text)
	}
}

// EnglishRuns returns every English sentence in s.
func EnglishRuns(s string) []string { return englishRun.FindAllString(s, -1) }
