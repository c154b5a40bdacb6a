package main

import (
	"strings"

	"stamp/i18n"
)

// useLanguage sets the language stamp-send speaks: --lang TAG (or
// --lang=TAG), anywhere before a "--", for sends and account commands alike,
// else the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG; English for C).
// It returns the arguments without --lang. Only what stamp-send explains
// is translated: transcript lines, server replies, flags and JSON field
// names stay as they are, and so do the exit codes.
func useLanguage(args []string) ([]string, error) {
	tag := i18n.Detect()
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, usagef("%s", i18n.T("send.lang.missing", "--lang needs a language: en or zh-Hans"))
			}
			i++
			value = args[i]
		}
		t, err := i18n.ParseSupported(value)
		if err != nil {
			return nil, usagef("%s", i18n.T("send.lang.unknown", "--lang {{.Value}}: not a language (en or zh-Hans)", map[string]any{"Value": value}))
		}
		tag = t
	}
	i18n.SetLanguage(tag)
	return rest, nil
}
