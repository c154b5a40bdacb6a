//go:build !unix

package fifotest

import "errors"

// Make fails: there are no named pipes in the file system here, so the
// tests that need one skip.
func Make(string) error { return errors.New("no FIFOs on this system") }
