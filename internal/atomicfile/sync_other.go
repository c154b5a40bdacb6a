//go:build !unix && !windows

package atomicfile

import "os"

// SyncDir makes a rename in dir durable where it can; here it cannot.
func SyncDir(dir string) error { return nil }

func renameReplace(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }
