package main

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rawServer is a minimal SMTP server on loopback that keeps the exact
// bytes of each DATA stream, to check what crossed the wire.
func rawServer(t *testing.T) (addr string, data <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan []byte, 16)
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(10 * time.Second))
			r := bufio.NewReader(c)
			c.Write([]byte("220 raw.test ESMTP\r\n"))
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					break
				}
				switch cmd := strings.ToUpper(strings.TrimSpace(l)); {
				case strings.HasPrefix(cmd, "EHLO"):
					c.Write([]byte("250-raw.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"))
				case cmd == "DATA":
					c.Write([]byte("354 go\r\n"))
					var raw []byte
					for !bytes.HasSuffix(raw, []byte("\r\n.\r\n")) {
						b, err := r.ReadByte()
						if err != nil {
							break
						}
						raw = append(raw, b)
					}
					ch <- raw
					c.Write([]byte("250 2.0.0 stored\r\n"))
				case cmd == "QUIT":
					c.Write([]byte("221 bye\r\n"))
				default:
					c.Write([]byte("250 ok\r\n"))
				}
			}
			c.Close()
		}
	}()
	return ln.Addr().String(), ch
}

// checkWire fails on a bare CR or LF, on an end of data before the end, or
// (when maxLine > 0) on a line longer than maxLine octets.
func checkWire(t *testing.T, raw []byte, maxLine int) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n.\r\n")) {
		t.Fatalf("the data does not end with CRLF.CRLF: %q", raw[max(0, len(raw)-20):])
	}
	for i, b := range raw {
		if b == '\r' && (i+1 == len(raw) || raw[i+1] != '\n') || b == '\n' && (i == 0 || raw[i-1] != '\r') {
			t.Fatalf("bare %q at byte %d: %q", b, i, raw[max(0, i-20):min(len(raw), i+20)])
		}
	}
	lines := strings.Split(string(raw[:len(raw)-len(".\r\n")]), "\r\n")
	for i, l := range lines[:len(lines)-1] {
		if l == "." {
			t.Fatalf("an end of data at line %d of %d", i+1, len(lines))
		}
		if maxLine > 0 && len(l) > maxLine {
			t.Fatalf("line %d has %d octets", i+1, len(l))
		}
	}
}

func TestNoBareCROrLFEverReachesTheWire(t *testing.T) {
	bodies := map[string]string{
		"LF.LF":     "a\n.\nMAIL FROM:<evil@example.com>\nRCPT TO:<victim@example.com>\nDATA\n",
		"CR.CR":     "a\r.\rMAIL FROM:<evil@example.com>\r",
		"CRLF.LF":   "a\r\n.\nb",
		"LF.CRLF":   "a\n.\r\nb",
		"lone CR":   "one\rtwo\r",
		"lone LF":   "one\ntwo\n",
		"CR CR LF":  "x\r\r\ny",
		"dot lines": ".\r\n..\r\n.x\r\n",
		"no end":    "last line without end",
	}
	addr, data := rawServer(t)
	base := []string{"--server", addr, "--security", "none", "--timeout", "5s", "--quiet", "--from", "a@example.com", "--to", "b@example.com"}
	for name, body := range bodies {
		t.Run("--eml "+name, func(t *testing.T) {
			eml := filepath.Join(t.TempDir(), "raw.eml")
			os.WriteFile(eml, []byte("From: a@example.com\nTo: b@example.com\nSubject: smuggling\n\n"+body), 0o600)
			if code, _, stderr := runCmd(t, "", append(base, "--eml", eml)...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkWire(t, <-data, 0)
		})
		t.Run("--body "+name, func(t *testing.T) {
			if code, _, stderr := runCmd(t, "", append(base, "--subject", "s", "--body", body)...); code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkWire(t, <-data, 998)
		})
	}
	t.Run("a body line of 5,000 octets is encoded, not sent raw", func(t *testing.T) {
		long := strings.Repeat("x", 5000) + "\n" + strings.Repeat("word ", 1000)
		f := filepath.Join(t.TempDir(), "body.txt")
		os.WriteFile(f, []byte(long), 0o600)
		if code, _, stderr := runCmd(t, "", append(base, "--subject", "s", "--body-file", f)...); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		raw := <-data
		checkWire(t, raw, 998)
		if !bytes.Contains(raw, []byte("Content-Transfer-Encoding: quoted-printable")) && !bytes.Contains(raw, []byte("Content-Transfer-Encoding: base64")) {
			t.Error("the long line was not encoded")
		}
	})
}
