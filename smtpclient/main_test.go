package smtpclient

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMain runs the tests; with STAMP_TEST_TRANSCRIPTS set to a folder it
// then writes every recorded session there — the transcript and the events
// as JSON, errors included — for scripts/secret-audit.sh to search for test
// passwords.
func TestMain(m *testing.M) {
	code := m.Run()
	if dir := os.Getenv("STAMP_TEST_TRANSCRIPTS"); dir != "" {
		if err := writeTranscripts(filepath.Join(dir, "smtpclient")); err != nil {
			fmt.Fprintln(os.Stderr, "write transcripts:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func writeTranscripts(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	allRecorders.mu.Lock()
	defer allRecorders.mu.Unlock()
	for i, r := range allRecorders.list {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("session-%04d.txt", i)))
		if err != nil {
			return err
		}
		fmt.Fprint(f, r.transcript())
		enc := json.NewEncoder(f)
		for _, ev := range r.all() {
			enc.Encode(ev)
			if ev.Err != nil {
				fmt.Fprintln(f, ev.Err.Explain())
			}
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
