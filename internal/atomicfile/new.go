package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// WriteNew is Write for a file that must not replace another: when path
// exists (or appears meanwhile, written by another process) it returns an
// error that wraps fs.ErrExist and leaves both files as they were. The
// temporary file is hard-linked into place (link(2) fails on an existing
// name); on a file system without hard links, path is first created
// empty with O_EXCL (the claim), then the flushed temporary file is
// renamed over it.
func WriteNew(path string, perm os.FileMode, write func(io.Writer) error) error {
	return place(path, perm, write, linkNew)
}

// linkNew puts tmp at path unless path exists, and removes tmp.
func linkNew(tmp, path string) error {
	err := os.Link(tmp, path)
	if err == nil {
		os.Remove(tmp)
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		return err
	}
	// No hard links here (FAT, some network shares): claim the name.
	f, cerr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if cerr != nil {
		return cerr
	}
	f.Close()
	if err := renameReplace(tmp, path); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
