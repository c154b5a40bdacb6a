package smtpclient

import (
	"bytes"
	"errors"
	"io"
	"net"
	"runtime"
)

// dataChunk is the size of each write to the connection while streaming the
// message: large enough for full-speed transfer, small enough that progress
// is reported often and memory stays flat.
const dataChunk = 128 << 10

// scanWindow bounds how far ahead one search for a line end looks, so that a
// message with no line ends (or only lone CRs) is still processed in linear
// time.
const scanWindow = 4096

var crlf = []byte("\r\n")

// dataWriter turns a message into the DATA stream of RFC 5321 §4.5.2: every
// line end becomes CRLF (a lone CR or a lone LF too, so that no bare CR or
// LF ever reaches the wire and the server cannot be tricked into seeing an
// early end of data — "SMTP smuggling"), a line that starts with "." gets
// one more ".", and Close ends the data with CRLF "." CRLF.
//
// It copies runs of ordinary bytes in bulk into a 128 KiB buffer and writes
// the buffer whole; it never writes byte by byte.
type dataWriter struct {
	w      io.Writer
	buf    []byte
	bol    bool // the next byte starts a line
	skipLF bool // the previous input byte was a CR, already written as CRLF
	crlf   bool // the last line ended in CRLF: look for runs of clean lines
	// slowFor is how many more bytes go line by line before runs are
	// looked for again (after a run stopped early).
	slowFor int
	err     error

	// consumed counts message bytes taken in.
	consumed int64
	// handoff, when set, takes each full buffer instead of w (together
	// with consumed up to its end) and gives back an empty one to fill.
	handoff func(full []byte, consumed int64) (empty []byte, err error)
}

func newDataWriter(w io.Writer) *dataWriter {
	return &dataWriter{w: w, buf: make([]byte, 0, dataChunk), bol: true, crlf: true}
}

// Write takes message bytes in any chunking.
func (d *dataWriter) Write(p []byte) (int, error) {
	if d.err != nil {
		return 0, d.err
	}
	n := len(p)
	for len(p) > 0 && d.err == nil {
		if d.skipLF {
			d.skipLF = false
			if p[0] == '\n' {
				p = p[1:]
				d.consumed++
				continue
			}
		}
		if d.crlf && d.slowFor <= 0 && !(d.bol && p[0] == '.') {
			n, snag := cleanRun(p, d.bol)
			if snag {
				// A line the run could not take (a stray CR, a bare LF, no
				// line end in reach): the next stretch goes line by line,
				// so that text like that is not searched again and again.
				d.slowFor = scanWindow
			}
			if n > 0 {
				// Whole lines that need nothing done (base64 and most
				// text): one copy for the run.
				d.put(p[:n])
				d.bol = true
				d.consumed += int64(n)
				p = p[n:]
				continue
			}
		}
		if d.bol && p[0] == '.' {
			// RFC 5321 §4.5.2: a line starting with "." gets one more ".".
			d.put([]byte{'.'})
		}
		win := p
		if len(win) > scanWindow {
			win = win[:scanWindow]
		}
		i := bytes.IndexByte(win, '\n')
		lim := len(win)
		if i >= 0 {
			lim = i
		}
		if j := bytes.IndexByte(win[:lim], '\r'); j >= 0 {
			i = j
		}
		if i < 0 {
			d.put(win)
			d.bol = false
			d.consumed += int64(len(win))
			d.slowFor -= len(win)
			p = p[len(win):]
			continue
		}
		d.put(p[:i])
		d.put(crlf)
		d.bol = true
		adv := i + 1
		d.crlf = p[i] == '\r' // a bare LF: this text's lines end in LF, runs will not help
		if p[i] == '\r' {
			if i+1 < len(p) {
				if p[i+1] == '\n' {
					adv++
				}
			} else {
				d.skipLF = true // the LF may come in the next Write
			}
		}
		d.consumed += int64(adv)
		d.slowFor -= i + 1
		p = p[adv:]
	}
	if d.err != nil {
		return n - len(p), d.err
	}
	return n, nil
}

// cleanRun is the length of the longest start of p (at most scanWindow
// bytes, give or take a line) made of whole lines that go on the wire
// unchanged: each ends in CRLF, holds no other CR or LF, and does not start
// with "." (the first one only matters when bol says p starts a line). It
// looks for each LF once and counts the CRs of the run in one pass, instead
// of two searches per line. snag says the run ended at a line it could not
// take (a stray CR, a bare LF, or no line end within reach), rather than at
// a dot, the window's end or the end of p.
func cleanRun(p []byte, bol bool) (n int, snag bool) {
	if len(p) == 0 || (bol && p[0] == '.') {
		return 0, false
	}
	end, lines := 0, 0
	for end < scanWindow {
		i := bytes.IndexByte(p[end:min(len(p), end+scanWindow)], '\n')
		if i < 0 && len(p)-end < scanWindow {
			break // the rest of p is a partial line: more input may end it
		}
		if i < 1 || p[end+i-1] != '\r' {
			snag = true // no line end in reach, or a bare LF
			break
		}
		end += i + 1
		lines++
		if end == len(p) || p[end] == '.' {
			break
		}
	}
	if end == 0 || bytes.Count(p[:end], cr) == lines {
		return end, snag
	}
	// A stray CR: keep the lines before the first one.
	for k := 0; k < end; {
		j := bytes.IndexByte(p[k:end], '\r')
		if p[k+j+1] != '\n' {
			return bytes.LastIndexByte(p[:k+j], '\n') + 1, true
		}
		k += j + 2
	}
	return end, snag
}

var cr = []byte{'\r'}

