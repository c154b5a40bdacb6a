//go:build darwin

package i18n

import (
	"context"
	"os/exec"
	"time"

	"golang.org/x/text/language"
)

// systemLanguages reads the gettext variables (set in a terminal), then
// macOS's own list, `defaults read -g AppleLanguages` (a plist array such as
// ("zh-Hans-CN", "en-US")), bounded to two seconds: a double-clicked app gets
// no LANG.
func systemLanguages() []language.Tag {
	tags := envLanguages(getenv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "/usr/bin/defaults", "read", "-g", "AppleLanguages").Output()
	if err != nil {
		return tags
	}
	return append(tags, parseAppleLanguages(string(out))...)
}
