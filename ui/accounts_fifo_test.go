//go:build unix

package ui

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"stamp/account"
)

// A FIFO as the CA file blocks a plain read for ever: Save and Test
// connection must return at once, keep the window usable, and end in a
// clear error.
func TestACAFileThatBlocksNeverFreezesTheAccountsWindow(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "ca.pem")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	t.Cleanup(func() {
		// Let a read that is still blocked end (no reader: ENXIO, ignored).
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	old := checkTimeout
	checkTimeout = 500 * time.Millisecond
	t.Cleanup(func() { checkTimeout = old })

	for _, action := range []string{"Save", "Test connection"} {
		t.Run(action, func(t *testing.T) {
			w, store, _, _ := newTestAccountsWindow(t)
			test.Type(w.Address, "ann@example.org")
			w.Host.SetText("smtp.example.org")
			w.Port.SetText("465")
			w.setSecurity(account.SecurityTLS)
			w.CAFile.SetText(fifo)
			w.Window.Resize(fyne.NewSize(900, 760))
			returned := make(chan struct{})
			go func() {
				if action == "Save" {
					w.Save()
				} else {
					w.TestConnection()
				}
				close(returned)
			}()
			select {
			case <-returned:
			case <-time.After(3 * time.Second):
				t.Fatalf("%s blocked the UI goroutine on the CA file", action)
			}
			if !w.SaveButton.Disabled() && w.Status.Text == "Checking the settings…" {
				t.Fatal("Save stays enabled while the settings are checked")
			}
			saveShot(t, w.Window, "accounts-ca-fifo-checking-"+strings.ReplaceAll(action, " ", "-"))
			w.waitIdle(t)
			saveShot(t, w.Window, "accounts-ca-fifo-error-"+strings.ReplaceAll(action, " ", "-"))
			if !strings.Contains(w.Status.Text, "CA file") || !(strings.HasPrefix(w.Status.Text, "Not saved") || strings.HasPrefix(w.Status.Text, "Cannot test")) {
				t.Fatalf("status = %q, want an error naming the CA file", w.Status.Text)
			}
			if w.SaveButton.Disabled() || w.TestButton.Disabled() {
				t.Fatal("the buttons stay disabled after the check")
			}
			if list, _ := store.List(); len(list) != 0 {
				t.Fatalf("an account with an unreadable CA file was saved: %+v", list)
			}
			if w.probe != nil {
				t.Fatal("a connection test started with an unreadable CA file")
			}
		})
	}
}
