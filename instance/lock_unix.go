//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package instance

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// errLocked says another process holds the lock.
var errLocked = errors.New("locked by another process")

// errNoLocks says the file system takes no locks (NFS mounted nolock).
var errNoLocks = errors.New("the file system takes no locks")

// tryLock takes an exclusive flock on path without waiting. The kernel
// drops it when the file is closed or the process ends.
func tryLock(path string) (*os.File, error) {
	f, err := openLockFile(path, os.O_RDWR|os.O_CREATE)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, errLocked
		}
		if errors.Is(err, unix.ENOLCK) || errors.Is(err, unix.EOPNOTSUPP) || errors.Is(err, unix.ENOTSUP) {
			return nil, fmt.Errorf("%w: %w", errNoLocks, err)
		}
		return nil, err
	}
	return f, nil
}

// openLockFile opens the lock file at path without following a link and
// checks, on the open file, that it is a regular file of this user.
func openLockFile(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if errors.Is(err, unix.ELOOP) {
		return nil, fmt.Errorf("%s is a link, not a lock file: refused", path)
	}
	if err != nil {
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file: refused", path)
	}
	if int(st.Uid) != os.Getuid() {
		f.Close()
		return nil, fmt.Errorf("the lock file %s belongs to another user (uid %d): refused", path, st.Uid)
	}
	return f, nil
}

// folderID is the identity of the folder dir (device and inode), the same
// through every path and link that reaches it.
func folderID(dir string) (string, error) {
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		return "", err
	}
	return fmt.Sprintf("%d:%d", uint64(st.Dev), uint64(st.Ino)), nil
}

// checkSocketFile refuses a socket file at path that is not a socket of
// this user (before anything is sent to it).
func checkSocketFile(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || fi.Mode().Type() != fs.ModeSocket {
		return &refusedError{fmt.Errorf("%s is not a socket", path)}
	}
	if int(st.Uid) != os.Getuid() {
		return &refusedError{fmt.Errorf("the socket %s belongs to another user (uid %d)", path, st.Uid)}
	}
	return nil
}

// privateDir creates dir 0700 if needed and checks that it is a real folder
// (not a link) that belongs to this user. A folder that was open to others
// is closed (0700) and then emptied of everything another user put in it
// meanwhile (a planted socket, say); if that cannot be removed, the folder
// is refused.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok {
		return fmt.Errorf("%s is not a folder", dir)
	}
	if int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s belongs to another user (uid %d)", dir, st.Uid)
	}
	if fi.Mode()&(fs.ModePerm|fs.ModeSticky|fs.ModeSetgid) != 0o700 {
		// Closed first, so no one adds anything while it is emptied.
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("%s is open to other users and cannot be closed: %w", dir, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		fi, err := os.Lstat(p)
		if err != nil {
			continue // gone meanwhile
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) == os.Getuid() {
			continue
		}
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("%s holds %s of another user, which cannot be removed: refused: %w", dir, e.Name(), err)
		}
	}
	return nil
}

// maxSocketPath is the longest socket path the OS takes (sun_path less the
// final NUL).
func maxSocketPath() int { return len(unix.RawSockaddrUnix{}.Path) - 1 }
