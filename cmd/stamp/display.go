package main

import (
	"os"
	"runtime"

	"stamp/i18n"
)

// displayProblem explains, in words a person understands, why no window can
// be opened, or returns "" when a display is there. Without this check the
// GL driver panics deep inside GLFW on a machine without a desktop.
func displayProblem() string {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
	default:
		return ""
	}
	if os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return i18n.T("cli.no_display", "no graphical display found (neither DISPLAY nor WAYLAND_DISPLAY is set).\nStart Stamp from your desktop session, or on a server run it under a virtual display:\n  xvfb-run -a make run\nTo send from a terminal instead, use stamp-send (see README.md).")
}
