package ui

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
)

// testSecrets is the real OS keyring when scripts/test-keyring.sh runs the
// tests (STAMP_REAL_KEYRING=1, inside a private D-Bus session with an
// unlocked GNOME Keyring); otherwise an in-memory keyring, because a
// developer's machine or CI step may have no Secret Service to talk to.
func testSecrets(t *testing.T) (*account.Secrets, bool) {
	if os.Getenv("STAMP_REAL_KEYRING") == "1" {
		return account.NewSecrets(), true
	}
	return account.NewSecretsWith(account.NewMemoryKeyring()), false
}

func newTestAccountsWindow(t *testing.T) (*AccountsWindow, *account.Store, *account.Secrets, bool) {
	t.Helper()
	store, err := account.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	secrets, real := testSecrets(t)
	return NewAccountsWindow(test.NewTempApp(t), store, secrets), store, secrets, real
}

func TestTypingAGmailAddressFillsTheServerAndShowsTheChecklist(t *testing.T) {
	w, _, _, _ := newTestAccountsWindow(t)
	test.Type(w.Address, "Someone@Gmail.com")
	if w.Host.Text != "smtp.gmail.com" || w.Port.Text != "465" || w.Security.Selected != securityChoices[0].label {
		t.Fatalf("preset fill: host=%q port=%q security=%q", w.Host.Text, w.Port.Text, w.Security.Selected)
	}
	if !strings.Contains(w.Notes.Text, "app password") {
		t.Fatalf("notes = %q, want the app password advice", w.Notes.Text)
	}
}

func TestAChineseProviderShowsItsChecklistInBothLanguages(t *testing.T) {
	w, _, _, _ := newTestAccountsWindow(t)
	test.Type(w.Address, "someone@qq.com")
	if w.Host.Text != "smtp.qq.com" {
		t.Fatalf("host = %q", w.Host.Text)
	}
	if !strings.Contains(w.Notes.Text, "授权码") || !strings.Contains(w.Notes.Text, "authorization code") {
		t.Fatalf("notes = %q, want the 授权码 checklist in Chinese and English", w.Notes.Text)
	}
}

func TestAServerTheUserTypedIsNotOverwrittenByThePreset(t *testing.T) {
	w, _, _, _ := newTestAccountsWindow(t)
	w.Host.SetText("mail.example.net")
	test.Type(w.Address, "me@gmail.com")
	if w.Host.Text != "mail.example.net" {
		t.Fatalf("the preset replaced a host the person typed: %q", w.Host.Text)
	}
}

func TestSavePutsThePasswordInTheKeyringAndNeverInTheFile(t *testing.T) {
	w, store, secrets, real := newTestAccountsWindow(t)
	changed := 0
	w.OnChanged = func() { changed++ }
	const password = "Stamp-ui-test-pw-9f3e1c"
	test.Type(w.Address, "ann@example.org")
	w.Host.SetText("127.0.0.1")
	w.Port.SetText("2525")
	w.setSecurity(account.SecurityNone)
	test.Type(w.Password, password)
	w.Save()
	w.waitIdle(t)
	if w.Status.Importance == widget.DangerImportance || !strings.Contains(w.Status.Text, "Saved") {
		t.Fatalf("status after Save = %q", w.Status.Text)
	}
	waitFor(t, "the keyring save", func() bool { return !strings.HasPrefix(w.PasswordWhere.Text, "Saving") })
	if !strings.Contains(w.PasswordWhere.Text, "saved in the system keyring") {
		t.Fatalf("password location = %q", w.PasswordWhere.Text)
	}
	list, _ := store.List()
	if len(list) != 1 || list[0].Address != "ann@example.org" || changed == 0 {
		t.Fatalf("accounts = %+v, OnChanged ran %d times", list, changed)
	}
	got, loc, err := secrets.Password(context.Background(), list[0].ID)
	if err != nil || got != password || loc != account.LocationKeyring {
		t.Fatalf("keyring holds %q at %v (%v)", got, loc, err)
	}
	if real {
		out, err := exec.Command("secret-tool", "lookup", "service", account.KeyringService, "username", list[0].ID).Output()
		if err != nil || !strings.Contains(string(out), password) {
			t.Fatalf("secret-tool does not find the password in the real keyring: %v", err)
		}
	}
	assertNoFileContains(t, store.Dir(), password)
	if w.Password.Text != "" {
		t.Fatal("the password stays in the form after saving")
	}

	w.Remove(list[0].ID)
	waitFor(t, "the removal", func() bool { return strings.Contains(w.Status.Text, "Removed") })
	if list, _ := store.List(); len(list) != 0 {
		t.Fatalf("accounts after removal: %+v", list)
	}
	if _, _, err := secrets.Password(context.Background(), "ann@example.org"); err == nil {
		t.Fatal("the password is still in the keyring after the account was removed")
	}
}

