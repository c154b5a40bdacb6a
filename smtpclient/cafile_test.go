package smtpclient

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/internal/fifotest"
)

// D5: a CA file that would block (a FIFO) or never end (/dev/zero) is
// refused before the handshake, at once: it used to hang the send beyond
// every timeout and every signal.
func TestACAFileThatWouldBlockOrNeverEndIsRefused(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "ca.pem")
	fifoErr := fifotest.Make(fifo)
	_, zeroErr := os.Stat("/dev/zero")
	for _, tc := range []struct {
		name, path string
		missing    error
	}{
		{"a FIFO nobody writes to", fifo, fifoErr},
		{"/dev/zero", "/dev/zero", zeroErr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.missing != nil {
				t.Skip("not on this system:", tc.missing)
			}
			cfg := implicitTLSScript(t, nil, nil, nil)
			cfg.CAFile = tc.path
			done := make(chan error, 1)
			go func() {
				_, err := Probe(context.Background(), cfg, nil)
				done <- err
			}()
			select {
			case err := <-done:
				var e *Error
				if !errors.As(err, &e) || e.Kind != ErrorInput || !strings.Contains(e.Message, "not a regular file") {
					t.Errorf("err = %v, want an input error saying it is not a regular file", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("reading the CA file blocked")
			}
		})
	}
}
