package main

import (
	"os"
	"path/filepath"
	"runtime"
)

// dataDir is where Stamp keeps what it writes for the person: drafts, the
// Sent folder and the sandbox inbox. $XDG_DATA_HOME/Stamp (default
// ~/.local/share/Stamp) on Linux and BSD, ~/Library/Application Support/Stamp
// on macOS, %LocalAppData%\Stamp on Windows.
func dataDir() (string, error) {
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

// instanceDir is the per-user folder for the single-instance socket:
// $XDG_RUNTIME_DIR/stamp on Linux and BSD when set (a tmpfs only the user
// enters), else Stamp/run in the user's cache folder (~/.cache,
// ~/Library/Caches, %LocalAppData%). The lock itself is a file in the data
// folder (package instance), so a start that sees another run folder (no
// XDG_RUNTIME_DIR under su or cron) still meets the running Stamp.
func instanceDir() (string, error) {
	if x := os.Getenv("XDG_RUNTIME_DIR"); runtime.GOOS != "windows" && runtime.GOOS != "darwin" && filepath.IsAbs(x) {
		return filepath.Join(x, "stamp"), nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "Stamp", "run"), nil
}
