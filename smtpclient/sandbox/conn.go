package sandbox

import (
	"bytes"
	"net"
	"sync"
	"time"
)

// wrapListener wraps each accepted connection.
type wrapListener struct {
	net.Listener
	wrap func(net.Conn) net.Conn
}

func (l *wrapListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return l.wrap(c), nil
}

// endConn reports the end of its connection once, when the server closes
// it (go-smtp closes every connection when its session is over).
type endConn struct {
	net.Conn
	once  sync.Once
	ended func()
}

func (c *endConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.ended)
	return err
}

// filterConn removes the PIPELINING line from EHLO replies. go-smtp writes
// each reply line with its own Write (textproto flushes per line), and
// PIPELINING is never the last line, so dropping it keeps the reply valid.
type filterConn struct{ net.Conn }

var pipeliningLine = []byte("250-PIPELINING\r\n")

func (c *filterConn) Write(p []byte) (int, error) {
	if !bytes.Contains(p, pipeliningLine) {
		return c.Conn.Write(p)
	}
	q := bytes.ReplaceAll(p, pipeliningLine, nil)
	if _, err := c.Conn.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}

// delayConn delivers what the server writes after a fixed delay, without
// holding up the server: a simulated network round trip. Writes are queued
// with their due time and sent in order by one goroutine.
type delayConn struct {
	net.Conn
	delay time.Duration

	mu     sync.Mutex
	cond   *sync.Cond
	queue  []delayed
	closed bool
	err    error
}

type delayed struct {
	due  time.Time
	data []byte
}

func newDelayConn(c net.Conn, d time.Duration) *delayConn {
	dc := &delayConn{Conn: c, delay: d}
	dc.cond = sync.NewCond(&dc.mu)
	go dc.pump()
	return dc
}

func (c *delayConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	if c.closed {
		return 0, net.ErrClosed
	}
	c.queue = append(c.queue, delayed{time.Now().Add(c.delay), bytes.Clone(p)})
	c.cond.Signal()
	return len(p), nil
}

func (c *delayConn) pump() {
	for {
		c.mu.Lock()
		for len(c.queue) == 0 && !c.closed {
			c.cond.Wait()
		}
		if len(c.queue) == 0 {
			c.mu.Unlock()
			c.Conn.Close()
			return
		}
		d := c.queue[0]
		c.queue = c.queue[1:]
		c.mu.Unlock()
		time.Sleep(time.Until(d.due))
		if _, err := c.Conn.Write(d.data); err != nil {
			c.mu.Lock()
			c.err = err
			c.queue = nil
			c.mu.Unlock()
		}
	}
}

// Close sends what is queued, then closes.
func (c *delayConn) Close() error {
	c.mu.Lock()
	c.closed = true
	c.cond.Signal()
	c.mu.Unlock()
	return nil
}
