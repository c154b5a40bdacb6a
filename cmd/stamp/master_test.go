package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/ui"
)

// ATTACK2 item 8: ui.Stopped() was set only after a.Run() returned, while
// Fyne, its queue drained, runs late fyne.Do calls inline on the caller's
// goroutine: a send ending then did its UI and draft work on its own
// goroutine. The master window's close now stops that work, on the UI
// goroutine. The check runs in a child process: it leaves the ui package
// stopped for good.
func TestClosingTheMainWindowStopsUIWorkBeforeTheLoopEnds(t *testing.T) {
	if os.Getenv("STAMP_TEST_MASTER_CLOSE") != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestClosingTheMainWindowStopsUIWorkBeforeTheLoopEnds$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STAMP_TEST_MASTER_CLOSE=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	dir := t.TempDir()
	c := ui.NewComposer(test.NewTempApp(t), ui.Options{DataDir: dir})
	showMaster(c)
	test.Type(c.Subject, "Closing")
	test.Type(c.Body, "Typed after the last autosave.")
	c.Window.Close() // as closeNow does, after the close dialog
	// A send that ends now: its end must do nothing (no draft written).
	c.SendFinished(ui.Sent)
	if _, err := os.Stat(filepath.Join(dir, "Drafts", "current.json")); err == nil {
		t.Fatal("after the main window closed, a send's end still wrote the draft: UI work after the app's loop")
	}
}
