//go:build unix

package account

import "syscall"

// mkfifo makes a named pipe at path (the hostile-file tests).
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }
