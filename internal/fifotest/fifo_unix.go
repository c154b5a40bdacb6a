//go:build unix

package fifotest

import "syscall"

// Make makes a named pipe at path, mode 0600.
func Make(path string) error { return syscall.Mkfifo(path, 0o600) }
