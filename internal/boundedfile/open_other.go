//go:build !unix

package boundedfile

import "os"

// openNonBlocking opens path for reading; where a non-blocking open does
// not exist, the check before it is the guard.
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
