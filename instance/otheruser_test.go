//go:build linux || darwin

package instance

import (
	"bufio"
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

	bin := otherUserBinary(t, dir)
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

// otherUserBinary copies the test binary beside dir, where another user may
// run it.
func otherUserBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(filepath.Dir(dir), "instance.test")
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(bin, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(dst, src)
	dst.Close()
	return bin
}

// A later start asks the kernel who listens before it sends anything: a
// socket file of this user (here chowned back after another user bound
// it) on which a process of another user listens gets no files.
func TestHandOverSendsNothingToAPeerOfAnotherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a process as another user")
	}
	dir := shortDir(t)
	os.MkdirAll(dir, 0o777)
	for _, path := range []string{filepath.Dir(dir), dir} {
		os.Chmod(path, 0o777)
	}
	bin := otherUserBinary(t, dir)
	sock := filepath.Join(dir, "peer.sock")
	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), "STAMP_INSTANCE_LISTEN="+sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewScanner(stdout)
	if l := nextLine(t, out); l != "listening" {
		t.Fatalf("the other user's process says %q", l)
	}
	if err := os.Chown(sock, 0, 0); err != nil {
		t.Fatal(err)
	}
	err = HandOver(context.Background(), sock, Message{Version: Version, Args: []Arg{{Kind: File, Value: "/home/ann/secret.pdf"}}})
	if err == nil || !strings.Contains(err.Error(), "uid 65534") {
		t.Fatalf("got %v, want a refusal naming the listener's uid", err)
	}
	if l := nextLine(t, out); strings.Contains(l, "secret.pdf") || !strings.HasPrefix(l, "got: ") {
		t.Fatalf("the other user's process printed %q", l)
	}
	cmd.Wait()
}
