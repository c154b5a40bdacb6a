//go:build windows

package atomicfile

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// SyncDir makes a rename in dir durable; on Windows it is a no-op: a folder cannot be opened for syncing on Windows;
// NTFS journals the rename itself.
func SyncDir(dir string) error { return nil }

// renameReplace replaces newpath with oldpath (MoveFileEx with
// MOVEFILE_REPLACE_EXISTING, behind os.Rename). A reader that has the old
// file open at that instant (an antivirus scanner, another Stamp reading
// it) makes the rename fail with a sharing violation, so it is retried for
// a moment.
func renameReplace(oldpath, newpath string) error {
	var err error
	for i := 0; i < 20; i++ {
		if err = os.Rename(oldpath, newpath); err == nil {
			return nil
		}
		if !errors.Is(err, windows.ERROR_SHARING_VIOLATION) && !errors.Is(err, windows.ERROR_ACCESS_DENIED) {
			return err
		}
		time.Sleep(25 * time.Millisecond)
	}
	return err
}
