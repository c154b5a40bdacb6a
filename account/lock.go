package account

import (
	"os"
	"runtime"

	"stamp/internal/filelock"
)

const isWindows = runtime.GOOS == "windows"

// tryLockFile takes an exclusive advisory lock on f without waiting.
func tryLockFile(f *os.File) (bool, error) { return filelock.TryLock(f) }

func unlockFile(f *os.File) { filelock.Unlock(f) }
