package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
)

// config is what every connection shares.
type config struct {
	security string // none, starttls or tls
	tls      *tls.Config
	user     string
	password string // "" accepts any password

	mu  sync.Mutex
	log *os.File
}

func (cfg *config) logf(format string, args ...any) {
	if cfg.log == nil {
		return
	}
	cfg.mu.Lock()
	defer cfg.mu.Unlock()
	fmt.Fprintf(cfg.log, format+"\n", args...)
}

// chunkReader is a buffered reader that hands out lines for commands and
// scans DATA a whole buffer at a time.
type chunkReader struct {
	r          io.Reader
	buf        []byte
	start, end int
}

func newChunkReader(r io.Reader) *chunkReader {
	return &chunkReader{r: r, buf: make([]byte, 1<<20)}
}

// fill moves what is unread to the front and reads once more.
func (b *chunkReader) fill() error {
	if b.start > 0 {
		copy(b.buf, b.buf[b.start:b.end])
		b.end -= b.start
		b.start = 0
	}
	n, err := b.r.Read(b.buf[b.end:])
	b.end += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

func (b *chunkReader) buffered() int { return b.end - b.start }

var errLineTooLong = errors.New("command line too long")

// line returns the next line without its CRLF (valid until the next call).
func (b *chunkReader) line() (string, error) {
	for {
		if i := bytes.IndexByte(b.buf[b.start:b.end], '\n'); i >= 0 {
			l := b.buf[b.start : b.start+i]
			b.start += i + 1
			return string(bytes.TrimSuffix(l, []byte("\r"))), nil
		}
		if b.buffered() > 64<<10 {
			return "", errLineTooLong
		}
		if err := b.fill(); err != nil {
			return "", err
		}
	}
}

var endOfData = []byte("\r\n.\r\n")

// data consumes DATA up to and including the terminating CRLF.CRLF
// (RFC 5321 §4.1.1.4) and returns the number of message bytes, dot-stuffed
// as sent, with the message's last CRLF. It searches whole buffers with
// bytes.Index and keeps back only the four bytes that could begin the
// terminator.
func (b *chunkReader) data() (int64, error) {
	for b.buffered() < 3 {
		if err := b.fill(); err != nil {
			return 0, err
		}
	}
	if bytes.HasPrefix(b.buf[b.start:b.end], []byte(".\r\n")) {
		b.start += 3
		return 0, nil
	}
	var n int64
	for {
		w := b.buf[b.start:b.end]
		if i := bytes.Index(w, endOfData); i >= 0 {
			n += int64(i + 2)
			b.start += i + len(endOfData)
			return n, nil
		}
		if keep := len(endOfData) - 1; len(w) > keep {
			n += int64(len(w) - keep)
			b.start = b.end - keep
		}
		if err := b.fill(); err != nil {
			return n, err
		}
	}
}

// session speaks SMTP on one connection until QUIT or an error.
func (cfg *config) session(c net.Conn) {
	defer func() { c.Close() }()
	secure := false
	if cfg.security == "tls" {
		c = tls.Server(c, cfg.tls)
		secure = true
	}
	r := newChunkReader(c)
	w := bufio.NewWriterSize(c, 4096)
	// reply queues a reply; replies go out when the client has nothing more
	// pipelined (RFC 2920 §3.2: a server may batch its replies).
	reply := func(s string) error {
		w.WriteString(s)
		w.WriteString("\r\n")
		if r.buffered() == 0 {
			return w.Flush()
		}
		return nil
	}
	if reply("220 benchsink ESMTP ready") != nil {
		return
	}
	authed := cfg.password == "" && cfg.security == "none"
	var rcpts int
	for {
		l, err := r.line()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(l, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			ext := []string{"250-benchsink", "250-PIPELINING", "250-8BITMIME", "250-SIZE", "250-ENHANCEDSTATUSCODES"}
			if cfg.security == "starttls" && !secure {
				ext = append(ext, "250-STARTTLS")
			}
			if secure || cfg.security == "none" {
				ext = append(ext, "250-AUTH PLAIN LOGIN")
			}
			ext = append(ext, "250 SMTPUTF8")
			err = reply(strings.Join(ext, "\r\n"))
		case "STARTTLS":
			if cfg.security != "starttls" || secure {
				err = reply("503 5.5.1 TLS not available")
				break
			}
			if err = reply("220 2.0.0 go ahead"); err != nil {
				return
			}
			// Bytes sent before the handshake are dropped, as a real server must.
			c = tls.Server(c, cfg.tls)
			r, w = newChunkReader(c), bufio.NewWriterSize(c, 4096)
			secure = true
		case "AUTH":
			var ok bool
			ok, err = cfg.auth(arg, r, reply)
			if err == nil {
				if ok {
					authed = true
					err = reply("235 2.7.0 authenticated")
				} else {
					err = reply("535 5.7.8 bad credentials")
				}
			}
		case "MAIL":
			if !authed {
				err = reply("530 5.7.0 authentication required")
				break
			}
			rcpts = 0
			err = reply("250 2.1.0 ok")
		case "RCPT":
			rcpts++
			err = reply("250 2.1.5 ok")
		case "DATA":
			if rcpts == 0 {
				err = reply("554 5.5.1 no valid recipients")
				break
			}
			w.WriteString("354 end with <CRLF>.<CRLF>\r\n")
			if err = w.Flush(); err != nil {
				return
			}
			var n int64
			if n, err = r.data(); err != nil {
				return
			}
			cfg.logf("message %d bytes %d recipients", n, rcpts)
			err = reply(fmt.Sprintf("250 2.0.0 ok %d bytes", n))
		case "RSET", "NOOP":
			err = reply("250 2.0.0 ok")
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			err = reply("502 5.5.2 not implemented")
		}
		if err != nil {
			return
		}
	}
}

// auth runs AUTH PLAIN or LOGIN; it reports whether the credentials match.
func (cfg *config) auth(arg string, r *chunkReader, reply func(string) error) (bool, error) {
	mech, initial, _ := strings.Cut(arg, " ")
	ask := func(prompt string) (string, error) {
		if err := reply("334 " + prompt); err != nil {
			return "", err
		}
		l, err := r.line()
		if err != nil {
			return "", err
		}
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(l))
		if err != nil {
			return "", nil
		}
		return string(b), nil
	}
	var user, pass string
	switch strings.ToUpper(mech) {
	case "PLAIN":
		var resp string
		var err error
		if initial != "" && initial != "=" {
			b, derr := base64.StdEncoding.DecodeString(initial)
			if derr != nil {
				return false, nil
			}
			resp = string(b)
		} else if resp, err = ask(""); err != nil {
			return false, err
		}
		parts := strings.Split(resp, "\x00")
		if len(parts) != 3 {
			return false, nil
		}
		user, pass = parts[1], parts[2]
	case "LOGIN":
		var err error
		if initial != "" {
			b, _ := base64.StdEncoding.DecodeString(initial)
			user = string(b)
		} else if user, err = ask("VXNlcm5hbWU6"); err != nil {
			return false, err
		}
		if pass, err = ask("UGFzc3dvcmQ6"); err != nil {
			return false, err
		}
	default:
		return false, nil
	}
	return user == cfg.user && (cfg.password == "" || pass == cfg.password), nil
}
