package smtpclient

import (
	"bufio"
	"net"
	"stamp/internal/loopback"
	"strings"
	"testing"
	"time"
)

// scripted is one connection to a scripted test server: a server that
// behaves in one precise way, to check what the client does about it.
type scripted struct {
	t *testing.T
	net.Conn
	r *bufio.Reader
}

// send writes each line with CRLF.
func (c *scripted) send(lines ...string) {
	for _, l := range lines {
		if _, err := c.Write([]byte(l + "\r\n")); err != nil {
			return
		}
	}
}

// expect reads one command line and reports a mismatch with prefix.
func (c *scripted) expect(prefix string) string {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	l, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Errorf("scripted server: waiting for %q: %v", prefix, err)
		return ""
	}
	l = strings.TrimRight(l, "\r\n")
	if !strings.HasPrefix(strings.ToUpper(l), strings.ToUpper(prefix)) {
		c.t.Errorf("scripted server: got %q, want %q", l, prefix)
	}
	return l
}

// scriptServer runs script for each connection to a loopback listener and
// returns a Config (plain text) pointing at it.
func scriptServer(t *testing.T, script func(c *scripted)) Config {
	t.Helper()
	a := loopback.Serve(t, func(c net.Conn) { script(&scripted{t: t, Conn: c, r: bufio.NewReader(c)}) })
	return Config{Host: "127.0.0.1", Port: a.Port, Security: SecurityNone, Timeout: 3 * time.Second}
}

// ehloOK answers the greeting and EHLO with the given extensions.
func (c *scripted) ehloOK(ext ...string) {
	c.send("220 script.test ESMTP")
	c.expect("EHLO ")
	c.ehloReply(ext...)
}

// ehloReply sends a 250 EHLO reply offering ext.
func (c *scripted) ehloReply(ext ...string) {
	lines := append([]string{"script.test"}, ext...)
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		c.send("250" + sep + l)
	}
}

// acceptEnvelope offers PIPELINING and accepts MAIL and one RCPT.
func (c *scripted) acceptEnvelope() {
	c.ehloOK("PIPELINING")
	c.expect("MAIL")
	c.expect("RCPT")
	c.send("250 ok", "250 ok")
}

func newLineReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }

// waitClose reads and drops whatever the client sends until it hangs up
// (at most 5 seconds): a server that has stopped answering.
func (c *scripted) waitClose() {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, err := c.r.Discard(1); err != nil {
			return
		}
		c.r.Discard(c.r.Buffered())
	}
}

// readData reads the message after a 354 up to the final "." line and
// returns it as received (dot-stuffing and all).
func (c *scripted) readData() string {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b strings.Builder
	for {
		l, err := c.r.ReadString('\n')
		if err != nil || l == ".\r\n" {
			return b.String()
		}
		b.WriteString(l)
	}
}
