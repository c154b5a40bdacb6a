//go:build !linux && !darwin

package ui

import "os"

// fileChange is what tells a rewritten file from the one read before when
// its size is the same. Without a status-change time in os.FileInfo here,
// it is the modification time.
type fileChange struct {
	ctime int64 // nanoseconds since 1970
}

func fileChangeOf(fi os.FileInfo) fileChange { return fileChange{ctime: fi.ModTime().UnixNano()} }
