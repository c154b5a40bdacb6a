package smtpclient

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
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
	// testHostileSecret has what escaping changes — a quote, a backslash,
	// a control character — and non-ASCII, so that a secret that escapes
	// the mask by being quoted or made printable is seen by the oracles
	// (scripts/test-secrets.txt lists it too).
	testHostileSecret = "stamp-test-secret\"q\\b\x07密"
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

// transcript renders the events with FormatLine, as the front ends do,
// for failure output and for substring checks.
func (r *recorder) transcript() string {
	var b strings.Builder
	for _, ev := range r.all() {
		switch ev.Kind {
		case EventLine:
			b.WriteString(FormatLine(ev.Direction, ev.Text))
		case EventStepStarted:
			b.WriteString(FormatLine(Local, fmt.Sprintf("[%s] %s", ev.Step, ev.Text)))
		case EventStepFailed:
			b.WriteString(FormatLine(Local, fmt.Sprintf("[%s] failed: %s", ev.Step, ev.Text)))
		case EventRecipient:
			b.WriteString(FormatLine(Local, fmt.Sprintf("recipient %s accepted=%v %s", ev.Recipient, ev.Accepted, ev.Text)))
		case EventProgress:
			b.WriteString(FormatLine(Local, fmt.Sprintf("progress %d/%d", ev.Sent, ev.Total)))
		default:
			continue
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// secretForms lists the forms a secret could leak in: raw, escaped as
// strconv.Quote, JSON and Printable write it, and base64 (alone and inside
// the PLAIN and XOAUTH2 initial responses).
func secretForms(secrets ...string) []string {
	b64 := base64.StdEncoding.EncodeToString
	var forms []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		forms = append(forms, escapedForms(s)...)
		forms = append(forms,
			b64([]byte("\x00"+testUser+"\x00"+s)),
			b64([]byte("user="+testUser+"\x01auth=Bearer "+s+"\x01\x01")),
			"Bearer "+s)
	}
	return forms
}

// escapedForms is a secret raw, escaped (strconv.Quote, JSON, Printable)
// and in base64.
func escapedForms(s string) []string {
	q := strconv.Quote(s)
	j, _ := json.Marshal(s)
	return []string{s, q[1 : len(q)-1], string(j[1 : len(j)-1]), Printable(s), base64.StdEncoding.EncodeToString([]byte(s))}
}

// leaksIn returns the first form of a secret found in text, or "".
func leaksIn(text string, forms []string) string {
	for _, f := range forms {
		if strings.Contains(text, f) {
			return f
		}
	}
	return ""
}

// testMessage is a small RFC 5322 message.
func testMessage(subject, body string) Bytes {
	return Bytes("From: Alice <alice@sandbox.test>\r\nTo: bob@example.test\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + subject + "@sandbox.test>\r\n\r\n" + body)
}
