package account

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testSecretMarker is in every password the tests use, so the end-of-run
// check (and scripts/test-keyring.sh) can look for leaks.
const testSecretMarker = "stamp-test-secret"

// testRoot holds every settings folder the tests create.
var testRoot string

func TestMain(m *testing.M) {
	if helper := os.Getenv(helperEnv); helper != "" {
		os.Exit(runHelper(helper))
	}
	dir, err := os.MkdirTemp("", "stamp-account-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	testRoot = dir
	code := m.Run()
	// After the whole suite: no test password in any file the tests wrote.
	if leaks := filesContaining(testRoot, testSecretMarker); len(leaks) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: a test password was written to: %s\n", strings.Join(leaks, ", "))
		code = 1
	}
	// scripts/secret-audit.sh searches the folder after the run.
	if os.Getenv("STAMP_KEEP_TEST_DIRS") == "" {
		os.RemoveAll(testRoot)
	}
	os.Exit(code)
}

// testPassword returns a distinct password containing testSecretMarker.
func testPassword(t testing.TB, n int) string {
	return fmt.Sprintf("%s-%s-%d-p@ss w0rd", testSecretMarker, strings.ReplaceAll(t.Name(), "/", "_"), n)
}

// testDir returns a fresh settings folder under testRoot.
func testDir(t testing.TB) string {
	t.Helper()
	d, err := os.MkdirTemp(testRoot, "cfg-")
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(d, "Stamp")
}

func openTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(testDir(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func filesContaining(root, needle string) []string {
	var found []string
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		// Only regular files: the hostile-file tests leave FIFOs and
		// links to /dev/zero behind.
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if data, err := os.ReadFile(path); err == nil && bytes.Contains(data, []byte(needle)) {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// testAccount is a valid account for a loopback test server.
func testAccount(id string) Account {
	return Account{
		ID:       id,
		Label:    "Test " + id,
		Name:     "Test Sender",
		Address:  "sender@example.org",
		Host:     "smtp.example.org",
		Port:     465,
		Security: SecurityTLS,
		Auth:     AuthAuto,
		SaveSent: true,
	}
}
