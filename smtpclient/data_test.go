package smtpclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

func TestDataStream(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty message", "", ".\r\n"},
		{"CRLF lines pass through", "a\r\nb\r\n", "a\r\nb\r\n.\r\n"},
		{"a last line without line end is ended", "a\r\nb", "a\r\nb\r\n.\r\n"},
		{"bare LF becomes CRLF", "a\nb\n", "a\r\nb\r\n.\r\n"},
		{"bare CR becomes CRLF", "a\rb\r", "a\r\nb\r\n.\r\n"},
		{"leading dot is doubled", ".a\r\n..b\r\n", "..a\r\n...b\r\n.\r\n"},
		{"a lone dot line is doubled", "a\r\n.\r\nb", "a\r\n..\r\nb\r\n.\r\n"},
		{"first line dot", ".", "..\r\n.\r\n"},
		{"smuggling LF.LF", "a\n.\nMAIL FROM:<x@y>\n", "a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n"},
		{"smuggling CR.CR", "a\r.\rb", "a\r\n..\r\nb\r\n.\r\n"},
		{"smuggling CRLF.LF", "a\r\n.\nb", "a\r\n..\r\nb\r\n.\r\n"},
		{"LFCR is two line ends", "a\n\rb", "a\r\n\r\nb\r\n.\r\n"},
		{"dot in the middle stays", "a.b\r\n", "a.b\r\n.\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The same output whatever the input's chunking.
			for _, split := range []int{0, 1, 2, 3} {
				var out bytes.Buffer
				d := newDataWriter(&out)
				writeSplit(d, []byte(tc.in), split)
				if err := d.Close(); err != nil {
					t.Fatal(err)
				}
				if out.String() != tc.want {
					t.Errorf("split %d: got %q, want %q", split, out.String(), tc.want)
				}
			}
		})
	}
}

// writeSplit writes p in pieces of size n (0: at once).
func writeSplit(w io.Writer, p []byte, n int) {
	if n == 0 {
		w.Write(p)
		return
	}
	for len(p) > 0 {
		k := min(n, len(p))
		w.Write(p[:k])
		p = p[k:]
	}
}

// unstuff reads a DATA stream back the way a server does (RFC 5321 §4.5.2),
// and reports whether any bare CR or LF was in it.
func unstuff(wire []byte) (msg []byte, bare bool, ok bool) {
	if !bytes.HasSuffix(wire, []byte("\r\n.\r\n")) && !bytes.Equal(wire, []byte(".\r\n")) {
		return nil, false, false
	}
	lines := bytes.Split(wire[:len(wire)-2], []byte("\r\n")) // without the final CRLF
	for _, l := range lines[:len(lines)-1] {
		if bytes.ContainsAny(l, "\r\n") {
			bare = true
		}
		if bytes.Equal(l, []byte(".")) {
			return nil, bare, false // an early end of data
		}
		msg = append(msg, bytes.TrimPrefix(l, []byte("."))...)
		msg = append(msg, '\r', '\n')
	}
	return msg, bare, true
}

// normalise is what the message should read as after the trip.
func normalise(p []byte) []byte {
	s := strings.NewReplacer("\r\n", "\r\n", "\r", "\r\n", "\n", "\r\n").Replace(string(p))
	if s != "" && !strings.HasSuffix(s, "\r\n") {
		s += "\r\n"
	}
	return []byte(s)
}

func FuzzDataStream(f *testing.F) {
	for _, s := range []string{"", "a\n.\n", "\r.\r", "\r\n.\n", ".\r\n.", "x\r", strings.Repeat("ab\r", 5000),
		// runs of clean CRLF lines (cleanRun) broken by a stray CR, a bare
		// LF, a dot, or the window's end
		"ab\r\ncd\r\nef\r\n", "ab\r\nc\rd\r\nef\r\n", "ab\r\ncd\nef\r\n", "ab\r\n.cd\r\n", "\r\n\r\n.\r\n",
		strings.Repeat("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab\r\n", 60) + "x\ry\r\n.\r\n"} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, in []byte, split uint8) {
		var out bytes.Buffer
		d := newDataWriter(&out)
		writeSplit(d, in, int(split))
		d.Close()
		msg, bare, ok := unstuff(out.Bytes())
		if !ok {
			t.Fatalf("stream %q does not end once, at the end", out.Bytes())
		}
		if bare {
			t.Fatalf("bare CR or LF on the wire: %q", out.Bytes())
		}
		if want := normalise(in); !bytes.Equal(msg, want) {
			t.Fatalf("server reads %q, want %q", msg, want)
		}
		if d.consumed != int64(len(in)) {
			t.Fatalf("consumed %d of %d", d.consumed, len(in))
		}
	})
}

