package smtpclient

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Issue 9, the greeting and reply families: every malformed reply ends the
// session with a protocol error at the step it came in, within its deadline;
// well-formed replies in odd shapes (bare LF, one byte per packet) work.

func TestHostileReplies(t *testing.T) {
	megabyte := bytes.Repeat([]byte("2"), 1<<20)
	for _, tc := range []struct {
		name   string
		script func(c *scripted)
		step   Step
		want   string // in the error message
	}{
		{"a garbage greeting", func(c *scripted) { c.send("SSH-2.0-OpenSSH_9.2p1 Debian-2"); c.waitClose() },
			StepGreeting, "three-digit code"},
		{"a greeting line of a megabyte without newline", func(c *scripted) { c.Write(megabyte); c.waitClose() },
			StepGreeting, "longer than"},
		{"a greeting with a code outside 2xx-5xx", func(c *scripted) { c.send("120 wait a moment"); c.waitClose() },
			StepGreeting, "outside 2xx-5xx"},
		{"a multi-line greeting whose codes disagree", func(c *scripted) { c.send("220-hello", "554 no"); c.waitClose() },
			StepGreeting, "codes differ"},
		{"an EHLO reply whose codes disagree", func(c *scripted) {
			c.send("220 hostile.test")
			c.expect("EHLO")
			c.send("250-hostile.test", "250-PIPELINING", "550 AUTH PLAIN")
			c.waitClose()
		}, StepEHLO, "codes differ"},
		{"a reply code outside 2xx-5xx to MAIL", func(c *scripted) {
			c.ehloOK()
			c.expect("MAIL")
			c.send("600 what")
			c.waitClose()
		}, StepMail, "outside 2xx-5xx"},
		{"a reply code of one digit too many", func(c *scripted) {
			c.ehloOK()
			c.expect("MAIL")
			c.send("2500 ok")
			c.waitClose()
		}, StepMail, "space or hyphen"},
		{"an endless EHLO reply", func(c *scripted) {
			c.send("220 hostile.test")
			c.expect("EHLO")
			for i := 0; i < 10*MaxReplyLines; i++ {
				if _, err := c.Write([]byte("250-X-FILLER\r\n")); err != nil {
					return
				}
			}
		}, StepEHLO, "more than"},
		{"an extra reply in the same packet as the EHLO reply", func(c *scripted) {
			c.send("220 hostile.test")
			c.expect("EHLO")
			c.Write([]byte("250-hostile.test\r\n250 PIPELINING\r\n250 2.1.0 early\r\n"))
			c.waitClose()
		}, StepRcpt, "before our command"}, // pipelined: MAIL and RCPT go in one write
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := scriptServer(t, tc.script)
			cfg.Timeout = 500 * time.Millisecond
			start := time.Now()
			var rec recorder
			res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("h", "x"), rec.on)
			var e *Error
			if !errors.As(err, &e) || e.Kind != ErrorProtocol || e.Step != tc.step || !strings.Contains(e.Message, tc.want) {
				t.Fatalf("err = %v (kind %v), want a protocol error at %s about %q\n%.2000s", err, kindOf(e), tc.step, tc.want, rec.transcript())
			}
			if res.Sent {
				t.Error("reported as sent")
			}
			if took := time.Since(start); took > 3*cfg.Timeout {
				t.Errorf("took %v with a %v timeout", took, cfg.Timeout)
			}
			if !strings.Contains(e.Explain(), "did not follow the SMTP protocol") || len(e.Message) > 300 {
				t.Errorf("explanation: %.400s", e.Explain())
			}
		})
	}
}

// normalSession is a well-behaved pipelining server whose every reply line
// goes through out; it returns the message it received on got.
func normalSession(c *scripted, out func(string), got chan<- string) {
	out("220 hostile.test ESMTP")
	c.expect("EHLO ")
	out("250-hostile.test")
	out("250-PIPELINING")
	out("250 ENHANCEDSTATUSCODES")
	c.expect("MAIL FROM:")
	c.expect("RCPT TO:")
	out("250 2.1.0 ok")
	out("250 2.1.5 ok")
	c.expect("DATA")
	out("354 go ahead")
	got <- c.readData()
	out("250 2.0.0 Ok: queued as ODDSHAPE1")
	c.expect("QUIT")
	out("221 2.0.0 bye")
}

