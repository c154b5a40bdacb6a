package main

import (
	"os"
	"path/filepath"
	"runtime"

	"stamp/internal/datadir"
)

// dataDir is where Stamp keeps what it writes for the person (drafts, the
// Sent folder, the outbox, the sandbox inbox): internal/datadir, shared
// with stamp-send.
func dataDir() (string, error) { return datadir.Dir() }

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
