package main

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"stamp/account"
	"stamp/internal/fifotest"
	"stamp/smtpclient/sandbox"
)

// Issue 9, bad input through the command line: each problem exits 2 with
// one line naming the flag and the problem, sends nothing and writes
// nothing to --out.

// refuses runs a dry run to --out and checks that it failed cleanly.
func refuses(t *testing.T, want string, args ...string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.eml")
	args = append([]string{"--dry-run", "--out", out}, args...)
	done := make(chan struct{})
	var code int
	var stdout, stderr string
	go func() {
		defer close(done)
		code, stdout, stderr = runCmd(t, "", args...)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("stamp-send hangs")
	}
	if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want 2 and one line containing %q", code, stderr, want)
	}
	if stdout != "" {
		t.Errorf("stdout = %.200q", stdout)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("--out was written")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*")); len(left) != 0 {
		t.Errorf("files left next to --out: %v", left)
	}
}

func TestBadAddresses(t *testing.T) {
	for _, tc := range []struct{ flag, value, want string }{
		{"--to", "a@b@c.example", `--to: "a@b@c.example" is not a valid address`},
		{"--to", "<>", `--to: "<>" is not a valid address`},
		{"--to", "bob@example.com>", "is not a valid address"},
		{"--to", "Bob <bob@example.com", "is not a valid address"},
		{"--to", "x@", "is not a valid address"},
		{"--to", "@x.example", "is not a valid address"},
		{"--to", "a..b@example.com", "is not a valid address"},
		{"--to", "a@-bad-.example", "invalid domain"},
		{"--to", "a\tb@c.example", "is not a valid address"},
		{"--to", "a\x00b@c.example", "--to:"},
		{"--cc", "ok@example.com, , bad@", `--cc: "bad@"`},
		{"--bcc", strings.Repeat("a", 300) + "@example.com", "--bcc:"},
		{"--from", "two@example.com, senders@example.com", "--from:"},
		{"--from", "caf\xe9@example.com", "--from:"},
	} {
		t.Run(tc.flag+" "+strconv.Quote(tc.value), func(t *testing.T) {
			args := []string{"--from", "me@example.com", "--to", "you@example.com"}
			if tc.flag == "--from" {
				args = args[2:]
			}
			refuses(t, tc.want, append(args, tc.flag, tc.value)...)
		})
	}
}

func TestOddButValidAddressesWork(t *testing.T) {
	for _, to := range []string{
		`"john doe"@example.com`, "user+tag@example.com", "a@[192.0.2.1]", "a@b.example (comment)",
		`"Last, First" <lf@example.com>`, "=?utf-8?q?x?= <a@b.example>", `"unterminated <a@b.example>`,
		"jörg@exämple.test",
	} {
		t.Run(to, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, "", "--dry-run", "--from", "me@example.com", "--to", to)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			h, _, _ := readMessage(t, stdout)
			if list, err := h.AddressList("To"); err != nil || len(list) != 1 {
				t.Errorf("To %q does not parse back: %v", h.Get("To"), err)
			}
		})
	}
}

func TestLineBreaksInEveryHeaderFlag(t *testing.T) {
	for _, flag := range []string{"--from", "--to", "--cc", "--bcc", "--subject"} {
		for _, br := range []string{"\r\n", "\n", "\r"} {
			t.Run(flag+" "+strconv.Quote(br), func(t *testing.T) {
				args := map[string]string{"--from": "me@example.com", "--to": "you@example.com"}
				inject := "Bcc: spy@evil.example"
				if flag == "--subject" {
					args[flag] = "hello" + br + inject
				} else {
					args[flag] = "x@example.com" + br + inject
				}
				var list []string
				for k, v := range args {
					list = append(list, k, v)
				}
				refuses(t, flag+":", list...)
			})
		}
	}
	t.Run("--server", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", "--server", "mail.example.test\r\nQUIT", "--from", "me@example.com", "--to", "you@example.com", "--body", "x")
		if code != exitUsage || !strings.Contains(stderr, "--server") && !strings.Contains(stderr, "host") {
			t.Errorf("exit %d: %s", code, stderr)
		}
	})
	t.Run("an attachment whose file name has a line break", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "a\r\nContent-Type: text-html.txt")
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Skip("this file system refuses the name:", err)
		}
		refuses(t, "line break in its name", "--from", "me@example.com", "--to", "you@example.com", "--attach", p)
	})
}

