//go:build windows

package instance

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// errLocked says another process holds the lock.
var errLocked = errors.New("locked by another process")

// tryLock takes an exclusive LockFileEx lock on path without waiting.
// Windows drops it when the handle is closed or the process ends.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	ol := new(windows.Overlapped)
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

// privateDir creates dir. On Windows the caller's folder (under
// %LocalAppData%) is already closed to other users by its ACL.
func privateDir(dir string) error { return os.MkdirAll(dir, 0o700) }

// maxSocketPath is the longest socket path Windows takes (sun_path is 108
// bytes, less the final NUL).
func maxSocketPath() int { return 107 }