// genMessage is a synthetic message of a given size: base64-like 76-column
// lines, some starting with a dot, generated on the fly so the test's own
// memory stays flat. It can call hook after each chunk it wrote.
type genMessage struct {
	size int64
	hook func(written int64)
}

func (g genMessage) Size() int64 { return g.size }

func (g genMessage) WriteTo(w io.Writer) (int64, error) {
	line := []byte(strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 3)[:76] + "\r\n")
	chunk := bytes.Repeat(line, 32<<10/len(line))
	copy(chunk[len(line)*7:], ".dot")
	var n int64
	for n < g.size {
		c := chunk[:min(int64(len(chunk)), g.size-n)]
		k, err := w.Write(c)
		n += int64(k)
		if err != nil {
			return n, err
		}
		if g.hook != nil {
			g.hook(n)
		}
	}
	return n, nil
}

// stored is the size and SHA-256 of what a server should store for g:
// its bytes with the last line ended.
func stored(g genMessage) (int64, [32]byte) {
	h := sha256.New()
	var tail tailWriter
	n, _ := g.WriteTo(io.MultiWriter(h, &tail))
	if n > 0 && string(tail[:]) != "\r\n" {
		h.Write([]byte("\r\n"))
		n += 2
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return n, sum
}

// tailWriter remembers the last two bytes written.
type tailWriter [2]byte

func (t *tailWriter) Write(p []byte) (int, error) {
	if len(p) >= 2 {
		copy(t[:], p[len(p)-2:])
	} else if len(p) == 1 {
		t[0], t[1] = t[1], p[0]
	}
	return len(p), nil
}

func TestHundredMiBMessageWithFlatMemory(t *testing.T) {
	size := int64(100 << 20)
	if testing.Short() {
		size = 10 << 20
	}
	srv := startSandbox(t, sandbox.Options{DiscardData: true})
	g := genMessage{size: size}

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
		}
	}()
	progress := 0
	res, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, g, func(ev Event) {
		if ev.Kind == EventProgress {
			progress++
		}
	})
	close(stop)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	m := srv.Messages()
	wantSize, wantSum := stored(g)
	if len(m) != 1 || m[0].Size != wantSize || m[0].SHA256 != wantSum {
		t.Fatalf("server got %d bytes, want %d (or the digest differs)", m[0].Size, wantSize)
	}
	if res.WireBytes <= size {
		t.Errorf("wire bytes %d: dot-stuffing added nothing?", res.WireBytes)
	}
	// Client and server share this process: the sandbox discards the data,
	// so heap growth is what both sides hold at once.
	growth := int64(peak.Load()) - int64(before.HeapInuse)
	t.Logf("%d MiB sent, heap in use grew by %.1f MiB at most, %d progress events", size>>20, float64(growth)/(1<<20), progress)
	if growth > 24<<20 {
		t.Errorf("heap grew by %d MiB while sending %d MiB: memory is not flat", growth>>20, size>>20)
	}
	if progress < 2 || int64(progress) > size/dataChunk+2 {
		t.Errorf("%d progress events for %d bytes", progress, size)
	}
}

func TestCancelInTheMiddleOfData(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{Security: sandbox.STARTTLS})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelled time.Time
	g := genMessage{size: 1 << 30, hook: func(n int64) {
		if n >= 2<<20 && cancelled.IsZero() {
			cancelled = time.Now()
			cancel()
		}
	}}
	var rec recorder
	res, err := Send(ctx, configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, g, rec.on)
	took := time.Since(cancelled)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorCanceled || e.Step != StepMessage {
		t.Fatalf("err = %v", err)
	}
	if e.MayHaveBeenDelivered || res.Sent {
		t.Error("a cancelled, incomplete message is reported as possibly delivered")
	}
	if took > time.Second {
		t.Errorf("Send returned %v after the cancel", took)
	}
	if !strings.Contains(e.Message, "message") {
		t.Errorf("the error does not say at which step: %s", e.Message)
	}
	assertServerStoredNothing(t, srv, "a cancelled message")
}

func TestServerClosesInTheMiddleOfData(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{CloseDuringData: 1 << 20})
	_, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, genMessage{size: 8 << 20}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorConnection || e.Step != StepMessage || e.MayHaveBeenDelivered {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(e.Explain(), "connection broke") {
		t.Errorf("explanation: %s", e.Explain())
	}
}

func TestNoFinalReplyMayHaveBeenDelivered(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{FinalReplyDelay: 2 * time.Second})
	cfg := configFor(srv)
	cfg.FinalReplyTimeout = 200 * time.Millisecond
	_, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, testMessage("t", "x"), nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorTimeout || e.Step != StepMessage || !e.MayHaveBeenDelivered {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(e.Explain(), "may have been delivered") {
		t.Errorf("explanation: %s", e.Explain())
	}
}

