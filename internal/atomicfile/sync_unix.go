//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// SyncDir makes a rename in dir durable. A file system that cannot sync a
// folder (EINVAL) has nothing to do.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// renameReplace atomically replaces newpath with oldpath.
func renameReplace(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }
