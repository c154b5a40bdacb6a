//go:build linux || darwin

package ui

import (
	"os"
	"syscall"
)

// fileChange is what tells a rewritten file from the one read before when
// its size and modification time are the same: the inode (a file replaced
// by a rename) and the status-change time, which any write sets and which,
// unlike the modification time, no restore or copy tool can set back.
type fileChange struct {
	dev, ino uint64
	ctime    int64 // nanoseconds since 1970
}

func fileChangeOf(fi os.FileInfo) fileChange {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileChange{ctime: fi.ModTime().UnixNano()}
	}
	ts := statusChanged(st)
	return fileChange{dev: uint64(st.Dev), ino: uint64(st.Ino), ctime: ts.Nano()}
}