func TestOddlyShapedRepliesWork(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  func(c *scripted) func(string)
	}{
		{"bare LF line ends", func(c *scripted) func(string) {
			return func(l string) { c.Write([]byte(l + "\n")) }
		}},
		{"every reply split into one-byte TCP packets", func(c *scripted) func(string) {
			return func(l string) {
				for _, b := range []byte(l + "\r\n") {
					c.Write([]byte{b})
					time.Sleep(100 * time.Microsecond)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan string, 1)
			cfg := scriptServer(t, func(c *scripted) { normalSession(c, tc.out(c), got) })
			var rec recorder
			res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("odd", "body"), rec.on)
			if err != nil || !res.Sent || res.QueueID != "ODDSHAPE1" || res.Final.Enhanced != "2.0.0" {
				t.Fatalf("res %+v, err %v\n%s", res, err, rec.transcript())
			}
			if m := <-got; !strings.HasSuffix(m, "\r\n\r\nbody\r\n") {
				t.Errorf("server got %q", m)
			}
			if strings.Contains(rec.transcript(), "[quit] failed") {
				t.Errorf("QUIT failed:\n%s", rec.transcript())
			}
		})
	}
}

func TestRepliesBeforeTheCommandNeverSendTheMessage(t *testing.T) {
	// The server answers MAIL before it was sent, then behaves normally:
	// every later reply answers the command before. Two paths, each made
	// certain rather than left to timing:
	//   - the early reply arrives with the EHLO reply, in one write: the
	//     client finds it waiting when it sends MAIL and stops (protocol);
	//   - it arrives in a packet of its own, which the client cannot tell
	//     from MAIL's reply (the client reads one line per read here, so
	//     nothing ever waits): the replies are one behind, and the client
	//     must notice at the latest when DATA gets no 354.
	// Either way no message byte is sent.
	for _, pipelining := range []bool{true, false} {
		for _, seen := range []bool{true, false} {
			name := map[bool]string{true: "pipelined", false: "one command at a time"}[pipelining] +
				map[bool]string{true: ", the early reply waiting in the buffer", false: ", the early reply on its own"}[seen]
			t.Run(name, func(t *testing.T) {
				var sawData atomic.Bool
				cfg := scriptServer(t, func(c *scripted) {
					c.send("220 script.test ESMTP")
					c.expect("EHLO ")
					if seen {
						c.Write([]byte("250-script.test\r\n250 PIPELINING\r\n250 2.1.0 early\r\n"))
					} else {
						c.ehloReply("PIPELINING")
						c.send("250 2.1.0 early")
					}
					c.SetReadDeadline(time.Now().Add(3 * time.Second))
					for {
						l, err := c.r.ReadString('\n')
						if err != nil {
							return
						}
						switch {
						case strings.HasPrefix(l, "DATA"):
							c.send("354 go ahead")
						case strings.HasPrefix(l, "QUIT"):
							c.send("221 bye")
							return
						case strings.HasPrefix(l, "MAIL"), strings.HasPrefix(l, "RCPT"), strings.HasPrefix(l, "RSET"):
							c.send("250 ok")
						default:
							sawData.Store(true)
						}
					}
				})
				cfg.Timeout = 2 * time.Second
				cfg.DisablePipelining = !pipelining
				if !seen {
					addr := cfg.Address()
					cfg.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
						c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
						if err != nil {
							return nil, err
						}
						return &lineConn{Conn: c, r: bufio.NewReader(c)}, nil
					}
				}
				var rec recorder
				res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("desync", "x"), rec.on)
				var e *Error
				if !errors.As(err, &e) || res.Sent {
					t.Fatalf("err = %v, sent %v\n%s", err, res.Sent, rec.transcript())
				}
				// Pipelined, MAIL and the first RCPTs leave in one flush.
				firstFlush := map[bool]Step{true: StepRcpt, false: StepMail}[pipelining]
				if seen && (e.Kind != ErrorProtocol || e.Step != firstFlush || !strings.Contains(e.Message, "before our command")) {
					t.Errorf("err = %v, want the early bytes found waiting at the first flush\n%s", err, rec.transcript())
				}
				if !seen && (e.Kind != ErrorReply || e.Step != StepData || e.Code != 250) {
					t.Errorf("err = %v, want DATA answered with a 250 instead of 354\n%s", err, rec.transcript())
				}
				if sawData.Load() {
					t.Errorf("message bytes reached the server:\n%s", rec.transcript())
				}
			})
		}
	}
}

