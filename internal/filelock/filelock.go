// Package filelock keeps two processes from changing the same file at once:
// an exclusive, advisory lock on an open file (flock on Unix, LockFileEx on
// Windows). TryLock takes it without waiting; Acquire takes it on a separate
// lock file with a bounded wait. The OS drops the lock when the file is
// closed or the process ends (also on kill -9), so a lock can never outlive
// its holder. account's settings lock, contacts' lock and the outbox's
// per-message locks use it.
package filelock

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrBusy is what Acquire wraps when another process still held the lock
// when the wait ran out.
var ErrBusy = errors.New("locked by another process")

// Acquire takes the exclusive lock on the file at path (created, mode 0600,
// if missing), trying again until timeout has passed. The lock file should
// be one that is never replaced (not the data file itself, which an atomic
// write renames over). unlock releases it; call it exactly once.
func Acquire(path string, timeout time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	delay := time.Millisecond
	for {
		ok, err := TryLock(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			return func() {
				Unlock(f)
				f.Close()
			}, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("still %w after %s", ErrBusy, timeout)
		}
		time.Sleep(delay)
		if delay < 50*time.Millisecond {
			delay *= 2
		}
	}
}
