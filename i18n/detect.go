package i18n

import (
	"os"
	"strings"

	"golang.org/x/text/language"
)

// Detect returns the first language in the system's list that Stamp speaks
// (any Chinese variant counts as Simplified Chinese, see Match): on Unix the
// entries of LANGUAGE (a colon-separated list, read unless the locale is C or
// POSIX), then LC_ALL, LC_MESSAGES or LANG, as gettext reads them; on Windows the
// user's preferred UI languages; on macOS the AppleLanguages list. English
// when the system says nothing Stamp speaks.
func Detect() language.Tag {
	return Match(systemLanguages()...)
}

// envLanguages reads the gettext variables the way gettext (and Fyne's
// go-locale) does: LC_ALL, then LC_MESSAGES, then LANG decide the locale;
// C or POSIX means no translation; otherwise LANGUAGE, when set, lists the
// preferred languages.
func envLanguages(getenv func(string) string) []language.Tag {
	locale := ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(v); locale != "" {
			break
		}
	}
	if c := cleanLocale(locale); c == "C" || c == "POSIX" {
		return nil
	}
	var tags []language.Tag
	if list := getenv("LANGUAGE"); list != "" {
		for _, l := range strings.Split(list, ":") {
			tags = appendParsed(tags, l)
		}
	}
	return appendParsed(tags, locale)
}

func appendParsed(tags []language.Tag, s string) []language.Tag {
	c := cleanLocale(s)
	if c == "" || c == "C" || c == "POSIX" {
		return tags
	}
	if t, err := language.Parse(c); err == nil {
		return append(tags, t)
	}
	return tags
}

// cleanLocale turns a POSIX locale name ("zh_CN.UTF-8@latin") into a BCP 47
// one ("zh-CN").
func cleanLocale(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	return strings.ReplaceAll(s, "_", "-")
}

func getenv(k string) string { return os.Getenv(k) }

// parseAppleLanguages reads macOS's `defaults read -g AppleLanguages`, a
// plist array such as ("zh-Hans-CN", "en-US"), in its order. It lives here,
// not in detect_darwin.go, so every system's tests read a macOS list.
func parseAppleLanguages(s string) []language.Tag {
	var tags []language.Tag
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("(),\"\n\t ", r) }) {
		tags = appendParsed(tags, f)
	}
	return tags
}