// lineConn hands the client at most one line per Read, so that a reply
// never waits in the client's buffer: what the server sends early is read
// only when the client asks for a reply.
type lineConn struct {
	net.Conn
	r       *bufio.Reader
	pending []byte
}

func (c *lineConn) Read(p []byte) (int, error) {
	if len(c.pending) == 0 {
		line, err := c.r.ReadBytes('\n')
		if len(line) == 0 {
			return 0, err
		}
		c.pending = line
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

func TestA421EndsTheSessionAtEveryStep(t *testing.T) {
	const bye = "421 4.3.2 Service shutting down, closing channel"
	for _, tc := range []struct {
		step   Step
		tls    bool
		auth   bool
		script func(c *scripted)
	}{
		{StepGreeting, false, false, func(c *scripted) { c.send(bye) }},
		{StepEHLO, false, false, func(c *scripted) { c.send("220 x"); c.expect("EHLO"); c.send(bye) }},
		{StepSTARTTLS, true, false, func(c *scripted) { c.ehloOK("STARTTLS"); c.expect("STARTTLS"); c.send(bye) }},
		{StepAuth, false, true, func(c *scripted) { c.ehloOK("AUTH PLAIN"); c.expect("AUTH"); c.send(bye) }},
		{StepMail, false, false, func(c *scripted) { c.ehloOK(); c.expect("MAIL"); c.send(bye) }},
		{StepRcpt, false, false, func(c *scripted) {
			c.ehloOK()
			c.expect("MAIL")
			c.send("250 ok")
			c.expect("RCPT")
			c.send(bye)
		}},
		{StepData, false, false, func(c *scripted) {
			c.acceptEnvelope()
			c.expect("DATA")
			c.send(bye)
		}},
		{StepMessage, false, false, func(c *scripted) {
			c.acceptEnvelope()
			c.expect("DATA")
			c.send("354 go")
			c.readData()
			c.send(bye)
		}},
	} {
		t.Run(string(tc.step), func(t *testing.T) {
			after := make(chan string, 1)
			cfg := scriptServer(t, func(c *scripted) {
				tc.script(c)
				// After a 421 the server hangs up; the client must not talk on.
				c.SetReadDeadline(time.Now().Add(2 * time.Second))
				l, _ := c.r.ReadString('\n')
				after <- l
			})
			cfg.Timeout = time.Second
			if tc.tls {
				cfg.Security = SecuritySTARTTLS
			}
			if tc.auth {
				cfg.Username, cfg.Password = testUser, testPassword
			}
			var rec recorder
			start := time.Now()
			res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("421", "x"), rec.on)
			var e *Error
			if !errors.As(err, &e) || e.Code != 421 || e.Step != tc.step || !e.Temporary || res.Sent {
				t.Fatalf("err = %v (%+v)\n%s", err, e, rec.transcript())
			}
			if tc.step != StepSTARTTLS && !strings.Contains(e.Explain(), "busy or closing") {
				t.Errorf("explanation: %s", e.Explain())
			}
			if l := <-after; l != "" {
				t.Errorf("after the 421 the client sent %q", l)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v", took)
			}
			if tc.step == StepMessage && e.MayHaveBeenDelivered {
				t.Error("a 421 after the data is a clear refusal, not a maybe")
			}
			assertNoSecrets(t, rec.all())
		})
	}
}

func TestTimeoutsAtEveryStep(t *testing.T) {
	const timeout = 300 * time.Millisecond
	silence := func(c *scripted) { c.waitClose() }
	for _, tc := range []struct {
		step   Step
		tls    bool
		auth   bool
		size   int64 // message size; 0: a small one
		script func(c *scripted, release <-chan struct{})
	}{
		{StepGreeting, false, false, 0, func(c *scripted, _ <-chan struct{}) { silence(c) }},
		{StepEHLO, false, false, 0, func(c *scripted, _ <-chan struct{}) { c.send("220 x"); silence(c) }},
		{StepSTARTTLS, true, false, 0, func(c *scripted, _ <-chan struct{}) {
			c.ehloOK("STARTTLS")
			c.expect("STARTTLS")
			silence(c)
		}},
		{StepAuth, false, true, 0, func(c *scripted, _ <-chan struct{}) { c.ehloOK("AUTH PLAIN"); silence(c) }},
		{StepMail, false, false, 0, func(c *scripted, _ <-chan struct{}) { c.ehloOK(); silence(c) }},
		{StepRcpt, false, false, 0, func(c *scripted, _ <-chan struct{}) {
			c.ehloOK()
			c.expect("MAIL")
			c.send("250 ok")
			silence(c)
		}},
		{StepData, false, false, 0, func(c *scripted, _ <-chan struct{}) {
			c.acceptEnvelope()
			silence(c)
		}},
		{StepMessage, false, false, 1 << 30, func(c *scripted, release <-chan struct{}) {
			// The server stops reading in the middle of the message: the
			// client's writes block once the socket buffers are full.
			c.acceptEnvelope()
			c.expect("DATA")
			c.send("354 go")
			<-release
		}},
	} {
		t.Run(string(tc.step), func(t *testing.T) {
			release := make(chan struct{})
			cfg := scriptServer(t, func(c *scripted) { tc.script(c, release) })
			defer close(release)
			cfg.Timeout = timeout
			if tc.tls {
				cfg.Security = SecuritySTARTTLS
			}
			if tc.auth {
				cfg.Username, cfg.Password = testUser, testPassword
			}
			var msg Message = testMessage("timeout", "x")
			if tc.size > 0 {
				msg = genMessage{size: tc.size}
			}
			start := time.Now()
			res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, msg, nil)
			took := time.Since(start)
			var e *Error
			if !errors.As(err, &e) || e.Kind != ErrorTimeout || e.Step != tc.step || res.Sent {
				t.Fatalf("err = %v (kind %v), want a timeout at %s", err, kindOf(e), tc.step)
			}
			if e.MayHaveBeenDelivered {
				t.Error("an unfinished message is reported as possibly delivered")
			}
			// Each step has its own deadline; the slowest case waits for
			// one step, plus the socket buffers filling for the message.
			if took > 4*timeout+time.Second {
				t.Errorf("took %v with a %v timeout", took, timeout)
			}
		})
	}
	t.Run("the final reply, and it may have been delivered", func(t *testing.T) {
		cfg := scriptServer(t, func(c *scripted) {
			c.acceptEnvelope()
			c.expect("DATA")
			c.send("354 go")
			c.readData()
			silence(c)
		})
		cfg.Timeout, cfg.FinalReplyTimeout = timeout, timeout
		start := time.Now()
		_, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("t", "x"), nil)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorTimeout || e.Step != StepMessage || !e.MayHaveBeenDelivered ||
			!strings.Contains(e.Explain(), "may have been delivered") {
			t.Fatalf("err = %v", err)
		}
		if took := time.Since(start); took > 3*timeout {
			t.Errorf("took %v", took)
		}
	})
	t.Run("a silent QUIT does not change a success and ends in time", func(t *testing.T) {
		cfg := scriptServer(t, func(c *scripted) {
			c.acceptEnvelope()
			c.expect("DATA")
			c.send("354 go")
			c.readData()
			c.send("250 2.0.0 queued")
			silence(c)
		})
		cfg.Timeout = timeout
		start := time.Now()
		res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("t", "x"), nil)
		if err != nil || !res.Sent {
			t.Fatalf("res %+v, err %v", res, err)
		}
		if took := time.Since(start); took > 3*timeout {
			t.Errorf("took %v", took)
		}
	})
}

