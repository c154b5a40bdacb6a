//go:build linux || darwin

package instance

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A process of another user that gets past the folder (here the test opens
// it on purpose) is still refused: the kernel names the peer's uid.
func TestAPeerOfAnotherUserIsRefused(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a process as another user")
	}
	dir := shortDir(t)
	p, err := Start(context.Background(), dir, dir, nil)
	if err != nil || p == nil {
		t.Fatal(err)
	}
	got, dropped := serve(t, p)
	sock := testSocket(t, dir, dir)
	for _, path := range []string{filepath.Dir(dir), dir} {
		os.Chmod(path, 0o755)
	}
	os.Chmod(sock, 0o777)

	// The test binary, where the other user may run it.
	bin := filepath.Join(filepath.Dir(dir), "instance.test")
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(dst, src)
	src.Close()
	dst.Close()

	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), "STAMP_INSTANCE_HANDOVER="+sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the other user's process: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "hand-over: <nil>") {
		t.Fatalf("a process of uid 65534 handed over: %s", out)
	}
	if err := recv(t, dropped); !strings.Contains(err.Error(), "uid 65534") {
		t.Fatalf("dropped with %v, want the peer's uid named", err)
	}
	select {
	case a := <-got:
		t.Fatalf("the handler got %v from another user", a)
	default:
	}
}
