package oauth_test

import (
	"os"
	"testing"

	"stamp/account"
)

// TestMain points the settings folder (where Managers keep their sign-in
// locks) at a temporary one, never the person's own.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "stamp-oauth-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv(account.ConfigDirEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
