package account

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/internal/fifotest"
)

// Issue 9: a broken or hostile accounts.json gets a clear, typed error that
// names the file, quickly and in bounded memory, and is never overwritten.

func TestStoreHostileFile(t *testing.T) {
	deep := strings.Repeat("[", 200000) + strings.Repeat("]", 200000)
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
		want  string // in the error
	}{
		{"a file of more than 4 MiB", func(t *testing.T, path string) {
			f, _ := os.Create(path)
			f.Truncate(64 << 20) // sparse: 64 MiB of zero bytes
			f.Close()
		}, "larger than"},
		{"JSON nested 200,000 deep", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(`{"schema":1,"accounts":`+deep+`}`), 0o600)
		}, "depth"},
		{"accounts of the wrong type", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(`{"schema":1,"accounts":{"id":"work"}}`), 0o600)
		}, "cannot unmarshal"},
		{"a port that is a string", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(`{"schema":1,"accounts":[{"id":"w","port":"587"}]}`), 0o600)
		}, "cannot unmarshal"},
		{"a schema that is not a number", func(t *testing.T, path string) {
			os.WriteFile(path, []byte(`{"schema":"1","accounts":[]}`), 0o600)
		}, "cannot unmarshal"},
		{"an empty file", func(t *testing.T, path string) { os.WriteFile(path, nil, 0o600) }, "unexpected end"},
		{"NUL bytes", func(t *testing.T, path string) { os.WriteFile(path, make([]byte, 100), 0o600) }, "invalid character"},
		{"a symlink to a folder", func(t *testing.T, path string) { os.Symlink(t.TempDir(), path) }, "not a regular file"},
		{"a symlink to an endless device", func(t *testing.T, path string) { os.Symlink("/dev/zero", path) }, "not a regular file"},
		{"a FIFO nobody writes to", func(t *testing.T, path string) {
			if err := fifotest.Make(path); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, "not a regular file"},
		{"a symlink loop", func(t *testing.T, path string) { os.Symlink(path, path) }, "too many levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			t.Cleanup(func() { os.Remove(s.Path()) })
			tt.setup(t, s.Path())
			before, _ := os.Lstat(s.Path())
			done := make(chan error, 1)
			go func() { _, err := s.List(); done <- err }()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("List hangs on the file")
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), FileName) {
				t.Fatalf("List() = %v, want an error naming %s and saying %q", err, FileName, tt.want)
			}
			if len(err.Error()) > 600 {
				t.Errorf("the error is %d characters long", len(err.Error()))
			}
			if err := s.Put(testAccount("work")); err == nil {
				t.Error("Put succeeded over a file it cannot read")
			}
			after, _ := os.Lstat(s.Path())
			if before == nil || after == nil || before.Mode() != after.Mode() || before.Size() != after.Size() || !after.ModTime().Equal(before.ModTime()) {
				t.Error("the file was changed")
			}
		})
	}
}

func TestStoreBrokenFileErrorIsTyped(t *testing.T) {
	s := openTestStore(t)
	os.Symlink("/dev/zero", s.Path())
	t.Cleanup(func() { os.Remove(s.Path()) })
	_, err := s.List()
	var broken *BrokenFileError
	if !errors.As(err, &broken) || broken.Path != filepath.Join(s.Dir(), FileName) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParseFile(f *testing.F) {
	for _, s := range []string{
		`{"schema":1,"accounts":[{"id":"work","from":"a@b.c","host":"smtp.b.c","port":587,"security":"starttls"}],"default":"work"}`,
		`{"schema":1,"accounts":[{"id":"a"},{"id":"a"}]}`,
		`{"schema":99}`, `{"accounts":[]}`, `[]`, `null`, `{"schema":1,"accounts":[{"id":""}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseFile("accounts.json", data)
		if err != nil {
			var broken *BrokenFileError
			var newer *NewerFileError
			if !errors.As(err, &broken) && !errors.As(err, &newer) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		// A file that parses has unique ids and exactly one default.
		seen := map[string]bool{}
		defaults := 0
		for _, a := range d.Accounts {
			if a.ID == "" || seen[a.ID] {
				t.Fatalf("accepted ids %v", d.Accounts)
			}
			seen[a.ID] = true
			if a.Default {
				defaults++
			}
		}
		if len(d.Accounts) > 0 && (defaults != 1 || !seen[d.Default]) {
			t.Fatalf("%d defaults, default %q", defaults, d.Default)
		}
	})
}

// D5: a CA file that is a FIFO or a device is refused at once by Validate
// (the GUI calls it on its own goroutine), never read until it ends.
func TestACAFileThatWouldBlockOrNeverEndIsRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "ca-fifo.pem")
	fifoErr := fifotest.Make(fifo)
	for _, tc := range []struct {
		name, path string
		skip       bool
	}{
		{"a FIFO nobody writes to", fifo, fifoErr != nil},
		{"/dev/zero", "/dev/zero", func() bool { _, err := os.Stat("/dev/zero"); return err != nil }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.skip {
				t.Skip("not on this system")
			}
			done := make(chan error, 1)
			go func() { done <- checkCAFile(tc.path) }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "not a regular file") {
					t.Errorf("err = %v, want a refusal naming the kind of file", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("checking the CA file blocked")
			}
		})
	}
}
