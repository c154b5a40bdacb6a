package ui

import (
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/internal/version"
)

func TestTheAboutDialogShowsTheVersionAndTheCommit(t *testing.T) {
	defer func(v, c string) { version.Version, version.Commit = v, c }(version.Version, version.Commit)
	version.Version, version.Commit = "1.2.3", "926f095-dirty"

	w := test.NewTempApp(t).NewWindow("Stamp")
	defer w.Close()
	a := ShowAbout(w)
	if got, want := a.Version.Text, "Version 1.2.3 (commit 926f095-dirty)"; got != want {
		t.Errorf("version line = %q, want %q", got, want)
	}
	// Test binaries carry no module list, so only the Go version is sure here;
	// make dist-check sees the Fyne version in the real binary.
	if !strings.Contains(a.BuiltWith.Text, runtime.Version()) {
		t.Errorf("built-with line = %q, want it to name %s", a.BuiltWith.Text, runtime.Version())
	}
}

func TestABuildWithoutTheMakefileSaysDev(t *testing.T) {
	defer func(v, c string) { version.Version, version.Commit = v, c }(version.Version, version.Commit)
	version.Version, version.Commit = "dev", ""
	if got := newAbout().Version.Text; got != "Version dev" {
		t.Errorf("version line = %q, want %q", got, "Version dev")
	}
}

// FyneApp.toml is the one source of the app's ID, version and website; the
// Go code that cannot read it at run time must agree with it.
func TestTheAppIDAndWebsiteMatchFyneAppToml(t *testing.T) {
	b, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"ID": AppID, "Website": Website} {
		m := regexp.MustCompile(`(?m)^` + key + ` *= *"([^"]*)"`).FindSubmatch(b)
		if m == nil || string(m[1]) != want {
			t.Errorf("FyneApp.toml %s = %q, want %q (the Go code says so)", key, m, want)
		}
	}
}
