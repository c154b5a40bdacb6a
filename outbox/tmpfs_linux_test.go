package outbox

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"stamp/compose"
	"stamp/smtpclient/sandbox"
)

// mountTmpfs mounts a tmpfs of size on dir (root only), unmounted at the
// end of the test.
func mountTmpfs(t *testing.T, dir, size string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		return err
	}
	t.Cleanup(func() { unix.Unmount(dir, 0) })
	return nil
}

func bigNew(t *testing.T, path string) New {
	m := &compose.Message{From: compose.Address{Addr: "ann@example.com"}, To: []compose.Address{{Addr: "bob@example.com"}},
		Subject: "big", Text: "see the attachment", Attachments: []compose.Attachment{{Path: path}}}
	n, err := FromCompose(m)
	if err != nil {
		t.Fatal(err)
	}
	n.Account = "sandbox"
	return n
}

func TestAFullDiskWhileQueueingIsAClearErrorAndLeavesNothing(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("SKIPPED: needs root to mount a small tmpfs")
	}
	e := newEnv(t, sandbox.Options{})
	if err := mountTmpfs(t, e.dir, "64k"); err != nil {
		t.Skip("SKIPPED: cannot mount a tmpfs: ", err)
	}
	o := e.open(Options{})
	big := filepath.Join(t.TempDir(), "big.bin")
	os.WriteFile(big, make([]byte, 200<<10), 0o600)
	n := bigNew(t, big)
	_, err := o.Enqueue(n)
	if err == nil {
		t.Fatal("a 270 KiB message fit in a 64 KiB outbox")
	}
	t.Logf("the error: %v", err)
	if names, _ := os.ReadDir(e.dir); len(names) != 0 {
		t.Fatalf("left in the outbox: %v", names)
	}
	if _, err := os.Stat(big); err != nil {
		t.Fatal("the attachment is gone")
	}
}
