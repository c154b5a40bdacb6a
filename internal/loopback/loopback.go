// Package loopback is a raw TCP server on 127.0.0.1 for tests: each
// connection is handed to a function that plays a server (one that greets
// with garbage, answers HTTP, hangs up in a TLS handshake, follows a
// script). Tests of smtpclient, outbox, stamp-send and ui use it.
package loopback

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// Serve listens on 127.0.0.1, runs handle for each connection in turn and
// closes it after; it stops, and waits for its goroutine, when the test
// ends. It returns the listening address.
func Serve(t testing.TB, handle func(net.Conn)) *net.TCPAddr {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			func() {
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr)
}

// Say is a handle for Serve: it writes payload, then reads until the
// client hangs up (at most wait).
func Say(payload string, wait time.Duration) func(net.Conn) {
	return func(c net.Conn) {
		c.Write([]byte(payload))
		c.SetReadDeadline(time.Now().Add(wait))
		io.Copy(io.Discard, bufio.NewReader(c))
	}
}

// SMTPUntilDot is a handle for Serve: an SMTP server that greets, says
// yes to every command (EHLO with 8BITMIME, 354 to DATA) and takes the
// whole message, then, in place of its final reply, calls atDot with the
// connection's reader (return to hang up; read on to wait for the client
// to give up).
func SMTPUntilDot(atDot func(r *bufio.Reader)) func(net.Conn) {
	return func(c net.Conn) {
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
				atDot(r)
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
	}
}
