//go:build unix

package outbox

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// Finding 12: the temporary files of writes that were killed: an Enqueue's
// half-written message (no record) goes at the next pass; a killed save
// of an existing record's file goes once stale; a fresh one (a live
// writer) stays; a stale half-written Sent copy goes too.
func TestTheTempFilesOfKilledWritesAreCleanedUp(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	n := testNew("queued")
	n.Delay = time.Minute
	r, err := o.Enqueue(n)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	put := func(path string, stale bool) string {
		if err := os.WriteFile(path, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
		if stale {
			os.Chtimes(path, old, old)
		}
		return path
	}
	os.MkdirAll(e.sent, 0o700)
	orphan := newID(time.Now())
	gone := []string{
		put(filepath.Join(e.dir, "."+orphan+".eml.tmp-123"), false),
		put(filepath.Join(e.dir, "."+orphan+".draft.tmp-9"), false),
		put(filepath.Join(e.dir, "."+r.ID+".json.tmp-77"), true),
		put(filepath.Join(e.sent, ".2026-12-04 090000 report.eml.tmp-5"), true),
	}
	kept := []string{
		put(filepath.Join(e.dir, "."+r.ID+".json.tmp-78"), false),
		put(filepath.Join(e.sent, ".2026-12-04 090001 report.eml.tmp-6"), false),
		put(filepath.Join(e.dir, ".notes.tmp-1"), true), // not ours
	}
	if _, err := o.Flush(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	for _, p := range gone {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there", filepath.Base(p))
		}
	}
	for _, p := range kept {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
	if got, err := o.Get(r.ID); err != nil || got.State != Waiting {
		t.Fatalf("the queued message: %+v %v", got, err)
	}
	if _, err := os.Lstat(o.path(orphan, ".lock")); !os.IsNotExist(err) {
		t.Errorf("the orphan's lock file is left: %v", err)
	}
}