func TestTenThousandRecipients(t *testing.T) {
	to := make([]string, 10000)
	for i := range to {
		to[i] = fmt.Sprintf("r%05d@example.test", i)
	}
	t.Run("a dry run writes them all, in lines of at most 998 octets", func(t *testing.T) {
		code, stdout, stderr := runCmd(t, "", "--dry-run", "--from", "me@example.com", "--to", strings.Join(to, ","), "--body", "x")
		if code != exitOK || strings.Count(stderr, "RCPT TO:") != 10000 {
			t.Fatalf("exit %d, %d RCPT lines", code, strings.Count(stderr, "RCPT TO:"))
		}
		for _, l := range strings.Split(stdout, "\r\n") {
			if len(l) > 998 {
				t.Fatalf("a line of %d octets", len(l))
			}
		}
		h, _, _ := readMessage(t, stdout)
		if list, _ := h.AddressList("To"); len(list) != 10000 {
			t.Errorf("To has %d addresses", len(list))
		}
	})
	t.Run("a send reaches every one, pipelined in batches", func(t *testing.T) {
		srv, args := sandboxArgs(t, sandbox.Options{})
		code, _, stderr := runCmd(t, "", append(args, "--quiet", "--from", "me@example.com", "--bcc", strings.Join(to, ","), "--body", "x")...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if m := srv.Messages(); len(m) != 1 || len(m[0].To) != 10000 || bytes.Contains(m[0].Data, []byte("r00042@")) {
			t.Errorf("the server got %d messages (or a Bcc address in the header)", len(m))
		}
	})
}

func TestAnEmptyMessageIsAValidMessage(t *testing.T) {
	// No subject and no body is not an error for a command-line tool (swaks
	// and sendmail send it too): the message has its headers and nothing else.
	code, stdout, stderr := runCmd(t, "", "--dry-run", "--from", "me@example.com", "--to", "you@example.com")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	h, text, atts := readMessage(t, stdout)
	if h.Get("From") == "" || h.Get("Date") == "" || h.Get("Message-Id") == "" || strings.TrimSpace(text) != "" || len(atts) != 0 {
		t.Errorf("header %v, text %q, %d attachments", h, text, len(atts))
	}
}

func TestBadAttachments(t *testing.T) {
	dir := t.TempDir()
	base := []string{"--from", "me@example.com", "--to", "you@example.com"}
	t.Run("missing", func(t *testing.T) {
		refuses(t, "does not exist", append(base, "--attach", filepath.Join(dir, "gone.pdf"))...)
	})
	t.Run("a folder", func(t *testing.T) { refuses(t, "is a folder", append(base, "--attach", dir)...) })
	t.Run("a FIFO", func(t *testing.T) {
		p := filepath.Join(dir, "pipe")
		if err := fifotest.Make(p); err != nil {
			t.Skip(err)
		}
		refuses(t, "is not a regular file", append(base, "--attach", p)...)
	})
	t.Run("a device", func(t *testing.T) { refuses(t, "is not a regular file", append(base, "--attach", "/dev/zero")...) })
	t.Run("a dangling symlink", func(t *testing.T) {
		p := filepath.Join(dir, "dangling")
		os.Symlink(filepath.Join(dir, "nowhere"), p)
		refuses(t, "does not exist", append(base, "--attach", p)...)
	})
	t.Run("unreadable", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads every file")
		}
		p := filepath.Join(dir, "secret.txt")
		os.WriteFile(p, []byte("x"), 0o000)
		refuses(t, "permission denied", append(base, "--attach", p)...)
	})
	t.Run("0 bytes is a real, empty attachment", func(t *testing.T) {
		p := filepath.Join(dir, "empty.txt")
		os.WriteFile(p, nil, 0o600)
		code, stdout, stderr := runCmd(t, "", append([]string{"--dry-run"}, append(base, "--attach", p)...)...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if _, _, atts := readMessage(t, stdout); len(atts) != 1 || len(atts["empty.txt"]) != 0 {
			t.Errorf("attachments %v", keys(atts))
		}
	})
	t.Run("still growing while it is written", func(t *testing.T) {
		p := filepath.Join(dir, "growing.log")
		os.WriteFile(p, bytes.Repeat([]byte("line\n"), 1000), 0o600)
		// The first bytes of the message go out before the attachment is
		// opened: the file grows right then.
		w := &hookWriter{hook: func() {
			f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			f.Write([]byte("one more line\n"))
			f.Close()
		}}
		var stderr bytes.Buffer
		code := run(append([]string{"--dry-run"}, append(base, "--attach", p)...), strings.NewReader(""), w, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), "growing.log") || !strings.Contains(stderr.String(), "changed") {
			t.Errorf("exit %d: %s", code, stderr.String())
		}
	})
}