func TestMemoryStaysBoundedWhateverTheServerSends(t *testing.T) {
	line := []byte("220-" + strings.Repeat("x", MaxReplyLineLength-8) + "\r\n")
	endlessLines := bytes.Repeat(line, 64)
	noNewline := bytes.Repeat([]byte("2"), 1<<20)
	for _, tc := range []struct {
		name  string
		chunk []byte
		want  string
	}{
		{"endless multi-line reply of the longest lines", endlessLines, "more than"},
		{"endless bytes without a newline", noNewline, "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var written atomic.Int64
			cfg := scriptServer(t, func(c *scripted) {
				c.Write([]byte("220-hostile.test\r\n"))
				for written.Load() < 1<<30 {
					n, err := c.Write(tc.chunk)
					written.Add(int64(n))
					if err != nil {
						return
					}
				}
			})
			cfg.Timeout = 2 * time.Second
			events := 0
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Probe(context.Background(), cfg, func(Event) { events++ })
			runtime.ReadMemStats(&after)
			var e *Error
			if !errors.As(err, &e) || e.Kind != ErrorProtocol || e.Step != StepGreeting || !strings.Contains(e.Message, tc.want) {
				t.Fatalf("err = %v", err)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("the server wrote %d KiB; the client allocated %d KiB in all, %d events", written.Load()>>10, alloc>>10, events)
			// At most MaxReplyLines lines of MaxReplyLineLength bytes are
			// read (1 MiB), each copied a few times for events.
			if alloc > 16<<20 {
				t.Errorf("the client allocated %d MiB", alloc>>20)
			}
			if events > MaxReplyLines+10 {
				t.Errorf("%d events", events)
			}
		})
	}
}

