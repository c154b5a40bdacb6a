package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// settingsPath returns the file that holds the settings of dir: SettingsFile
// itself, or, when SettingsFile is a symbolic link (a dotfiles manager keeps
// the real file elsewhere), the file the link leads to, so that a save
// writes through the link (atomically, in the target's folder) and keeps
// it. A link that leads nowhere or round in a loop is an error that names
// where it leads; nothing is written in its place.
func settingsPath(dir string) (string, error) {
	path := filepath.Join(dir, SettingsFile)
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return path, nil // no file, or a plain one: reading it says the rest
	}
	target, err := filepath.EvalSymlinks(path)
	if err == nil {
		return target, nil
	}
	dest, _ := os.Readlink(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: %s", path, T("settings.link_dangling",
			"it is a link to {{.Target}}, which does not exist: restore that file or remove the link (Stamp changed nothing)",
			map[string]any{"Target": dest}))
	}
	return "", fmt.Errorf("%s: %s: %w", path, T("settings.link_broken",
		"it is a link to {{.Target}} that cannot be followed (a link that leads round in a loop?): fix or remove the link (Stamp changed nothing)",
		map[string]any{"Target": dest}), err)
}