// hookWriter calls hook before its first write.
type hookWriter struct {
	hook func()
	n    int64
}

func (w *hookWriter) Write(p []byte) (int, error) {
	if w.hook != nil {
		w.hook()
		w.hook = nil
	}
	w.n += int64(len(p))
	return len(p), nil
}

func TestFourGiBAttachmentIsStreamedAndSizeChecked(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 5.4 GiB of base64")
	}
	sparse := func(t *testing.T, size int64) string {
		p := filepath.Join(t.TempDir(), "disk.img")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil { // sparse: no disk used
			t.Skip("no sparse files here:", err)
		}
		return p
	}
	base := []string{"--from", "me@example.com", "--to", "you@example.com", "--attach", sparse(t, 4<<30)}

	t.Run("refused before MAIL FROM by a server with a smaller SIZE", func(t *testing.T) {
		srv, args := sandboxArgs(t, sandbox.Options{MaxSize: 25 << 20})
		start := time.Now()
		code, _, stderr := runCmd(t, "", append(args, base...)...)
		if code != exitRefused || !strings.Contains(stderr, "accepts at most 26,214,400 bytes") || strings.Contains(stderr, "-> MAIL") {
			t.Errorf("exit %d: %s", code, stderr)
		}
		if len(srv.Messages()) != 0 || time.Since(start) > 10*time.Second {
			t.Errorf("%d messages, took %v", len(srv.Messages()), time.Since(start))
		}
	})
	t.Run("a dry run streams it with the size announced", func(t *testing.T) {
		size := int64(4 << 30)
		args := base
		if raceEnabled {
			// 4 GiB takes 100 s under the race detector; the same path
			// with less data (go test without -race streams all of it).
			size = 256 << 20
			args = append(base[:len(base)-1:len(base)-1], sparse(t, size))
			t.Logf("race detector on: streaming %d MiB instead of 4 GiB", size>>20)
		}
		var before, after runtimeHeap
		before.read()
		w := &hookWriter{}
		var stderr bytes.Buffer
		code := run(append([]string{"--dry-run"}, args...), strings.NewReader(""), w, &stderr)
		after.read()
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		var announced int64
		fmt.Sscanf(stderr.String(), "=== dry run: %d bytes", &announced)
		if announced != w.n || w.n < size*4/3 {
			t.Errorf("announced %d bytes, wrote %d", announced, w.n)
		}
		if grew := int64(after.inUse) - int64(before.inUse); grew > 64<<20 {
			t.Errorf("heap grew by %d MiB while streaming 4 GiB", grew>>20)
		}
	})
}

