//go:build !windows && !darwin

package i18n

import "golang.org/x/text/language"

func systemLanguages() []language.Tag { return envLanguages(getenv) }
