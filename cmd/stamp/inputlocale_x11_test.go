//go:build linux || freebsd || openbsd || netbsd

package main

import (
	"strings"
	"testing"
)

// A LANG that names a locale nobody generated, or plain C, still gives the
// C library a UTF-8 character type (XIM converts committed text by it; the
// window test scripts/window-test-ime.sh shows the text arriving).
func TestInputLocaleIsUTF8WhenTheEnvironmentNamesNoneOrASCII(t *testing.T) {
	for _, lang := range []string{"zz_ZZ.UTF-8", "C", "POSIX", ""} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_CTYPE", "")
		t.Setenv("LANG", lang)
		got := useInputLocale()
		if l := strings.ToLower(got); !strings.Contains(l, "utf-8") && !strings.Contains(l, "utf8") {
			t.Errorf("LANG=%q: LC_CTYPE is %q, not a UTF-8 locale", lang, got)
		}
	}
}
