package smtpclient

import (
	"bytes"
	"io"
)

// dataChunk is the size of each write to the connection while streaming the
// message: large enough for full-speed transfer, small enough that progress
// is reported often and memory stays flat.
const dataChunk = 64 << 10

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
// It copies runs of ordinary bytes in bulk into a 64 KiB buffer and writes
// the buffer whole; it never writes byte by byte.
type dataWriter struct {
	w      io.Writer
	buf    []byte
	bol    bool // the next byte starts a line
	skipLF bool // the previous input byte was a CR, already written as CRLF
	err    error

	// consumed counts message bytes taken in; wire counts bytes written.
	consumed, wire int64
	// flushed is called after each write to w with consumed.
	flushed func(consumed int64)
}

func newDataWriter(w io.Writer, flushed func(int64)) *dataWriter {
	return &dataWriter{w: w, buf: make([]byte, 0, dataChunk), bol: true, flushed: flushed}
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
			p = p[len(win):]
			continue
		}
		d.put(p[:i])
		d.put(crlf)
		d.bol = true
		adv := i + 1
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
		p = p[adv:]
	}
	if d.err != nil {
		return n - len(p), d.err
	}
	return n, nil
}

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
	n, err := d.w.Write(d.buf)
	d.wire += int64(n)
	d.buf = d.buf[:0]
	if err != nil {
		d.err = err
		return
	}
	if d.flushed != nil {
		d.flushed(d.consumed)
	}
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
