package smtpclient

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

func FuzzEHLOCapabilities(f *testing.F) {
	for _, s := range []string{
		"mx.test\nPIPELINING\nSIZE 35882577\nAUTH LOGIN PLAIN\nAUTH=LOGIN\nSTARTTLS",
		"x\nSIZE\nSIZE -1\nSIZE 99999999999999999999\nauth plain",
		"x\n\n \nAUTH=\nAUTH=PLAIN PLAIN plain\n8BITMIME SMTPUTF8",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c := parseEHLO(&Reply{Code: 250, Lines: strings.Split(in, "\n")})
		if c.MaxSize < 0 || (!c.SizeOffered && c.MaxSize != 0) {
			t.Fatalf("size %v %d", c.SizeOffered, c.MaxSize)
		}
		seen := map[string]bool{}
		for _, m := range c.Auth {
			if m == "" || m != strings.ToUpper(m) || seen[m] || strings.ContainsAny(m, " \t") {
				t.Fatalf("auth list %q", c.Auth)
			}
			seen[m] = true
		}
		for k := range c.Extensions {
			if k == "" || k != strings.ToUpper(k) || strings.ContainsAny(k, " ") {
				t.Fatalf("extension %q", k)
			}
		}
	})
}

// scriptConn is a connection whose server side is a fixed byte string,
// handed out one line per Read (as a server answering one command at a
// time would), and which keeps what the client wrote.
type scriptConn struct {
	in  []byte
	out bytes.Buffer
}

func (c *scriptConn) Read(p []byte) (int, error) {
	if len(c.in) == 0 {
		return 0, net.ErrClosed
	}
	n := len(c.in)
	if i := bytes.IndexByte(c.in, '\n'); i >= 0 {
		n = i + 1
	}
	n = copy(p, c.in[:n])
	c.in = c.in[n:]
	return n, nil
}

func (c *scriptConn) Write(p []byte) (int, error) { return c.out.Write(p) }
func (c *scriptConn) Close() error                { return nil }
func (c *scriptConn) LocalAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}
func (c *scriptConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 25} }
func (c *scriptConn) SetDeadline(time.Time) error      { return nil }
func (c *scriptConn) SetReadDeadline(time.Time) error  { return nil }
func (c *scriptConn) SetWriteDeadline(time.Time) error { return nil }

// FuzzAuthExchange runs the whole AUTH exchange — SASL challenge decoding
// included — against whatever a server may answer. It must end after a
// bounded number of rounds, and the secret may reach the wire only in the
// one answer that carries it, never an event or an error.
func FuzzAuthExchange(f *testing.F) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, s := range []string{
		"235 2.7.0 ok\r\n",
		"334 " + b64("Username:") + "\r\n334 " + b64("Password:") + "\r\n235 ok\r\n",
		"334 " + b64("<1.2@x>") + "\r\n235 ok\r\n",
		"334 not base64!\r\n",
		"334 " + b64(`{"status":"401","scope":"x"}`) + "\r\n535 5.7.8 no\r\n",
		strings.Repeat("334 \r\n", 10),
		"334-a\r\n334 b\r\n",
		"535 5.7.8 " + testPassword + "\r\n",
		"535 5.7.8 " + testToken + " " + b64(testPassword) + " " + b64("\x00"+testUser+"\x00"+testPassword) + "\r\n",
		"535 5.7.8 " + testHostileSecret + "\r\n",
		"oops " + testHostileSecret + "\r\n",
		"oops " + strings.Repeat("x", 70) + testHostileSecret + "\r\n",
		"334 " + b64(`{"status":"`+testHostileSecret+`","scope":"x\n<- 250 ok"}`) + "\r\n535 5.7.8 no\r\n",
		"535 5.7.8 " + Printable(testHostileSecret) + " " + strconv.Quote(testHostileSecret) + "\r\n",
	} {
		for m := range 10 {
			f.Add(uint8(m), s)
		}
	}
	mechs := []AuthMechanism{AuthPlain, AuthLogin, AuthCRAMMD5, AuthXOAUTH2, AuthOAuthBearer}
	f.Fuzz(func(t *testing.T, m uint8, server string) {
		mech := mechs[int(m)%len(mechs)]
		password, token := testPassword, testToken
		if int(m)/len(mechs)%2 == 1 {
			password, token = testHostileSecret, testHostileSecret
		}
		cfg := &Config{Host: "127.0.0.1", Security: SecurityNone, Username: testUser, Password: password, Auth: mech}
		if mech == AuthXOAUTH2 || mech == AuthOAuthBearer {
			cfg.Password, cfg.OAuth2Token = "", token
		}
		var events []Event
		s := newSession(context.Background(), cfg, func(ev Event) { events = append(events, ev) })
		c := &scriptConn{in: []byte(server)}
		s.raw, s.conn = c, c
		s.br = bufio.NewReaderSize(c, MaxReplyLineLength)
		s.bw = bufio.NewWriterSize(c, 4096)
		s.caps = &Capabilities{Auth: []string{string(mech)}}
		err := s.auth()
		var forms []string
		for _, sec := range cfg.secrets() {
			forms = append(forms, escapedForms(sec)...)
		}
		leaks := func(text string) bool { return leaksIn(text, forms) != "" }
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Step != StepAuth {
				t.Fatalf("err = %#v", err)
			}
			for _, text := range []string{e.Error(), e.Explain()} {
				if leaks(text) {
					t.Fatalf("secret in error %q", text)
				}
			}
		}
		if cmds := strings.Count(c.out.String(), "\r\n"); cmds > maxAuthRounds+2 {
			t.Fatalf("%d commands for one AUTH", cmds)
		}
		for _, ev := range events {
			if ev.Direction == Client && ev.Kind == EventLine && ev.Text != "" && ev.Text != Mask && !strings.HasPrefix(ev.Text, "AUTH ") && ev.Text != "QUIT" {
				t.Fatalf("client line shown unmasked: %q", ev.Text)
			}
			if leaks(ev.Text) || ev.Err != nil && leaks(ev.Err.Message) {
				t.Fatalf("secret in event %+v", ev)
			}
			if p := Printable(ev.Text); p != ev.Text {
				t.Fatalf("event text not printable: %q", ev.Text)
			}
		}
	})
}
