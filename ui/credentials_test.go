package ui

import (
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
)

func TestSaveItInTheKeyringOnceItWorksSaysWhereThePasswordWent(t *testing.T) {
	tests := []struct {
		name       string
		fail       error
		want       string
		inKeyring  int
		nextAsks   bool
		wantInHint string
	}{
		{"an open keyring saves it", nil, "is saved in the system keyring", 1, false, ""},
		{"a locked keyring keeps it for this session and says how to unlock",
			&account.KeyringUnavailableError{Reason: account.ReasonLocked, Err: errors.New("org.freedesktop.Secret.Error.IsLocked")},
			"kept for this session only, because the keyring is locked", 0, true, "Unlock the keyring"},
		{"no keyring service keeps it for this session and says what to install",
			&account.KeyringUnavailableError{Reason: account.ReasonNoService, Err: errors.New("ServiceUnknown")},
			"kept for this session only, because no keyring service is running", 0, true, "gnome-keyring"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store, _ := account.Open(t.TempDir())
			acct := account.Account{ID: "work", Address: "me@example.com", Host: "127.0.0.1", Port: 2525,
				Security: account.SecurityNone}
			if err := store.Add(acct); err != nil {
				t.Fatal(err)
			}
			kr := account.NewMemoryKeyring()
			secrets := account.NewSecretsWith(kr)
			w := test.NewTempApp(t).NewWindow("Send — Stamp")
			w.Resize(fyne.NewSize(640, 420))
			config := AccountConfig(store, secrets)
			type result struct {
				settle func(bool)
				err    error
			}
			done := make(chan result, 1)
			go func() {
				_, settle, err := config(context.Background(), accountSender(acct), w)
				done <- result{settle, err}
			}()
			answerPasswordPrompt(t, w, "s3cret-pw") // "Save it in the system keyring once it works" is ticked
			r := <-done
			if r.err != nil || r.settle == nil {
				t.Fatalf("config: %v", r.err)
			}
			kr.Fail = tc.fail
			r.settle(true) // the server accepted the password
			var text string
			waitFor(t, "a word on where the password went", func() bool {
				text = ""
				if top := w.Canvas().Overlays().Top(); top != nil {
					walk(top, func(o fyne.CanvasObject) {
						if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "password for") {
							text = l.Text
						}
					})
				}
				return text != ""
			})
			saveShot(t, w, "keyring-outcome-"+strings.ReplaceAll(tc.name, " ", "-"))
			if !strings.Contains(text, tc.want) || !strings.Contains(text, tc.wantInHint) {
				t.Fatalf("the person is told %q; want %q and %q", text, tc.want, tc.wantInHint)
			}
			if strings.Contains(text, "s3cret-pw") {
				t.Fatal("the message shows the password")
			}
			kr.Fail = nil
			if kr.Len() != tc.inKeyring {
				t.Fatalf("the keyring holds %d entries, want %d", kr.Len(), tc.inKeyring)
			}
			_, loc, _ := secrets.Get(context.Background(), acct.ID)
			if (loc == account.LocationSession) != tc.nextAsks {
				t.Fatalf("the password lives in %v", loc)
			}
		})
	}
}

// saveShot writes w as a PNG into $STAMP_SHOTS (for looking at a change;
// nothing when unset).
func saveShot(t *testing.T, w fyne.Window, name string) {
	dir := os.Getenv("STAMP_SHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Lay the window out again: the test driver has no frame loop to do it
	// after a label's text changed.
	size := w.Canvas().Size()
	w.Resize(size.AddWidthHeight(1, 1))
	w.Resize(size)
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// Once the app's loop has ended no prompt can show or be answered: a send
// waiting for a password must end then, or closing Stamp waits a minute for it.
func TestAPasswordPromptStopsWaitingWhenTheAppStops(t *testing.T) {
	w := test.NewTempApp(t).NewWindow("Send — Stamp")
	acct := account.Account{ID: "work", Address: "me@example.com", Host: "127.0.0.1", Port: 2525}
	done := make(chan error, 1)
	go func() {
		_, _, err := askPassword(context.Background(), w, acct, "The server asks for a password.", true)
		done <- err
	}()
	Stopped()
	t.Cleanup(restartForTest)
	if err := waitRecv(t, done, "askPassword to return"); !errors.Is(err, context.Canceled) {
		t.Fatalf("askPassword after the app stopped = %v, want a cancellation", err)
	}
}
