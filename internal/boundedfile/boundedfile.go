// Package boundedfile reads the small local files Stamp is handed (the
// account settings, a CA file) so that a hostile or mistaken path cannot
// hang or exhaust it: only a regular file is read, opening never waits
// (a FIFO nobody writes to is refused at once), and the size is capped.
package boundedfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// DefaultLimit is the usual cap: 4 MiB, far more than any settings or CA
// file needs.
const DefaultLimit = 4 << 20

// ErrNotRegular and ErrTooLarge are what a refusal wraps; errors.Is finds
// them.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("file too large")
)

// RefusedError says why a file was not read, in words ("not a regular file
// but a FIFO", "larger than 4194304 bytes"), without the path: callers
// name the file in their own words.
type RefusedError struct {
	Reason string
	err    error
}

func (e *RefusedError) Error() string { return e.Reason }

// Unwrap returns ErrNotRegular or ErrTooLarge.
func (e *RefusedError) Unwrap() error { return e.err }

// Open opens path for reading when it is a regular file (after following
// symbolic links), without waiting on a FIFO, and returns it with its
// FileInfo; the caller reads it and closes it. A missing file is an error
// that wraps fs.ErrNotExist; a FIFO, device, socket or folder is a
// *RefusedError.
func Open(path string) (*os.File, fs.FileInfo, error) {
	// Look first, so that a FIFO or a device is never opened where the
	// open itself cannot be kept from waiting (Windows); where it can
	// (openNonBlocking), the file is checked again once open, in case it
	// was replaced in between.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, notRegular(fi.Mode())
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, err
	}
	if fi, err = f.Stat(); err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, nil, notRegular(fi.Mode())
	}
	return f, fi, nil
}

// Read returns the contents of path when it is a regular file (after
// following symbolic links) of at most limit bytes. A missing file is an
// error that wraps fs.ErrNotExist; a FIFO, device, socket or folder and a
// file over limit are *RefusedError.
func Read(path string, limit int64) ([]byte, error) {
	f, fi, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if fi.Size() <= limit {
		buf.Grow(int(fi.Size()) + 1)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > limit {
		return nil, &RefusedError{Reason: fmt.Sprintf("larger than %d bytes", limit), err: ErrTooLarge}
	}
	return buf.Bytes(), nil
}

func notRegular(m fs.FileMode) error {
	return &RefusedError{Reason: "not a regular file but " + Kind(m), err: ErrNotRegular}
}

// Kind names what a path is when it is not a regular file: "a folder",
// "a FIFO", "a device", "a socket" or "a special file".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}