func TestMessageSourceFailureDoesNotDeliverATruncatedMessage(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	_, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, failingMessage{}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorSource {
		t.Fatalf("err = %v", err)
	}
	assertServerStoredNothing(t, srv, "a truncated message")
}

// assertServerStoredNothing waits until the server's session is over (it
// stores a message before its connection ends), then checks that it kept
// no message.
func assertServerStoredNothing(t *testing.T, srv *sandbox.Server, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.WaitSessionsEnded(ctx, 1); err != nil {
		t.Fatalf("the server's session did not end: %v", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("the server stored %s (%d messages)", what, n)
	}
}

func TestEveryEventArrivesOnTheCallingGoroutineEvenInTheBackground(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{DiscardData: true})
	cfg := configFor(srv)
	cfg.Background = true
	caller := goroutineID()
	// Plain counters, no lock: under -race, a handler called from two
	// goroutines without order between them is reported.
	var events, progress, elsewhere int
	res, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, genMessage{size: 8 << 20}, func(ev Event) {
		events++
		if ev.Kind == EventProgress {
			progress++
		}
		if goroutineID() != caller {
			elsewhere++
		}
	})
	if err != nil || !res.Sent {
		t.Fatalf("Send: %v", err)
	}
	if progress < 2 || events < 10 {
		t.Fatalf("%d events, %d of them progress", events, progress)
	}
	if elsewhere != 0 {
		t.Errorf("%d of %d events came from another goroutine", elsewhere, events)
	}
}

// goroutineID is the number runtime.Stack prints for this goroutine.
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, _, _ := strings.Cut(strings.TrimPrefix(string(buf), "goroutine "), " ")
	return id
}

type failingMessage struct{}

func (failingMessage) Size() int64 { return 1 << 20 }
func (failingMessage) WriteTo(w io.Writer) (int64, error) {
	n, _ := w.Write(bytes.Repeat([]byte("line\r\n"), 1000))
	return int64(n), errors.New("attachment vanished")
}

func TestFailureAfterTheFinalReplyIsStillSuccess(t *testing.T) {
	cfg := scriptServer(t, func(c *scripted) {
		c.ehloOK("PIPELINING")
		c.expect("MAIL FROM:")
		c.expect("RCPT TO:")
		c.send("250 ok", "250 ok")
		c.expect("DATA")
		c.send("354 go")
		for {
			l, err := c.r.ReadString('\n')
			if err != nil || l == ".\r\n" {
				break
			}
		}
		c.send("250 2.0.0 Ok: queued as 4F3A2C0B1")
		c.expect("QUIT")
		// no 221: hang up
	})
	var rec recorder
	res, err := Send(context.Background(), cfg, Envelope{From: "a@b.test", To: []string{"c@d.test"}}, testMessage("q", "x"), rec.on)
	if err != nil || !res.Sent || res.QueueID != "4F3A2C0B1" {
		t.Fatalf("res %+v, err %v", res, err)
	}
	if !strings.Contains(rec.transcript(), "[quit] failed") {
		t.Errorf("the QUIT failure is not in the transcript:\n%s", rec.transcript())
	}
}

func TestProgressEvents(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{DiscardData: true, Latency: time.Millisecond})
	var evs []Event
	size := int64(4 << 20)
	_, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, genMessage{size: size}, func(ev Event) {
		if ev.Kind == EventProgress {
			evs = append(evs, ev)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if last.Sent != size || last.Total != size || evs[0].Sent != 0 {
		t.Errorf("progress from %d to %d of %d", evs[0].Sent, last.Sent, last.Total)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].Sent < evs[i-1].Sent {
			t.Errorf("progress went backwards: %d then %d", evs[i-1].Sent, evs[i].Sent)
		}
		if gap := evs[i].Time.Sub(evs[i-1].Time); gap < progressInterval && evs[i].Sent != size {
			t.Errorf("progress events %v apart", gap)
		}
	}
}

func TestHasEightBit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", false},
		{"plain ASCII text\r\n", false},
		{strings.Repeat("a", 100) + "é", true},
		{"\x80", true},
		{strings.Repeat("abcdefgh", 9000) + "\xff" + strings.Repeat("z", 3), true},
		{strings.Repeat("\x7f", 70000), false},
	} {
		got, err := HasEightBit(strings.NewReader(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("HasEightBit(%d bytes ending %q) = %v, %v", len(tc.in), tc.in[max(0, len(tc.in)-3):], got, err)
		}
	}
}

// failAfter is a connection that takes limit bytes, then fails.
type failAfter struct {
	limit, n int64
}

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n+int64(len(p)) > f.limit {
		return 0, errors.New("connection reset by peer")
	}
	f.n += int64(len(p))
	return len(p), nil
}

