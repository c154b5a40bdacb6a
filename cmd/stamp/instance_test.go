package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"stamp/instance"
)

// The lock that keeps one Stamp per data folder must be met by every start
// that reaches that folder (issue 21 §4, ATTACK2 item 1): a start that sees
// another runtime folder (a terminal or launcher without XDG_RUNTIME_DIR,
// `systemd-run --user`, su/ssh), or reaches the data folder through a
// symbolic link, hands over to the running Stamp instead of becoming a
// second primary that edits the same draft.
func TestTwoStartsForOneDataFolderNeverBothBecomePrimary(t *testing.T) {
	tmp := xdgTemp(t)
	dataHome := filepath.Join(tmp, "data")
	os.MkdirAll(dataHome, 0o700)
	t.Setenv("XDG_DATA_HOME", dataHome)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))

	// serve makes p answer; got receives what it is handed.
	serve := func(p *instance.Primary) <-chan []instance.Arg {
		got := make(chan []instance.Arg, 1)
		p.Serve(func(a []instance.Arg) error { got <- a; return nil })
		return got
	}
	handedOver := func(t *testing.T, p2 *instance.Primary, err error, got <-chan []instance.Arg) {
		t.Helper()
		if p2 != nil {
			p2.Close()
			d1, _ := dataDir()
			t.Fatalf("two primaries for one data folder %s (both edit %s)", d1, filepath.Join(d1, "Drafts", "current.json"))
		}
		if err != nil {
			t.Fatalf("the second start: %v, want its arguments handed to the running Stamp", err)
		}
		select {
		case a := <-got:
			if len(a) != 1 || a[0].Kind != instance.Accounts {
				t.Fatalf("the running Stamp got %v, want the --accounts request", a)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("nothing reached the running Stamp")
		}
	}

	t.Run("runtime folder differs", func(t *testing.T) {
		run1 := filepath.Join(tmp, "run1")
		os.MkdirAll(run1, 0o700)
		t.Setenv("XDG_RUNTIME_DIR", run1) // the desktop session
		p1, err := becomePrimary(startArgs{})
		if err != nil || p1 == nil {
			t.Fatalf("first start: %v %v", p1, err)
		}
		defer p1.Close()
		got := serve(p1)
		t.Setenv("XDG_RUNTIME_DIR", "") // a start from a shell without it
		p2, err := becomePrimary(startArgs{accounts: true})
		handedOver(t, p2, err, got)
	})

	t.Run("data folder through a link", func(t *testing.T) {
		run := filepath.Join(tmp, "run3")
		os.MkdirAll(run, 0o700)
		t.Setenv("XDG_RUNTIME_DIR", run)
		t.Setenv("XDG_DATA_HOME", dataHome)
		p1, err := becomePrimary(startArgs{})
		if err != nil || p1 == nil {
			t.Fatalf("first start: %v %v", p1, err)
		}
		defer p1.Close()
		got := serve(p1)
		link := filepath.Join(tmp, "datalink")
		if err := os.Symlink(dataHome, link); err != nil {
			t.Fatal(err)
		}
		t.Setenv("XDG_DATA_HOME", link)
		p2, err := becomePrimary(startArgs{accounts: true})
		handedOver(t, p2, err, got)
	})
}
