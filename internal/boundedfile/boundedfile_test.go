package boundedfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/internal/fifotest"
)

func TestReadRefusesWhatIsNotASmallRegularFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(t *testing.T, path string)
		want error
		says string
	}{
		{"a FIFO nobody writes to", func(t *testing.T, path string) {
			if err := fifotest.Make(path); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, ErrNotRegular, "not a regular file but a FIFO"},
		{"a symbolic link to /dev/zero", func(t *testing.T, path string) {
			if _, err := os.Stat("/dev/zero"); err != nil {
				t.Skip("no /dev/zero here")
			}
			if err := os.Symlink("/dev/zero", path); err != nil {
				t.Skip("no symbolic links here:", err)
			}
		}, ErrNotRegular, "not a regular file but a device"},
		{"a folder", func(t *testing.T, path string) { os.Mkdir(path, 0o700) }, ErrNotRegular, "not a regular file but a folder"},
		{"a file one byte over the limit", func(t *testing.T, path string) {
			os.WriteFile(path, make([]byte, 1025), 0o600)
		}, ErrTooLarge, "larger than 1024 bytes"},
		{"a missing file", func(t *testing.T, path string) {}, fs.ErrNotExist, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ca.pem")
			tc.make(t, path)
			done := make(chan error, 1)
			go func() {
				_, err := Read(path, 1024)
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
					t.Errorf("err = %v, want %v saying %q", err, tc.want, tc.says)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("Read blocked")
			}
		})
	}
}

func TestReadReturnsASmallFileWhole(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ca.pem")
	want := strings.Repeat("x", 1024)
	os.WriteFile(path, []byte(want), 0o600)
	link := filepath.Join(dir, "link.pem")
	if err := os.Symlink(path, link); err != nil {
		link = path
	}
	for _, p := range []string{path, link} {
		got, err := Read(p, 1024)
		if err != nil || string(got) != want {
			t.Errorf("Read(%s) = %d bytes, %v", p, len(got), err)
		}
	}
	if got, err := Read(filepath.Join(dir, "empty"), 10); err == nil {
		t.Errorf("a missing file read as %q", got)
	}
}