// put appends b to the buffer, writing the buffer out each time it is full.
func (d *dataWriter) put(b []byte) {
	for len(b) > 0 && d.err == nil {
		if len(d.buf) == cap(d.buf) {
			d.flush()
			continue
		}
		k := copy(d.buf[len(d.buf):cap(d.buf)], b)
		d.buf = d.buf[:len(d.buf)+k]
		b = b[k:]
	}
}

func (d *dataWriter) flush() {
	if d.err != nil || len(d.buf) == 0 {
		return
	}
	if d.handoff != nil {
		next, err := d.handoff(d.buf, d.consumed)
		d.buf = next[:0]
		d.err = err
		return
	}
	_, d.err = d.w.Write(d.buf)
	d.buf = d.buf[:0]
}

// Close ends the line in progress and writes the end-of-data marker.
func (d *dataWriter) Close() error {
	if !d.bol {
		d.put(crlf)
	}
	d.put([]byte(".\r\n"))
	d.flush()
	return d.err
}

// pipeDepth is how many chunks (dataChunk) the message may be ahead of the
// connection.
const pipeDepth = 4

// errStopped ends the message's goroutine after the connection failed.
var errStopped = errors.New("the connection failed; message generation stopped")

// chunk is a piece of the DATA stream on its way to the connection.
type chunk struct {
	buf      []byte
	consumed int64 // message bytes taken in up to the end of buf
}

// streamResult is what streamData reports.
type streamResult struct {
	consumed, wire int64
	srcErr         error // the message source failed: the data must not be ended
	connErr        error // writing to the connection failed
}

// streamData writes msg as the DATA stream (dataWriter: line ends, dot
// stuffing, the end marker) to w. The message is generated and prepared on
// its own goroutine while the chunks before it go out on this one, so that
// encoding the attachments and the connection's encryption and system calls
// run on two cores at once; at most pipeDepth chunks are in flight, so
// memory stays flat. progress gets the message bytes taken in up to the end
// of each chunk written, always on the calling goroutine (events are
// promised there). The goroutines have ended when streamData returns.
func streamData(msg Message, w io.Writer, progress func(consumed int64), background bool) streamResult {
	if !background {
		return pipeData(msg, w, progress, false)
	}
	// Both halves run on threads of their own at lower priority; each
	// thread ends with its goroutine (locked, never unlocked), so the
	// lowered priority never reaches other goroutines. Progress comes back
	// here through latest, which holds only the newest count: a slow
	// handler on this goroutine never holds up the transfer.
	done := make(chan streamResult, 1)
	latest := make(chan int64, 1)
	go func() {
		runtime.LockOSThread()
		lowerThreadPriority()
		done <- pipeData(msg, w, func(consumed int64) {
			select { // the only sender: after this, the send cannot block
			case <-latest:
			default:
			}
			latest <- consumed
		}, true)
	}()
	for {
		select {
		case c := <-latest:
			progress(c)
		case res := <-done:
			select { // the last count, sent before done
			case c := <-latest:
				progress(c)
			default:
			}
			return res
		}
	}
}

// pipeData is streamData on the calling goroutine.
func pipeData(msg Message, w io.Writer, progress func(consumed int64), background bool) streamResult {
	free := make(chan []byte, pipeDepth)
	for range pipeDepth - 1 {
		free <- make([]byte, 0, dataChunk)
	}
	full := make(chan chunk, pipeDepth)
	stop := make(chan struct{})
	var last struct {
		consumed int64
		err      error
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if background {
			runtime.LockOSThread()
			lowerThreadPriority()
		}
		dw := newDataWriter(nil)
		dw.handoff = func(b []byte, consumed int64) ([]byte, error) {
			select {
			case full <- chunk{buf: b, consumed: consumed}:
			case <-stop:
				return b, errStopped
			}
			select {
			case next := <-free:
				return next, nil
			case <-stop:
				return nil, errStopped // b is the consumer's now
			}
		}
		_, err := msg.WriteTo(dw)
		if err == nil {
			err = dw.Close()
		}
		last.consumed, last.err = dw.consumed, err
		close(full)
	}()

	var res streamResult
	for c := range full {
		n, err := w.Write(c.buf)
		res.wire += int64(n)
		if err != nil {
			res.connErr = err
			close(stop)
			break
		}
		progress(c.consumed)
		free <- c.buf
	}
	<-done
	res.consumed = last.consumed
	if res.connErr == nil {
		res.srcErr = last.err
	}
	return res
}

// coalescingConn is the connection under TLS. While gathering, it keeps the
// records that crypto/tls writes (one per 16 KiB of data, each a system
// call and a TCP segment of its own) and sends them with one write at flush.
// crypto/tls reuses its record buffer, so the records are copied.
type coalescingConn struct {
	net.Conn
	gathering bool
	buf       []byte
}

func (c *coalescingConn) Write(p []byte) (int, error) {
	if !c.gathering {
		return c.Conn.Write(p)
	}
	c.buf = append(c.buf, p...)
	return len(p), nil
}

// flush writes what was gathered and stops gathering.
func (c *coalescingConn) flush() error {
	c.gathering = false
	if len(c.buf) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.buf)
	c.buf = c.buf[:0]
	return err
}

// gatheredWriter writes each chunk through w (the TLS connection over c)
// with c gathering, so that the chunk's records leave in one write.
type gatheredWriter struct {
	w io.Writer
	c *coalescingConn
}

func (g gatheredWriter) Write(p []byte) (int, error) {
	g.c.gathering = true
	n, err := g.w.Write(p)
	if ferr := g.c.flush(); err == nil {
		err = ferr
	}
	return n, err
}
