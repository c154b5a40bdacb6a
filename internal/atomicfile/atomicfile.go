// Package atomicfile writes files so that a reader, a crash or a full disk
// never sees half of them: the data goes to a temporary file in the same
// folder, is flushed to disk, and only then renamed over the old file.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Write replaces path with what write produces, atomically, with the given
// permissions: the temporary file ("."+name+".tmp-…", in the same folder)
// is synced to disk, renamed over path, and the folder is synced so that
// the rename survives a crash. If write or any step up to the rename fails,
// the old file is left untouched and the temporary file is removed; an
// error from syncing the folder comes after the rename (the new file is in
// place, but a crash could still undo it). write gets the temporary
// *os.File; its Name is the temporary path.
func Write(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	return place(path, perm, write, renameReplace)
}

// place is Write with the last step (the temporary file into path) given.
func place(path string, perm os.FileMode, write func(io.Writer) error, into func(tmp, path string) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// Windows has no mode bits (ACLs protect the folders Stamp uses).
	if err = tmp.Chmod(perm); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: flush to disk: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = into(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := SyncDir(dir); err != nil {
		return fmt.Errorf("write %s: flush the folder to disk: %w", path, err)
	}
	return nil
}

// WriteBytes is Write for data already in memory.
func WriteBytes(path string, perm os.FileMode, data []byte) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// RemoveStaleTemps deletes the temporary files that a Write of path left
// behind because its process was killed, when they are older than age.
// Call it while holding the file's writer lock, so that no live writer
// owns them; the age guards a file system without locks.
func RemoveStaleTemps(path string, age time.Duration) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := "." + filepath.Base(path) + ".tmp-"
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
