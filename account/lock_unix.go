//go:build unix

package account

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

const isWindows = false

// tryLockFile takes an exclusive advisory lock on f without waiting.
func tryLockFile(f *os.File) (bool, error) {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, unix.EWOULDBLOCK), errors.Is(err, unix.EINTR):
		return false, nil
	}
	return false, err
}

func unlockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_UN) }

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, unix.EINVAL) {
		return err
	}
	return nil
}

// renameReplace atomically replaces newpath with oldpath.
func renameReplace(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }
