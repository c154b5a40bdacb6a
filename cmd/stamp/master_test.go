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
// goroutine. The last composer's close now stops that work, on the UI
// goroutine (one of several closing does not). The check runs in a child
// process: it leaves the ui package stopped for good.
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
	composers := ui.NewComposers(test.NewTempApp(t), ui.Options{DataDir: dir})
	c := composers.Start(nil)
	other := composers.NewComposer()
	test.Type(c.Subject, "Closing")
	test.Type(c.Body, "Typed after the last autosave.")
	other.Window.Close() // one of two: the app goes on
	if ui.IsStopped() {
		t.Fatal("closing one of two composers stopped the app's UI work")
	}
	c.Window.Close() // the last one, as closeNow does after the close dialog
	if !ui.IsStopped() {
		t.Fatal("closing the last composer did not stop the app's UI work")
	}
	// A send that ends now: its end must do nothing (no draft written).
	c.SendFinished(ui.Sent)
	if drafts, _ := filepath.Glob(filepath.Join(dir, "Drafts", "*.json")); len(drafts) > 0 {
		t.Fatalf("after the last composer closed, a send's end still wrote a draft (%v): UI work after the app's loop", drafts)
	}
}