func TestAnInvalidAccountIsNotSavedAndTheFieldIsNamed(t *testing.T) {
	w, store, _, _ := newTestAccountsWindow(t)
	test.Type(w.Address, "bob@example.org")
	w.Host.SetText("smtp.example.org")
	w.setSecurity(account.SecurityNone)
	w.Save()
	w.waitIdle(t)
	if !strings.Contains(w.Status.Text, "Not saved") || !strings.Contains(w.Status.Text, "without encryption") {
		t.Fatalf("status = %q, want the plain-text password refusal", w.Status.Text)
	}
	if list, _ := store.List(); len(list) != 0 {
		t.Fatal("an invalid account was saved")
	}
}

func assertNoFileContains(t *testing.T, dir, secret string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, _ := os.ReadFile(p); strings.Contains(string(data), secret) {
				t.Errorf("%s contains the password", p)
			}
		}
		return nil
	})
}

func TestADamagedSettingsFileIsKeptAndStartingOverIsAChoice(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, account.FileName)
	os.WriteFile(path, []byte(`{"version":1,"accounts":[{"id":"x"`), 0o600)
	store, err := account.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	secrets, _ := testSecrets(t)
	w := NewAccountsWindow(test.NewTempApp(t), store, secrets)
	if !w.ResetButton.Visible() || w.Status.Importance != widget.DangerImportance {
		t.Fatalf("damaged file: reset visible=%v status=%q", w.ResetButton.Visible(), w.Status.Text)
	}
	test.Tap(w.ResetButton)
	kept, _ := filepath.Glob(path + ".broken-*")
	if len(kept) != 1 {
		t.Fatalf("kept files = %v", kept)
	}
	if data, _ := os.ReadFile(kept[0]); !strings.Contains(string(data), `"id":"x"`) {
		t.Fatal("the damaged file lost its content")
	}
	if w.ResetButton.Visible() {
		t.Fatal("the reset button stays after starting over")
	}
}

// The signature is edited in the Accounts window: Save keeps it with the
// account (normalised: no delimiter of its own, no trailing blanks), the
// open composer's new message gets it under "-- ", and editing the account
// again shows it.
func TestASignatureEditedInTheAccountsWindowReachesTheComposer(t *testing.T) {
	w, store, _, _ := newTestAccountsWindow(t)
	c := NewComposer(test.NewTempApp(t), Options{DataDir: t.TempDir(), Senders: func() []Sender {
		s, _ := AccountSenders(store)
		return s
	}})
	w.OnChanged = c.ReloadSenders
	test.Type(w.Address, "ann@example.org")
	w.Host.SetText("127.0.0.1")
	w.Port.SetText("2525")
	w.setSecurity(account.SecurityNone)
	w.Signature.SetText("-- \nAnn Example\nExample Ltd, +1 555 0100  \n\n")
	w.Save()
	w.waitIdle(t)
	if w.Status.Importance == widget.DangerImportance || !strings.Contains(w.Status.Text, "Saved") {
		t.Fatalf("status after Save = %q", w.Status.Text)
	}
	list, _ := store.List()
	if len(list) != 1 || list[0].Signature != "Ann Example\nExample Ltd, +1 555 0100" {
		t.Fatalf("saved signature = %q", list[0].Signature)
	}
	waitFor(t, "the composer's new message to take the signature", func() bool {
		return c.Body.Text == "\n\n-- \nAnn Example\nExample Ltd, +1 555 0100"
	})
	w.Edit("")
	if w.Signature.Text != "" {
		t.Fatalf("a new account's form shows the signature %q", w.Signature.Text)
	}
	w.Edit(list[0].ID)
	if w.Signature.Text != "Ann Example\nExample Ltd, +1 555 0100" {
		t.Fatalf("editing the account shows the signature %q", w.Signature.Text)
	}
}
