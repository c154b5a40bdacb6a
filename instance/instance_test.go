package instance

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as a Stamp process when STAMP_INSTANCE_CHILD is
// set: it starts, says "primary" or "handed-over" on stdout, and as primary
// prints each received argument and serves until its stdin closes.
func TestMain(m *testing.M) {
	if dir := os.Getenv("STAMP_INSTANCE_CHILD"); dir != "" {
		os.Exit(child(dir, os.Args[len(os.Args)-1]))
	}
	if sock := os.Getenv("STAMP_INSTANCE_HANDOVER"); sock != "" {
		// A hostile peer: it dials and sends without HandOver's checks.
		fmt.Println("hand-over:", rawHandOver(sock, Message{Version: Version, Args: []Arg{{File, "/tmp/from-another-user"}}}))
		os.Exit(0)
	}
	if sock := os.Getenv("STAMP_INSTANCE_LISTEN"); sock != "" {
		os.Exit(listenOnce(sock))
	}
	os.Exit(m.Run())
}

// listenOnce is a process that listens on sock, says "listening", and
// prints what the first connection sends ("got: ...") and answers ok.
func listenOnce(sock string) int {
	ln, err := net.Listen("unix", sock)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer ln.Close()
	fmt.Println("listening")
	c, err := ln.Accept()
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(HandOverTimeout))
	b, _ := bufio.NewReader(c).ReadString('}')
	fmt.Printf("got: %q\n", b)
	c.Write([]byte(`{"ok":true}` + "\n"))
	return 0
}

// rawHandOver sends m to sock the way any process could, and reads the
// answer: nil when the primary answered ok.
func rawHandOver(sock string, m Message) error {
	c, err := net.Dial("unix", sock)
	if err != nil {
		return err
	}
	c.SetDeadline(time.Now().Add(HandOverTimeout))
	return exchange(context.Background(), c, m)
}

// testSocket is the socket path of the data folder data in run.
func testSocket(t *testing.T, data, run string) string {
	t.Helper()
	sock, err := socketPath(data, run)
	if err != nil {
		t.Fatal(err)
	}
	return sock
}

func child(dir, file string) int {
	args, _ := FileArgs([]string{file})
	p, err := Start(context.Background(), dir, dir, args)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	if p == nil {
		fmt.Println("handed-over")
		return 0
	}
	p.Serve(func(args []Arg) error {
		for _, a := range args {
			fmt.Println("got", a.Kind, a.Value)
		}
		return nil
	})
	fmt.Println("primary")
	io.Copy(io.Discard, os.Stdin)
	p.Close()
	return 0
}

// startChild runs the test binary as a Stamp process.
func startChild(t *testing.T, dir, file string) (*exec.Cmd, *bufio.Scanner, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", file)
	cmd.Env = append(os.Environ(), "STAMP_INSTANCE_CHILD="+dir)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	return cmd, bufio.NewScanner(out), in
}

func nextLine(t *testing.T, s *bufio.Scanner) string {
	t.Helper()
	if !s.Scan() {
		t.Fatalf("child ended without a line: %v", s.Err())
	}
	return s.Text()
}

// shortDir is a private folder with a short path (socket paths are limited
// to about 100 bytes).
func shortDir(t *testing.T) string {
	d, err := os.MkdirTemp("", "si")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return filepath.Join(d, "run")
}

func serve(t *testing.T, p *Primary) (<-chan []Arg, <-chan error) {
	got := make(chan []Arg, 10)
	dropped := make(chan error, 10)
	p.Dropped = func(err error) { dropped <- err }
	p.Serve(func(a []Arg) error {
		if len(a) == 1 && a[0].Value == "/refuse" {
			return errors.New("the running Stamp is closing")
		}
		got <- a
		return nil
	})
	t.Cleanup(func() { p.Close() })
	return got, dropped
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("nothing arrived within 10 s")
	}
	panic("unreachable")
}

func TestASecondStartHandsItsFilesToTheFirst(t *testing.T) {
	dir := shortDir(t)
	ctx := context.Background()
	first, err := Start(ctx, dir, dir, nil)
	if err != nil || first == nil {
		t.Fatalf("first start: %v, %v; want the primary", first, err)
	}
	got, _ := serve(t, first)
	want := []Arg{{File, "/home/me/report.pdf"}, {File, "/home/me/with space ü.txt"}, {Mailto, "mailto:a@example.com?subject=hi"}}
	second, err := Start(ctx, dir, dir, want)
	if err != nil || second != nil {
		t.Fatalf("second start: %v, %v; want a hand-over", second, err)
	}
	if args := recv(t, got); !reflect.DeepEqual(args, want) {
		t.Fatalf("the primary got %v, want %v", args, want)
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("the folder is %v (%v), want 0700", fi.Mode(), err)
	}
	// After the primary closes, the next start becomes the primary.
	first.Close()
	third, err := Start(ctx, dir, dir, nil)
	if err != nil || third == nil {
		t.Fatalf("start after close: %v, %v; want the primary", third, err)
	}
	third.Close()
}

