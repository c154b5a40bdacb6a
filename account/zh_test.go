package account

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stamp/i18n"
	"stamp/internal/i18ntest"
)

// checkChinese fails unless text is Stamp's Chinese, keeping kept as it is
// (internal/i18ntest).
func checkChinese(t *testing.T, what, text string, kept ...string) {
	t.Helper()
	i18ntest.CheckChinese(t, what, text, kept...)
}

// badFields is an account whose every checked field is wrong, with what
// the person typed that the message must quote.
func badFields(t *testing.T) (Account, map[string]string) {
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return Account{ID: "my work", Address: "Me <me@example.com>", Host: "smtp.example.com:587",
			Security: SecurityNone, Auth: AuthNone, CAFile: ca, PinnedSHA256: "abcd"},
		map[string]string{"id": `"my work"`, "address": `"Me <me@example.com>"`, "host": `"smtp.example.com"`,
			"ca_file": ca, "pinned_sha256": ""}
}

func TestValidationInChinese(t *testing.T) {
	i18n.SetLanguage(i18n.SimplifiedChinese)
	defer i18n.SetLanguage(i18n.English)
	a, keep := badFields(t)
	var ve *ValidationError
	if err := a.Validate(); !errors.As(err, &ve) {
		t.Fatalf("Validate = %v, want a *ValidationError", err)
	}
	for field, k := range keep {
		var probs []string
		for _, p := range ve.Problems {
			if p.Field == field {
				probs = append(probs, p.Problem)
			}
		}
		if len(probs) == 0 {
			t.Errorf("no problem with %s", field)
		}
		for _, p := range probs {
			if k == "" {
				checkChinese(t, field, p)
			} else {
				checkChinese(t, field, p, k)
			}
		}
	}
	for _, c := range []struct{ host, keep string }{
		{"", ""}, {"smtp://mail.example.com", `"smtp://"`}, {"mail example.com", `"mail example.com"`},
		{"-bad-.example.com", `"-bad-.example.com"`}, {strings.Repeat("a.", 130) + "com", ""},
	} {
		err := checkHost(c.host)
		if err == nil {
			t.Fatalf("checkHost(%q) = nil", c.host)
		}
		if c.keep == "" {
			checkChinese(t, "host "+c.host, err.Error())
		} else {
			checkChinese(t, "host "+c.host, err.Error(), c.keep)
		}
	}
	for _, id := range []string{"", strings.Repeat("x", MaxIDLength+1), "a/b", "\xff"} {
		err := ValidateID(id)
		if err == nil {
			t.Fatalf("ValidateID(%q) = nil", id)
		}
		checkChinese(t, "id", err.Error(), map[bool]string{true: `"a/b"`, false: ""}[id == "a/b"])
	}
	for _, addr := range []string{"", "me at example", "Me <me@example.com>"} {
		if err := checkAddress(addr); err == nil {
			t.Fatalf("checkAddress(%q) = nil", addr)
		} else if addr == "" {
			checkChinese(t, "address", err.Error())
		} else {
			checkChinese(t, "address", err.Error(), `"`+addr+`"`)
		}
	}
	if _, err := Domain("me@"); err == nil {
		t.Fatal(`Domain("me@") = nil`)
	} else {
		checkChinese(t, "domain", err.Error(), `"me@"`)
	}
	if _, err := ParseOAuthProvider("yahoo"); err == nil {
		t.Fatal("ParseOAuthProvider(yahoo) = nil")
	} else {
		checkChinese(t, "provider", err.Error(), `"yahoo"`)
	}
}

func TestStoreErrorsInChinese(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	good := Account{ID: "work", Address: "me@example.com", Host: "smtp.example.com", Security: SecurityTLS, Auth: AuthNone}
	if err := s.Add(good); err != nil {
		t.Fatal(err)
	}
	i18n.SetLanguage(i18n.SimplifiedChinese)
	defer i18n.SetLanguage(i18n.English)
	_, err = s.Get("home")
	if !errors.Is(err, ErrNoAccount) {
		t.Fatalf("Get(home) = %v, want ErrNoAccount", err)
	}
	checkChinese(t, "no account", err.Error(), `"home"`)
	err = s.Add(good)
	if !errors.Is(err, ErrAccountExists) {
		t.Fatalf("Add twice = %v, want ErrAccountExists", err)
	}
	checkChinese(t, "exists", err.Error(), `"work"`)
}

func TestABrokenSettingsFileInChinese(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "accounts.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	i18n.SetLanguage(i18n.SimplifiedChinese)
	defer i18n.SetLanguage(i18n.English)
	_, err := Open(dir)
	if err == nil {
		s, _ := Open(dir)
		_, err = s.List()
	}
	var broken *BrokenFileError
	if !errors.As(err, &broken) {
		t.Fatalf("a broken settings file: %v, want a *BrokenFileError", err)
	}
	checkChinese(t, "broken file", broken.Error(), broken.Path, "accounts.json.broken-", fmt.Sprint(broken.Err))
}

func TestValidationInEnglish(t *testing.T) {
	a, _ := badFields(t)
	err := a.Validate()
	for _, want := range []string{`the name "my work" may not contain spaces`, "write the bare address (like name@example.com)",
		`put the port 587 in the port field and only "smtp.example.com" here`, "holds no PEM certificate",
		"the SHA-256 fingerprint must be 64 hex digits", "a pinned certificate needs an encrypted connection"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want %q", err, want)
		}
	}
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("x"); err == nil || err.Error() != `account "x": no such account` {
		t.Errorf("Get(x) = %v", err)
	}
}
