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
	rest, values, err := splitLang(args)
	if err != nil {
		return nil, err
	}
	tag := i18n.Detect()
	for _, value := range values {
		t, err := i18n.ParseSupported(value)
		if err != nil {
			return nil, usagef("%s", i18n.T("send.lang.unknown", "--lang {{.Value}}: not a language (en or zh-Hans)", map[string]any{"Value": value}))
		}
		tag = t
	}
	i18n.SetLanguage(tag)
	return rest, nil
}

// splitLang takes every --lang TAG (or --lang=TAG) before a "--" out of
// args: the rest, and the tags in order. main uses the rest to know the
// subcommand before anything runs (--lang may come first).
func splitLang(args []string) (rest, values []string, err error) {
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
				return nil, nil, usagef("%s", i18n.T("send.lang.missing", "--lang needs a language: en or zh-Hans"))
			}
			i++
			value = args[i]
		}
		values = append(values, value)
	}
	return rest, values, nil
}

// withoutLang is args without its --lang flags (and as they are when one
// lacks its value: run reports that).
func withoutLang(args []string) []string {
	rest, _, err := splitLang(args)
	if err != nil {
		return args
	}
	return rest
}
