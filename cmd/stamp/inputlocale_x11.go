//go:build linux || freebsd || openbsd || netbsd

package main

/*
#include <locale.h>
#include <string.h>

// stamp_input_locale sets the C library's character type (LC_CTYPE) from the
// environment and, when that gives none or only plain ASCII ("C"/"POSIX":
// LANG names a locale that is not installed, or no LANG at all), a UTF-8 one
// that every glibc has. It returns the locale in force.
static const char *stamp_input_locale(void) {
	const char *got = setlocale(LC_CTYPE, "");
	if (got != NULL && strcmp(got, "C") != 0 && strcmp(got, "POSIX") != 0)
		return got;
	static const char *utf8[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8"};
	for (unsigned i = 0; i < sizeof utf8 / sizeof utf8[0]; i++) {
		got = setlocale(LC_CTYPE, utf8[i]);
		if (got != NULL)
			return got;
	}
	return setlocale(LC_CTYPE, NULL);
}
*/
import "C"

// useInputLocale makes text from an input method (fcitx, ibus) reach the
// fields on X11. GLFW reads committed text through XIM, which converts it by
// the C library's LC_CTYPE; GLFW only sets that from the environment, and
// when LANG names a locale that is not installed (LANG=zh_CN.UTF-8 on a
// system that never generated it) the locale stays "C" and every committed
// Chinese character is dropped: the candidate window shows 测试, space
// commits it, and the field stays empty. A UTF-8 LC_CTYPE fixes that;
// the person's own locale is kept when it exists. Only the C library's
// character type changes: Go code does not read it, and the UI language
// still follows LANG (startLanguage). Called before GLFW starts.
func useInputLocale() string {
	return C.GoString(C.stamp_input_locale())
}
