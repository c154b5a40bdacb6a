//go:build unix

package ui

import (
	"path/filepath"
	"syscall"
	"testing"
)

// A font file that is no regular file (a FIFO where a font should be) is
// refused without waiting on it.
func TestLoadFaceRefusesAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "font.otf")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if _, err := loadFace(path, 0); err == nil {
		t.Fatal("a FIFO was read as a font")
	}
}
