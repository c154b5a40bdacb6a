//go:build windows

package instance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"
)

// errLocked says another process holds the lock.
var errLocked = errors.New("locked by another process")

// errNoLocks says the file system takes no locks; LockFileEx does not say
// so distinctly, so it is never returned here.
var errNoLocks = errors.New("the file system takes no locks")

// tryLock takes an exclusive LockFileEx lock on path without waiting.
// Windows drops it when the handle is closed or the process ends. The lock
// covers one byte at 4 GiB, past what the primary writes, because Windows
// locks are mandatory: a later start must still read the note at offset 0.
func tryLock(path string) (*os.File, error) {
	f, err := openLockFile(path, os.O_RDWR|os.O_CREATE)
	if err != nil {
		return nil, err
	}
	ol := &windows.Overlapped{OffsetHigh: 1}
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if err != nil {
		f.Close()
		if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			return nil, errLocked
		}
		return nil, err
	}
	return f, nil
}

// openLockFile opens the lock file. The data folder under %LocalAppData%
// is closed to other users by its ACL.
func openLockFile(path string, flag int) (*os.File, error) {
	return os.OpenFile(path, flag, 0o600)
}

// folderID is the identity of the folder dir: its path with links resolved,
// in one case (NTFS compares names without case).
func folderID(dir string) (string, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(real)
	if err != nil {
		return "", err
	}
	return strings.ToLower(abs), nil
}

// checkSocketFile has no owner to check here; the run folder's ACL is the
// protection.
func checkSocketFile(string) error { return nil }

// privateDir creates dir. On Windows the caller's folder (under
// %LocalAppData%) is already closed to other users by its ACL.
func privateDir(dir string) error { return os.MkdirAll(dir, 0o700) }

// maxSocketPath is the longest socket path Windows takes (sun_path is 108
// bytes, less the final NUL).
func maxSocketPath() int { return 107 }
