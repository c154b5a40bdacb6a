//go:build unix

package main

import "syscall"

// mkfifo makes a named pipe at path (the hostile-file tests).
func mkfifo(path string) error { return syscall.Mkfifo(path, 0o600) }
