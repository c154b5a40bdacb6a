//go:build windows

package account

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

const isWindows = true

// tryLockFile takes an exclusive lock on the first byte of f without waiting.
func tryLockFile(f *os.File) (bool, error) {
	ol := new(windows.Overlapped)
	err := windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	}
	return false, err
}

func unlockFile(f *os.File) {
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, new(windows.Overlapped))
}

// syncDir is a no-op: a folder cannot be opened for syncing on Windows;
// NTFS journals the rename itself.
func syncDir(dir string) error { return nil }

// renameReplace replaces newpath with oldpath (MoveFileEx with
// MOVEFILE_REPLACE_EXISTING, behind os.Rename). A reader that has the old
// file open at that instant (an antivirus scanner, another Stamp reading
// the settings) makes the rename fail with a sharing violation, so it is
// retried for a moment.
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