func TestRealProcessesHandOverAndAStaleSocketAfterKill9IsReplaced(t *testing.T) {
	dir := shortDir(t)
	first, out1, in1 := startChild(t, dir, "a.txt")
	if l := nextLine(t, out1); l != "primary" {
		t.Fatalf("first process says %q, want primary", l)
	}
	second, out2, _ := startChild(t, dir, "b.txt")
	if l := nextLine(t, out2); l != "handed-over" {
		t.Fatalf("second process says %q, want handed-over", l)
	}
	if err := second.Wait(); err != nil {
		t.Fatalf("second process: %v, want exit 0", err)
	}
	wd, _ := os.Getwd()
	if l, want := nextLine(t, out1), "got file "+filepath.Join(wd, "b.txt"); l != want {
		t.Fatalf("first process printed %q, want %q (the path made absolute)", l, want)
	}

	// kill -9 leaves the socket file behind.
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	in1.Close()
	sock := testSocket(t, dir, dir)
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("after kill -9 the socket file should still be there (to test a stale one): %v", err)
	}
	if _, err := net.Dial("unix", sock); err == nil {
		t.Fatal("the stale socket still answers")
	}
	third, out3, _ := startChild(t, dir, "c.txt")
	if l := nextLine(t, out3); l != "primary" {
		t.Fatalf("the start after kill -9 says %q, want primary", l)
	}
	p, err := Start(context.Background(), dir, dir, []Arg{{File, "/tmp/d.txt"}})
	if err != nil || p != nil {
		t.Fatalf("hand-over to the new primary: %v, %v", p, err)
	}
	if l := nextLine(t, out3); l != "got file /tmp/d.txt" {
		t.Fatalf("new primary printed %q", l)
	}
	_ = third
}

func TestAHostilePeerIsDroppedAndTheNextHandOverWorks(t *testing.T) {
	dir := shortDir(t)
	p, err := Start(context.Background(), dir, dir, nil)
	if err != nil || p == nil {
		t.Fatal(err)
	}
	got, dropped := serve(t, p)
	sock := testSocket(t, dir, dir)

	tests := []struct {
		name string
		send func(c net.Conn) error
		why  string
	}{
		{"100 MB in one message", func(c net.Conn) error {
			chunk := []byte(`{"version":1,"args":[{"kind":"file","value":"/` + strings.Repeat("a", 1<<20))
			for i := 0; i < 100; i++ {
				if _, err := c.Write(chunk); err != nil {
					return err
				}
			}
			return nil
		}, "longer than"},
		{"garbage", func(c net.Conn) error {
			_, err := c.Write([]byte("\x00\xffGET / HTTP/1.1\r\n\r\n"))
			return err
		}, "bad message"},
		{"a relative path", func(c net.Conn) error {
			_, err := c.Write([]byte(`{"version":1,"args":[{"kind":"file","value":"../etc/passwd"}]}`))
			return err
		}, "not absolute"},
		{"an unknown kind", func(c net.Conn) error {
			_, err := c.Write([]byte(`{"version":1,"args":[{"kind":"exec","value":"/bin/sh"}]}`))
			return err
		}, "unknown kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("unix", sock)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			werr := tc.send(c)
			if err := recv(t, dropped); !strings.Contains(err.Error(), tc.why) {
				t.Fatalf("dropped with %v, want %q", err, tc.why)
			}
			// The primary closed the connection: reading ends (maybe after a
			// refusal line), and a 100 MB writer was cut off.
			rest, rerr := io.ReadAll(c)
			if strings.Contains(string(rest), `"ok":true`) {
				t.Fatalf("the primary accepted it: %q", rest)
			}
			var ne net.Error
			if errors.As(rerr, &ne) && ne.Timeout() || errors.As(werr, &ne) && ne.Timeout() {
				t.Fatalf("the connection was not closed: write %v, read %v", werr, rerr)
			}
		})
	}
	select {
	case a := <-got:
		t.Fatalf("the handler was called with %v", a)
	default:
	}
	err = HandOver(context.Background(), sock, Message{Version: 1, Args: []Arg{{File, "/refuse"}}})
	if err == nil || !strings.Contains(err.Error(), "the running Stamp is closing") {
		t.Fatalf("a refusal by the handler: %v, want it passed to the later start", err)
	}
	recv(t, dropped)
	if err := HandOver(context.Background(), sock, Message{Version: 1, Args: []Arg{{File, "/x"}}}); err != nil {
		t.Fatal(err)
	}
	if a := recv(t, got); len(a) != 1 || a[0].Value != "/x" {
		t.Fatalf("got %v", a)
	}
}

func TestAnIdlePeerIsDroppedAfterTheTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits ServeTimeout")
	}
	dir := shortDir(t)
	p, err := Start(context.Background(), dir, dir, nil)
	if err != nil || p == nil {
		t.Fatal(err)
	}
	_, dropped := serve(t, p)
	sock := testSocket(t, dir, dir)
	c, err := net.Dial("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte(`{"version":1,`))
	if err := recv(t, dropped); !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("dropped with %v, want a timeout", err)
	}
}

func TestAFolderOpenToOthersIsClosedAndALinkRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows protects the folder by its ACL")
	}
	dir := shortDir(t)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777)
	p, err := Start(context.Background(), dir, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Fatalf("folder left %v", fi.Mode().Perm())
	}
	link := dir + "-link"
	if err := os.Symlink(dir, link); err != nil {
		t.Skip(err)
	}
	if _, err := Start(context.Background(), link, link, nil); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Fatalf("a link as the folder: %v, want refused", err)
	}
}

func TestAHandOverWithNoPrimaryListeningGivesUp(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := HandOver(ctx, filepath.Join(shortDir(t), "none.sock"), Message{Version: 1})
	var he *HandOverError
	if !errors.As(err, &he) {
		t.Fatalf("got %v, want a HandOverError", err)
	}
}

func TestAnAccountsRequestCarriesNoValue(t *testing.T) {
	if err := (Message{Version: Version, Args: []Arg{{Kind: Accounts}}}).Check(); err != nil {
		t.Fatalf("an accounts request: %v", err)
	}
	if err := (Message{Version: Version, Args: []Arg{{Kind: Accounts, Value: "/bin/sh"}}}).Check(); err == nil {
		t.Fatal("an accounts request with a value was accepted")
	}
}