func TestAttachmentFileNamesWithEveryKindOfCharacter(t *testing.T) {
	dir := t.TempDir()
	names := []string{
		"plain.txt", "with space.txt", `quote".txt`, "apostrophe's.txt", "semi;colon=equals.txt",
		"back\\slash.txt", "percent%20.txt", "star*question?.txt", "-leading-dash.txt", ".hidden",
		"tab\there.txt", "bell\x07.txt", "Zürich – Grüße.txt", "日本語のファイル名.txt", "emoji 📎🎉.txt",
		"rtl \u202eexe.txt", strings.Repeat("long-", 50) + ".txt",
		"no-extension", "x.tar.gz",
	}
	var args []string
	for i, n := range names {
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, []byte("content "+strconv.Itoa(i)), 0o600); err != nil {
			t.Fatalf("%q: %v", n, err)
		}
		args = append(args, "--attach", p)
	}
	code, stdout, stderr := runCmd(t, "", append([]string{"--dry-run", "--from", "me@example.com", "--to", "you@example.com", "--body", "x"}, args...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, l := range strings.Split(stdout, "\r\n") {
		if len(l) > 998 || strings.ContainsAny(l, "\r\n") {
			t.Fatalf("bad line %q", l)
		}
	}
	_, _, atts := readMessage(t, stdout)
	for i, n := range names {
		if got, ok := atts[n]; !ok || string(got) != "content "+strconv.Itoa(i) {
			t.Errorf("attachment %q: present %v, content %q", n, ok, got)
		}
	}
	if len(atts) != len(names) {
		t.Errorf("%d attachments, want %d: %q", len(atts), len(names), keys(atts))
	}

	t.Run("a name that looks like an encoded word stays as it is", func(t *testing.T) {
		// go-message decodes encoded words even inside an RFC 2231 value,
		// so read the parameter with the standard library instead.
		p := filepath.Join(dir, "=?utf-8?q?not_encoded?=.txt")
		os.WriteFile(p, []byte("x"), 0o600)
		code, stdout, stderr := runCmd(t, "", "--dry-run", "--from", "me@example.com", "--to", "you@example.com", "--attach", p)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		mr, err := mail.CreateReader(strings.NewReader(stdout))
		if err != nil {
			t.Fatal(err)
		}
		part, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		if err != nil || params["filename"] != filepath.Base(p) {
			t.Errorf("filename %q, %v", params["filename"], err)
		}
	})
	t.Run("a name that is not UTF-8 is refused with the file named", func(t *testing.T) {
		p := filepath.Join(dir, "caf\xe9.txt")
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Skip(err)
		}
		refuses(t, "not valid UTF-8", "--from", "me@example.com", "--to", "you@example.com", "--attach", p)
	})
}

func TestHostileSettingsFileThroughTheCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(path string) error
		want  string
	}{
		{"a FIFO", func(p string) error { return fifotest.Make(p) }, "not a regular file"},
		{"a link to /dev/zero", func(p string) error { return os.Symlink("/dev/zero", p) }, "not a regular file"},
		{"64 MiB", func(p string) error {
			if err := os.WriteFile(p, nil, 0o600); err != nil {
				return err
			}
			return os.Truncate(p, 64<<20)
		}, "larger than"},
		{"nested 100,000 deep", func(p string) error {
			return os.WriteFile(p, []byte(`{"schema":1,"accounts":`+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+`}`), 0o600)
		}, "depth"},
		{"wrong types", func(p string) error {
			return os.WriteFile(p, []byte(`{"schema":1,"accounts":[{"id":"work","port":"587"}]}`), 0o600)
		}, "cannot unmarshal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newAccountEnv(t)
			path := filepath.Join(e.dir, account.FileName)
			if err := tc.setup(path); err != nil {
				t.Skip(err)
			}
			t.Cleanup(func() { os.Remove(path) })
			for _, args := range [][]string{
				{"account", "list"},
				{"--account", "work", "--to", "you@example.com", "--dry-run"},
			} {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				var code int
				var stderr string
				done := make(chan struct{})
				go func() { defer close(done); code, _, stderr = runCmd(t, "", args...) }()
				select {
				case <-done:
				case <-ctx.Done():
					t.Fatalf("%v hangs", args)
				}
				cancel()
				if code == exitOK || !strings.Contains(stderr, account.FileName) || !strings.Contains(stderr, tc.want) {
					t.Errorf("%v: exit %d: %s", args, code, stderr)
				}
			}
		})
	}
}

// runtimeHeap is the heap in use at one moment, after a collection.
type runtimeHeap struct{ inUse uint64 }

func (h *runtimeHeap) read() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.inUse = m.HeapInuse
}