func TestASlowDripCannotStretchAStep(t *testing.T) {
	// Each byte comes well within the timeout, but the reply as a whole
	// does not: the deadline is per reply, not per byte.
	const timeout = 300 * time.Millisecond
	cfg := scriptServer(t, func(c *scripted) {
		for _, b := range []byte("220-" + strings.Repeat("slow", 100) + "\r\n220 ok\r\n") {
			if _, err := c.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(timeout / 10)
		}
	})
	cfg.Timeout = timeout
	start := time.Now()
	_, err := Probe(context.Background(), cfg, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorTimeout || e.Step != StepGreeting {
		t.Fatalf("err = %v", err)
	}
	if took := time.Since(start); took > 2*timeout {
		t.Errorf("took %v with a %v timeout", took, timeout)
	}
}

func TestMailRefusedTemporarily(t *testing.T) {
	for _, pipelining := range []bool{true, false} {
		t.Run(map[bool]string{true: "pipelined", false: "one command at a time"}[pipelining], func(t *testing.T) {
			cfg := scriptServer(t, func(c *scripted) {
				c.ehloOK("PIPELINING")
				c.expect("MAIL")
				if pipelining {
					c.expect("RCPT")
					c.send("451 4.7.1 Greylisted, try again in 5 minutes", "503 5.5.1 need MAIL first")
					c.expect("RSET")
					c.send("250 ok")
				} else {
					c.send("451 4.7.1 Greylisted, try again in 5 minutes")
				}
				c.expect("QUIT")
				c.send("221 bye")
			})
			cfg.DisablePipelining = !pipelining
			var rec recorder
			res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("451", "x"), rec.on)
			var e *Error
			if !errors.As(err, &e) || e.Step != StepMail || e.Code != 451 || !e.Temporary || res.Sent {
				t.Fatalf("err = %v\n%s", err, rec.transcript())
			}
			if !strings.Contains(e.Explain(), "Try again later") || !strings.Contains(e.Explain(), "Greylisted") {
				t.Errorf("explanation: %s", e.Explain())
			}
			if strings.Contains(rec.transcript(), "-> DATA") {
				t.Error("DATA after a refused MAIL")
			}
		})
	}
}
