package i18n

import (
	"os"
	"path/filepath"
	"testing"
)

// settings.json that is a folder, or a link to one (a dotfiles manager
// linking the wrong level, ~/.config/stamp/settings.json → ~/dotfiles/stamp):
// reading it fails with "is a directory", which SaveChoice takes for a
// damaged file: it renames the folder — the link's target, wherever it is —
// to settings.json.broken-TIME (or the target's name + .broken-TIME) and
// writes a settings file in its place. Choosing a language in Stamp moves
// the person's folder away.
func TestAttackZh2SaveChoiceMovesAFolderAside(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack test")
	}
	for _, viaLink := range []bool{false, true} {
		root := t.TempDir()
		dir := filepath.Join(root, "config")
		os.MkdirAll(dir, 0o700)
		folder := filepath.Join(dir, SettingsFile)
		if viaLink {
			folder = filepath.Join(root, "dotfiles", "stamp")
			os.MkdirAll(folder, 0o700)
			if err := os.Symlink(folder, filepath.Join(dir, SettingsFile)); err != nil {
				t.Fatal(err)
			}
		} else {
			os.MkdirAll(folder, 0o700)
		}
		keep := filepath.Join(folder, "notes.txt")
		if err := os.WriteFile(keep, []byte("mine"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := SaveChoice(dir, "zh-Hans")
		fi, serr := os.Stat(folder)
		_, kerr := os.Stat(keep)
		if serr != nil || !fi.IsDir() || kerr != nil {
			entries, _ := filepath.Glob(filepath.Join(filepath.Dir(folder), "*"))
			t.Errorf("link %v: SaveChoice (err %v) moved the folder %s away (now %v); its contents: %v", viaLink, err, folder, entries, kerr)
		}
		if err == nil {
			t.Errorf("link %v: SaveChoice into a folder named %s said nothing", viaLink, SettingsFile)
		}
	}
}
