//go:build unix

package boundedfile

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without waiting: a FIFO that was
// swapped in after the check opens at once instead of waiting for a writer.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