func TestStreamDataStopsGeneratingTheMessageWhenTheConnectionFails(t *testing.T) {
	var generated atomic.Int64
	msg := genMessage{size: 1 << 30, hook: func(n int64) { generated.Store(n) }}
	conn := &failAfter{limit: 1 << 20}
	res := streamData(msg, conn, func(int64) {}, false)
	if res.connErr == nil || res.srcErr != nil {
		t.Fatalf("connErr = %v, srcErr = %v", res.connErr, res.srcErr)
	}
	// The message's goroutine has ended (streamData waits for it), a few
	// chunks past the failure, not a gigabyte later.
	if g := generated.Load(); g > 4<<20 {
		t.Fatalf("%d bytes of the message were generated after the connection failed at 1 MiB", g)
	}
	if res.wire != conn.n {
		t.Fatalf("wire = %d, the connection took %d", res.wire, conn.n)
	}
}

func TestStreamDataReportsASourceFailureWithoutTheEndMarker(t *testing.T) {
	var out bytes.Buffer
	res := streamData(failingMessage{}, &out, func(int64) {}, false)
	if res.srcErr == nil || res.connErr != nil {
		t.Fatalf("srcErr = %v, connErr = %v", res.srcErr, res.connErr)
	}
	if bytes.HasSuffix(out.Bytes(), []byte("\r\n.\r\n")) {
		t.Fatal("the end-of-data marker was written after the message source failed")
	}
}

func TestStreamDataMatchesTheDataWriterByteForByte(t *testing.T) {
	msg := genMessage{size: 5<<20 + 123}
	var direct bytes.Buffer
	dw := newDataWriter(&direct)
	if _, err := msg.WriteTo(dw); err != nil {
		t.Fatal(err)
	}
	if err := dw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, background := range []bool{false, true} {
		var piped bytes.Buffer
		var last int64
		res := streamData(msg, &piped, func(c int64) {
			if c < last {
				t.Errorf("progress went back from %d to %d", last, c)
			}
			last = c
		}, background)
		if res.srcErr != nil || res.connErr != nil {
			t.Fatal(res.srcErr, res.connErr)
		}
		if !bytes.Equal(direct.Bytes(), piped.Bytes()) || res.wire != int64(piped.Len()) || res.consumed != msg.size || last != msg.size {
			t.Fatalf("background %v: piped %d bytes (wire %d, consumed %d, last progress %d), direct %d",
				background, piped.Len(), res.wire, res.consumed, last, direct.Len())
		}
	}
}

// countingConn counts the writes that reach it.
type countingConn struct {
	net.Conn
	writes int
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes++
	return c.Conn.Write(p)
}

func TestTheRecordsOfOneChunkLeaveInOneWrite(t *testing.T) {
	cert, caPEM, err := sandbox.Certificates([]string{"localhost"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	client, server := net.Pipe()
	defer client.Close()
	got := make(chan []byte, 1)
	go func() {
		defer server.Close()
		s := tls.Server(server, &tls.Config{Certificates: []tls.Certificate{cert}})
		b, _ := io.ReadAll(s)
		got <- b
	}()
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	counted := &countingConn{Conn: client}
	records := &coalescingConn{Conn: counted}
	tc := tls.Client(records, &tls.Config{ServerName: "localhost", RootCAs: roots})
	if err := tc.Handshake(); err != nil {
		t.Fatal(err)
	}
	msg := genMessage{size: 3*dataChunk + 1000}
	counted.writes = 0
	res := streamData(msg, gatheredWriter{tc, records}, func(int64) {}, false)
	if res.connErr != nil || res.srcErr != nil {
		t.Fatal(res.connErr, res.srcErr)
	}
	chunks := (res.wire + dataChunk - 1) / dataChunk
	if int64(counted.writes) != chunks {
		t.Errorf("%d writes reached the connection for %d chunks (%d TLS records)", counted.writes, chunks, (res.wire+16383)/16384)
	}
	tc.Close()
	var want bytes.Buffer
	dw := newDataWriter(&want)
	msg.WriteTo(dw)
	dw.Close()
	if b := <-got; !bytes.Equal(b, want.Bytes()) {
		t.Fatalf("the server read %d bytes, want the %d-byte DATA stream", len(b), want.Len())
	}
}

// A cancel from the DATA step's event (the outbox could not record that
// the message may go out) stops the send before the DATA command, on this
// goroutine, whatever the connection's closer goroutine is doing.
func TestCancelFromTheDataEventSendsNoDataCommand(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var rec recorder
	res, err := Send(ctx, configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, Bytes("Subject: x\r\n\r\nhi\r\n"), func(ev Event) {
		if ev.Kind == EventStepStarted && ev.Step == StepData {
			cancel()
		}
		rec.on(ev)
	})
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrorCanceled || e.Step != StepData || res.Sent {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(rec.transcript(), "-> DATA") {
		t.Errorf("DATA was written after the cancel:\n%s", rec.transcript())
	}
	assertServerStoredNothing(t, srv, "a message cancelled before DATA")
}
