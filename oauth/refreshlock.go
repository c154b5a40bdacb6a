package oauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"time"

	"stamp/account"
	"stamp/internal/filelock"
)

// refreshLockWait bounds the wait for another process's refresh of the
// same account (one token request and two keyring calls take far less).
// Past it the refresh goes on without the lock: a process stuck that long
// must not stop this one, and the re-read after invalid_grant still
// catches a token it rotated meanwhile.
const refreshLockWait = 45 * time.Second

// lockPath is the account's sign-in lock file: in the settings folder,
// next to accounts.json, named from a hash of the ID (IDs may hold
// characters a file name may not).
func (m *Manager) lockPath(id string) string {
	dir := m.LockDir
	if dir == "" {
		d, err := account.DefaultDir()
		if err != nil {
			return ""
		}
		dir = d
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs // every process finds the same file, whatever its folder
	}
	sum := sha256.Sum256([]byte(id))
	return filepath.Join(dir, "signin-"+hex.EncodeToString(sum[:8])+".lock")
}

// lockAccount takes the account's sign-in lock, shared by every Stamp
// process of this user (the app, stamp-send, a cron job), so that one
// reads, refreshes and saves the refresh token while the others wait. It
// never fails: with no settings folder (no account was ever saved there),
// a lock that cannot be made, or another process holding it past the wait
// (or ctx's deadline), it goes on without, and unlock does nothing.
func lockAccount(ctx context.Context, path string) (unlock func()) {
	noop := func() {}
	if path == "" {
		return noop
	}
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return noop
	}
	wait := refreshLockWait
	if d, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(d))
	}
	if wait <= 0 {
		return noop
	}
	unlock, err := filelock.Acquire(path, wait)
	if err != nil {
		return noop
	}
	return unlock
}
