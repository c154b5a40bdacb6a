package sandbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/smtp"
	"os"
	"strings"
	"testing"
	"time"
)

// The sandbox is checked with the standard library's net/smtp client, an
// implementation independent of both go-smtp and Stamp's engine.

func start(t *testing.T, o Options) *Server {
	t.Helper()
	s, err := Start(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dial(t *testing.T, s *Server) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func tlsConfig(t *testing.T, s *Server) *tls.Config {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CAPEM()) {
		t.Fatal("CAPEM holds no certificate")
	}
	return &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
}

func TestSTARTTLSAuthAndDelivery(t *testing.T) {
	s := start(t, Options{Security: STARTTLS, Username: "u", Password: "p", MaxSize: 1 << 20})
	got := make(chan Message, 1)
	stop := s.OnMessage(func(m Message) { got <- m })
	defer stop()

	c := dial(t, s)
	if ok, _ := c.Extension("AUTH"); ok {
		t.Error("AUTH offered before TLS")
	}
	if err := c.StartTLS(tlsConfig(t, s)); err != nil {
		t.Fatalf("STARTTLS with the CA from CAPEM: %v", err)
	}
	if err := c.Mail("a@x.test"); err == nil || !strings.Contains(err.Error(), "530") {
		t.Errorf("MAIL without AUTH: %v", err)
	}
	c.Reset()
	bad := dial(t, s)
	bad.StartTLS(tlsConfig(t, s))
	if err := bad.Auth(smtp.PlainAuth("", "u", "wrong", "127.0.0.1")); err == nil || !strings.Contains(err.Error(), "535") {
		t.Errorf("wrong password: %v", err)
	}
	if err := c.Auth(smtp.PlainAuth("", "u", "p", "127.0.0.1")); err != nil {
		t.Fatal(err)
	}
	c.Mail("a@x.test")
	c.Rcpt("b@y.test")
	w, _ := c.Data()
	w.Write([]byte("Subject: hi\r\n\r\n.dot\r\n")) // net/smtp dot-stuffs it
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-got:
		if m.From != "a@x.test" || m.To[0] != "b@y.test" || string(m.Data) != "Subject: hi\r\n\r\n.dot\r\n" || !m.TLS || m.User != "u" || m.QueueID == "" {
			t.Errorf("message = %+v", m)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("OnMessage was not called")
	}
	ms, err := s.Wait(context.Background(), 1)
	if err != nil || len(ms) != 1 {
		t.Errorf("Wait: %d messages, %v", len(ms), err)
	}
}

func TestImplicitTLS(t *testing.T) {
	s := start(t, Options{Security: TLS})
	conn, err := tls.Dial("tcp", s.Addr(), tlsConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	c, err := smtp.NewClient(conn, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		t.Error("STARTTLS offered on an implicit TLS port")
	}
}

func TestScriptedBehaviour(t *testing.T) {
	s := start(t, Options{DisablePipelining: true, RejectRcpt: map[string]Reply{"no@y.test": {550, "5.1.1", "unknown"}},
		RejectData: &Reply{554, "5.7.1", "spam"}})
	c := dial(t, s)
	c.Hello("client.test")
	if ok, _ := c.Extension("PIPELINING"); ok {
		t.Error("PIPELINING advertised although disabled")
	}
	if ok, _ := c.Extension("8BITMIME"); !ok {
		t.Error("the EHLO reply lost its other lines")
	}
	c.Mail("a@x.test")
	if err := c.Rcpt("no@y.test"); err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("refused recipient: %v", err)
	}
	c.Rcpt("ok@y.test")
	w, _ := c.Data()
	w.Write([]byte("x\r\n"))
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "554") {
		t.Errorf("refused data: %v", err)
	}
	if len(s.Messages()) != 0 {
		t.Error("a refused message was kept")
	}
}

func TestContextStopsTheServer(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := smtp.Dial(s.Addr()); err != nil {
			if err := s.Close(); err != nil {
				t.Errorf("Close after cancel: %v", err)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the server still accepts connections after its context was cancelled")
}

func TestDisablePipeliningNeedsItsOwnTLS(t *testing.T) {
	if _, err := Start(context.Background(), Options{Security: STARTTLS, DisablePipelining: true}); err == nil {
		t.Error("STARTTLS with DisablePipelining should be refused")
	}
}

func TestKeepsTheNewestMessages(t *testing.T) {
	s := start(t, Options{KeepMessages: 2})
	for i := 1; i <= 3; i++ {
		msg := []byte("Subject: " + strings.Repeat("x", i) + "\r\n\r\nbody\r\n")
		if err := smtp.SendMail(s.Addr(), nil, "a@x.test", []string{"b@y.test"}, msg); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ms, err := s.Wait(ctx, 3)
	if err != nil || len(ms) != 2 || !strings.HasPrefix(string(ms[1].Data), "Subject: xxx\r\n") {
		t.Errorf("Wait(3) = %d messages, %v", len(ms), err)
	}
}

func TestASpooledMessageIsOnDiskNotInMemoryAndARefusedOneLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	s := start(t, Options{SpoolDir: dir, RejectRcpt: map[string]Reply{}})
	body := "Subject: spooled\r\n\r\n" + strings.Repeat("line of text\r\n", 100_000)
	if err := smtp.SendMail(s.Addr(), nil, "a@x.test", []string{"b@y.test"}, []byte(body)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ms, err := s.Wait(ctx, 1)
	if err != nil || len(ms) != 1 {
		t.Fatalf("Wait = %d messages, %v", len(ms), err)
	}
	if ms[0].Data != nil {
		t.Fatalf("the server holds %d bytes of the message in memory", len(ms[0].Data))
	}
	got, err := os.ReadFile(ms[0].Path)
	if err != nil || string(got) != body {
		t.Fatalf("the spooled file holds %d bytes (%v), want the %d sent", len(got), err, len(body))
	}
	if ms[0].Size != int64(len(body)) {
		t.Fatalf("Size = %d", ms[0].Size)
	}

	r := start(t, Options{SpoolDir: dir, RejectData: &Reply{554, "5.7.1", "spam"}})
	if err := smtp.SendMail(r.Addr(), nil, "a@x.test", []string{"b@y.test"}, []byte(body)); err == nil {
		t.Fatal("the refusal did not reach the client")
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Fatalf("after a refused message the spool holds %d files, want only the first message", len(files))
	}
}
