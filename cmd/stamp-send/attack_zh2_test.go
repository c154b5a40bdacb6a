package main

import (
	"bufio"
	"net"
	"strings"
	"testing"
)

// silentAfterData is an SMTP server on 127.0.0.1 that takes the whole
// message and then, instead of its final reply, does what stop says:
// close the connection, or say nothing.
func silentAfterData(t *testing.T, hangUp bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				w := func(s string) { c.Write([]byte(s + "\r\n")) }
				w("220 raw ESMTP")
				r := bufio.NewReader(c)
				inData := false
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					line = strings.TrimRight(line, "\r\n")
					switch {
					case inData && line == ".":
						if hangUp {
							return
						}
						r.ReadString('\n') // until the client gives up
						return
					case inData:
					case strings.HasPrefix(strings.ToUpper(line), "EHLO"):
						w("250-raw")
						w("250 8BITMIME")
					case strings.HasPrefix(strings.ToUpper(line), "DATA"):
						inData = true
						w("354 go on")
					default:
						w("250 ok")
					}
				}
			}(c)
		}
	}()
	return ln.Addr().String()
}

// The engine's "may have been delivered" is a flag now, and each caller
// is to word it once. stamp-send prints Error.Explain — whose advice row
// for a broken connection or a time-out during the final reply already
// says "it may have been delivered" — and then its own warning line
// saying it again.
func TestAttackZh2StampSendSaysMayHaveBeenDeliveredTwice(t *testing.T) {
	for _, hangUp := range []bool{true} { // not a silent server: the final reply waits its 10 minutes whatever --timeout says
		addr := silentAfterData(t, hangUp)
		code, stdout, stderr := runCmd(t, "", "--server", addr, "--security", "none", "--timeout", "1s",
			"--from", "a@example.com", "--to", "b@example.com", "--subject", "s", "--body", "b")
		out := stdout + stderr
		if n := strings.Count(out, "may have been delivered"); n != 1 {
			t.Errorf("hang up %v: exit %d, \"may have been delivered\" said %d times:\n%s", hangUp, code, n, out)
		}
	}
}
