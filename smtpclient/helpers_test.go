package smtpclient

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

const (
	testUser     = "alice@sandbox.test"
	testPassword = "s3cret-Pässword-🔑"
	testToken    = "ya29.test-oauth-token-1234567890"
)

// startSandbox runs a sandbox server for one test.
func startSandbox(t testing.TB, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// configFor is a client configuration for srv.
func configFor(srv *sandbox.Server) Config {
	sec := map[sandbox.Security]Security{sandbox.None: SecurityNone, sandbox.STARTTLS: SecuritySTARTTLS, sandbox.TLS: SecurityTLS}
	o := srv.Options()
	return Config{
		Host:     srv.Host(),
		Port:     srv.Port(),
		Security: sec[o.Security],
		Username: o.Username,
		Password: o.Password,
		CAPEM:    srv.CAPEM(),
		Timeout:  10 * time.Second,
	}
}

// recorder keeps every event; safe for use from the sending goroutine while
// a test reads from another.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) on(ev Event) {
	r.mu.Lock()
	first := len(r.events) == 0
	r.events = append(r.events, ev)
	r.mu.Unlock()
	if first {
		allRecorders.add(r)
	}
}

// recorderList keeps every recorder that saw an event, so that TestMain can
// write all transcripts out for scripts/secret-audit.sh.
type recorderList struct {
	mu   sync.Mutex
	list []*recorder
}

var allRecorders recorderList

func (l *recorderList) add(r *recorder) {
	l.mu.Lock()
	l.list = append(l.list, r)
	l.mu.Unlock()
}

func (r *recorder) all() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// transcript renders the events like stamp-send does, for failure output
// and for substring checks.
func (r *recorder) transcript() string {
	var b strings.Builder
	for _, ev := range r.all() {
		switch ev.Kind {
		case EventLine:
			p := map[Direction]string{Client: "-> ", Server: "<- ", Local: "=== "}[ev.Direction]
			b.WriteString(p + ev.Text + "\n")
		case EventStepStarted:
			fmt.Fprintf(&b, "=== [%s] %s\n", ev.Step, ev.Text)
		case EventStepFailed:
			fmt.Fprintf(&b, "=== [%s] failed: %s\n", ev.Step, ev.Text)
		case EventRecipient:
			fmt.Fprintf(&b, "=== recipient %s accepted=%v %s\n", ev.Recipient, ev.Accepted, ev.Text)
		case EventProgress:
			fmt.Fprintf(&b, "=== progress %d/%d\n", ev.Sent, ev.Total)
		}
	}
	return b.String()
}

// testMessage is a small RFC 5322 message.
func testMessage(subject, body string) Bytes {
	return Bytes("From: Alice <alice@sandbox.test>\r\nTo: bob@example.test\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + subject + "@sandbox.test>\r\n\r\n" + body)
}
