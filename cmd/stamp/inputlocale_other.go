//go:build !linux && !freebsd && !openbsd && !netbsd

package main

// useInputLocale is needed on X11 only (inputlocale_x11.go): Windows and
// macOS hand committed text to GLFW as UTF-16/NSString, not through the C
// library's locale.
func useInputLocale() string { return "" }
