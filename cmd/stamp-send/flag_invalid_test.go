package main

import (
	"errors"
	"testing"

	"stamp/i18n"
)

// A value the flag package cannot parse is refused in the person's
// language, naming the flag and the value, without strconv's English.
func TestAnInvalidFlagValueIsRefusedInTheLanguage(t *testing.T) {
	defer i18n.SetLanguage(i18n.English)
	for _, tc := range []struct {
		lang      i18n.Choice
		err, want string
	}{
		{"zh-Hans", `invalid value "soon" for flag -timeout: parse error`, `-timeout "soon"：不是有效的值`},
		{"zh-Hans", `invalid boolean value "maybe" for -json: parse error`, `-json "maybe"：不是有效的值`},
		{"en", `invalid value "soon" for flag -timeout: parse error`, `-timeout "soon": not a valid value`},
		{"zh-Hans", `something else entirely`, `something else entirely`},
	} {
		i18n.SetLanguage(tc.lang.Resolve())
		if got := flagErrorText(errors.New(tc.err)); got != tc.want {
			t.Errorf("%s: %q → %q, want %q", tc.lang, tc.err, got, tc.want)
		}
	}
}
