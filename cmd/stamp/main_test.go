package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"stamp/instance"
)

// The test binary runs Stamp's main when STAMP_RUN_MAIN is set.
func TestMain(m *testing.M) {
	if os.Getenv("STAMP_RUN_MAIN") == "1" {
		os.Args = append([]string{"stamp"}, flagArgs()...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// flagArgs are the arguments after "--" (the test binary's own flags come
// before).
func flagArgs() []string {
	for i, a := range os.Args {
		if a == "--" {
			return os.Args[i+1:]
		}
	}
	return nil
}

func TestASecondStampHandsItsFileToTheRunningOneAndExitsZero(t *testing.T) {
	tmp := xdgTemp(t)
	runDir, dataHome := filepath.Join(tmp, "run"), filepath.Join(tmp, "data")
	os.MkdirAll(runDir, 0o700)
	t.Setenv("XDG_RUNTIME_DIR", runDir)
	t.Setenv("XDG_DATA_HOME", dataHome)

	// This test is the running Stamp.
	data, _ := dataDir()
	dir, _ := instanceDir()
	p, err := instance.Start(context.Background(), data, dir, nil)
	if err != nil || p == nil {
		t.Fatalf("primary: %v %v", p, err)
	}
	defer p.Close()
	got := make(chan []instance.Arg, 1)
	p.Serve(func(a []instance.Arg) error { got <- a; return nil })

	work := t.TempDir()
	os.WriteFile(filepath.Join(work, "notes.txt"), []byte("hi"), 0o600)
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", "notes.txt")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "STAMP_RUN_MAIN=1", "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the second stamp: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "already running") {
		t.Fatalf("the second stamp says %q, want a note that Stamp is already running", out)
	}
	select {
	case a := <-got:
		if len(a) != 1 || a[0].Kind != instance.File || a[0].Value != filepath.Join(work, "notes.txt") {
			t.Fatalf("the running Stamp got %v", a)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing reached the running Stamp")
	}
}

func TestEachDataFolderHasItsOwnInstance(t *testing.T) {
	tmp := xdgTemp(t)
	runDir := filepath.Join(tmp, "run")
	os.MkdirAll(runDir, 0o700)
	t.Setenv("XDG_RUNTIME_DIR", runDir)
	var ps []*instance.Primary
	for _, d := range []string{"a", "b"} {
		t.Setenv("XDG_DATA_HOME", filepath.Join(tmp, d))
		p, err := becomePrimary(startArgs{})
		if err != nil || p == nil {
			t.Fatalf("data folder %s: %v %v, want a primary of its own beside the other", d, p, err)
		}
		defer p.Close()
		ps = append(ps, p)
	}
}

func TestTheNoteSaysTheRunningStampWasAsked(t *testing.T) {
	for _, tc := range []struct {
		files    int
		accounts bool
		want     string
	}{
		{0, false, "its window was brought to the front"},
		{1, false, "it was asked to attach the file."},
		{3, false, "it was asked to attach the 3 files."},
		{0, true, "it was asked to open its account settings."},
		{2, true, "it was asked to attach the 2 files and to open its account settings."},
	} {
		got := handedOverNote(tc.files, tc.accounts)
		if !strings.Contains(got, tc.want) || strings.Contains(got, "went to") {
			t.Errorf("%d files, accounts %v: %q, want %q", tc.files, tc.accounts, got, tc.want)
		}
	}
}

// xdgTemp skips the test off Linux (it sets XDG folders) and returns a
// short temporary folder (the instance socket's path must stay under 108
// bytes), removed when the test ends.
func xdgTemp(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("XDG folders")
	}
	tmp, err := os.MkdirTemp("", "stm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	return tmp
}
