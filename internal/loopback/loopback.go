// Package loopback is a raw TCP server on 127.0.0.1 for tests: each
// connection is handed to a function that plays a server (one that greets
// with garbage, answers HTTP, hangs up in a TLS handshake, follows a
// script). Tests of smtpclient, outbox, stamp-send and ui use it.
package loopback

import (
	"bufio"
	"io"
	"net"
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
