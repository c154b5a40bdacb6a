//go:build linux

package instance

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// plant makes, as uid 65534 would, a locked lock file in data that names a
// socket in run listening for the person's files; stolen gets what reaches
// that socket.
func plant(t *testing.T, data, run string) (stolen <-chan string) {
	t.Helper()
	lp, sock := lockPath(data), testSocket(t, data, run)
	lf, err := os.OpenFile(lp, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lf.Close() })
	if err := unix.Flock(int(lf.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	b, _ := json.Marshal(holder{Socket: sock, Host: host, PID: 1})
	lf.Write(b)
	os.Chown(lp, 65534, 65534)
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	os.Chown(sock, 65534, 65534)
	os.Chmod(sock, 0o777)
	ch := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		n, _ := c.Read(buf)
		ch <- string(buf[:n])
		c.Write([]byte(`{"ok":true}` + "\n"))
	}()
	return ch
}

// A lock file and a listening socket of uid 65534, planted in an instance
// folder while it was open to others, must not take the person's files:
// the folder is emptied of them when closed, and the start becomes the
// primary (or refuses) instead of sending file paths to a stranger who
// answers "ok". (ATTACK2 item 2.)
func TestAPlantedLockAndSocketOfAnotherUserDoNotTakeTheHandOver(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give files to another user")
	}
	dir := shortDir(t)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777) // open to others, e.g. made by a careless script
	stolen := plant(t, dir, dir)

	p, err := Start(context.Background(), dir, dir, []Arg{{Kind: File, Value: "/home/ann/Private/contract.pdf"}})
	if p != nil {
		p.Close()
	}
	if err == nil && p == nil {
		got := <-stolen
		if strings.Contains(got, "contract.pdf") {
			t.Fatalf("Start handed the person's files to a socket and lock of uid 65534 and reported success: %s", got)
		}
	}
	if p == nil {
		t.Fatalf("the folder was closed and emptied, so this start should be the primary: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := os.Lstat(filepath.Join(dir, e.Name()))
		if fi == nil {
			continue
		}
		if st := fi.Sys().(*syscall.Stat_t); st.Uid == 65534 {
			t.Errorf("%s of uid 65534 was left in the closed folder", e.Name())
		}
	}
}

// A lock file of another user in the data folder (which is not emptied: it
// holds the person's drafts) is refused, and nothing is sent to the socket
// it names (Start refuses at the lock, before it reads the lock file).
func TestALockFileOfAnotherUserInTheDataFolderIsRefused(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give files to another user")
	}
	base := shortDir(t)
	data, run := filepath.Join(filepath.Dir(base), "data"), base
	os.MkdirAll(data, 0o777)
	os.Chmod(data, 0o777)
	if err := privateDir(run); err != nil {
		t.Fatal(err)
	}
	plant(t, data, run)
	p, err := Start(context.Background(), data, run, []Arg{{Kind: File, Value: "/home/ann/Private/contract.pdf"}})
	if p != nil {
		p.Close()
		t.Fatal("became primary beside another user's lock")
	}
	if err == nil || !strings.Contains(err.Error(), "lock file") || !strings.Contains(err.Error(), "another user") {
		t.Fatalf("got %v, want the lock file refused as another user's", err)
	}
}

// HandOver sends nothing to a socket file of another user.
func TestHandOverSendsNothingToASocketOfAnotherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give files to another user")
	}
	dir := shortDir(t)
	os.MkdirAll(dir, 0o700)
	sock := filepath.Join(dir, "planted.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	os.Chown(sock, 65534, 65534)
	first := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		n, _ := c.Read(buf)
		first <- string(buf[:n])
	}()
	err = HandOver(context.Background(), sock, Message{Version: Version, Args: []Arg{{Kind: File, Value: "/secret.pdf"}}})
	if err == nil || !strings.Contains(err.Error(), "another user") {
		t.Fatalf("got %v, want a refusal naming another user", err)
	}
	// A marker connection after HandOver returned: the first connection the
	// socket accepts is the marker unless HandOver connected.
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte("marker"))
	if got := <-first; got != "marker" {
		t.Fatalf("HandOver connected to another user's socket (it got %q)", got)
	}
}
