package account

import (
	"errors"
	"fmt"
	"io"
	"os"

	"stamp/i18n"
	"stamp/internal/atomicfile"
)

// tempPrefix starts the name of a settings file being written.
const tempPrefix = "." + FileName + ".tmp-"

// beforeRename runs between writing the temporary file and renaming it over
// the real one. Tests set it to simulate a crash at the worst moment.
var beforeRename = func(tmp string) error { return nil }

// writeFileAtomic replaces path with data so that a reader or a crash sees
// either the old file or the new one, never a mix (internal/atomicfile:
// mode 0600, file and folder synced). beforeRename runs once the data is
// written, with the temporary file's name.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.Write(path, 0o600, func(w io.Writer) error {
		if _, err := w.Write(data); err != nil {
			return err
		}
		return beforeRename(w.(interface{ Name() string }).Name())
	})
}

// tightenDir makes the settings folder private to its owner.
func tightenDir(dir string) error {
	if isWindows {
		return nil // ACLs, not mode bits, protect %AppData%
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", i18n.T("account.err.settings_folder", "settings folder"), err)
	}
	if !info.IsDir() {
		return errors.New(i18n.T("account.err.settings_not_folder", "settings folder {{.Path}} is not a folder", map[string]any{"Path": dir}))
	}
	if info.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("%s: %w", i18n.T("account.err.settings_private", "make the settings folder private"), err)
		}
	}
	return nil
}
