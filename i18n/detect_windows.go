//go:build windows

package i18n

import (
	"golang.org/x/sys/windows"
	"golang.org/x/text/language"
)

// systemLanguages asks Windows for the user's preferred UI languages
// (GetUserPreferredUILanguages, the list Settings > Language orders); the
// gettext variables come first when someone set them (a terminal).
func systemLanguages() []language.Tag {
	tags := envLanguages(getenv)
	names, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil {
		return tags
	}
	for _, n := range names {
		tags = appendParsed(tags, n)
	}
	return tags
}
