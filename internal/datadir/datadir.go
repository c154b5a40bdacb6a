// Package datadir is where Stamp keeps what it writes for the person —
// drafts, the Sent folder, the outbox, the sandbox inbox — so that the app
// and stamp-send use the same folder.
package datadir

import (
	"os"
	"path/filepath"
	"runtime"
)

// Dir is the data folder: $XDG_DATA_HOME/Stamp (default
// ~/.local/share/Stamp) on Linux and BSD, ~/Library/Application
// Support/Stamp on macOS, %LocalAppData%\Stamp on Windows.
func Dir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		// Local, not Roaming: sandbox messages and Sent copies can be large.
		if local := os.Getenv("LOCALAPPDATA"); local != "" {
			return filepath.Join(local, "Stamp"), nil
		}
		base, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(base, "Stamp"), nil
	case "darwin", "ios", "android":
		base, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(base, "Stamp"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "Stamp"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "Stamp"), nil
}

// Outbox and Sent are the outbox and Sent folders inside the data folder
// data.
func Outbox(data string) string { return filepath.Join(data, "Outbox") }

// Sent is the Sent folder inside the data folder data.
func Sent(data string) string { return filepath.Join(data, "Sent") }
