//go:build unix

package outbox

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"

	"stamp/compose"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// The test binary doubles as the helper process the reliability tests kill:
// with STAMP_OUTBOX_HELPER set it runs one outbox job and exits.
func TestMain(m *testing.M) {
	if job := os.Getenv("STAMP_OUTBOX_HELPER"); job != "" {
		os.Exit(helperMain(job))
	}
	os.Exit(m.Run())
}

// helperMain runs job ("enqueue N", "flush") on the outbox named by the
// environment, dying with SIGKILL at STAMP_OUTBOX_KILL_AT (a hook point).
func helperMain(job string) int {
	killAt := os.Getenv("STAMP_OUTBOX_KILL_AT")
	hook = func(point, id string) {
		if point == killAt {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	port, _ := strconv.Atoi(os.Getenv("STAMP_OUTBOX_PORT"))
	o, err := Open(Options{Dir: os.Getenv("STAMP_OUTBOX_DIR"), SentDir: os.Getenv("STAMP_OUTBOX_SENT"),
		Sender: sandboxSender(port),
		OnEvent: func(id string, ev smtpclient.Event) {
			if ev.Kind == smtpclient.EventLine && ev.Direction == smtpclient.Client && ev.Text == "." {
				fmt.Println("dot-sent", id) // the parent may kill now: after the dot, before the reply
			}
			if ev.Kind == smtpclient.EventProgress && ev.Sent > 0 && ev.Sent < ev.Total {
				fmt.Println("data-progress", id) // in the middle of the message
			}
		}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	switch {
	case strings.HasPrefix(job, "enqueue"):
		n, _ := strconv.Atoi(strings.TrimPrefix(job, "enqueue "))
		for i := range n {
			m := testNew(fmt.Sprintf("helper %d", i))
			m.Delay = 10 * time.Second // the undo delay
			if _, err := o.Enqueue(m); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
	case job == "flush":
		if _, err := o.Flush(context.Background(), false); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// sandboxSender is the real engine against the sandbox on port.
func sandboxSender(port int) Sender {
	return SenderFunc(func(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
		cfg := smtpclient.Config{Host: "127.0.0.1", Port: port, Security: smtpclient.SecurityNone, Timeout: 5 * time.Second}
		return smtpclient.Send(ctx, cfg, env, msg, onEvent)
	})
}

// testNew is a message with a blind recipient, for the outbox.
func testNew(subject string) New {
	m := &compose.Message{
		From:    compose.Address{Name: "Ann", Addr: "ann@example.com"},
		To:      []compose.Address{{Addr: "bob@example.com"}},
		Bcc:     []compose.Address{{Name: "Cé Blind", Addr: "cc@example.com"}},
		Subject: subject,
		Text:    "Hello,\n.\nA line with only a dot above.\n",
	}
	n, err := FromCompose(m)
	if err != nil {
		panic(err)
	}
	n.Account, n.SentCopy = "sandbox", true
	return n
}

// env is one outbox folder and Sent folder with a sandbox server.
type env struct {
	t          *testing.T
	dir, sent  string
	srv        *sandbox.Server
	mu         sync.Mutex
	changes    []Change
	changed    chan struct{}
	opts       Options
	serverOpts sandbox.Options
}

func newEnv(t *testing.T, so sandbox.Options) *env {
	t.Helper()
	root := t.TempDir()
	e := &env{t: t, dir: filepath.Join(root, "Outbox"), sent: filepath.Join(root, "Sent"), serverOpts: so, changed: make(chan struct{}, 1000)}
	e.startServer()
	return e
}

func (e *env) startServer() {
	e.t.Helper()
	srv, err := sandbox.Start(context.Background(), e.serverOpts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.srv = srv
	e.serverOpts.Addr = srv.Addr() // a restart comes back on the same port
	e.t.Cleanup(func() { srv.Close() })
}

// open opens the outbox with the test's options on top of the defaults.
func (e *env) open(opts Options) *Outbox {
	e.t.Helper()
	opts.Dir, opts.SentDir = e.dir, e.sent
	if opts.Sender == nil {
		opts.Sender = sandboxSender(e.srv.Port())
	}
	if opts.NetworkChanges == nil {
		opts.NetworkChanges = func(ctx context.Context) <-chan struct{} { return nil }
	}
	opts.OnChange = func(c Change) {
		e.mu.Lock()
		e.changes = append(e.changes, c)
		e.mu.Unlock()
		e.changed <- struct{}{}
	}
	o, err := Open(opts)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// waitChange waits until some change satisfies ok.
func (e *env) waitChange(what string, ok func(Change) bool) Change {
	e.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		e.mu.Lock()
		for _, c := range e.changes {
			if ok(c) {
				e.mu.Unlock()
				return c
			}
		}
		e.mu.Unlock()
		select {
		case <-e.changed:
		case <-deadline:
			e.mu.Lock()
			for _, c := range e.changes {
				e.t.Logf("change: %s %s attempts %d removed %v err %+v", c.Record.ID, c.Record.State, c.Record.Attempts, c.Removed, c.Record.LastError)
			}
			e.mu.Unlock()
			e.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// sentCopies reads the Sent folder with an independent parser: subject
// and Bcc of each copy.
func (e *env) sentCopies() map[string]string {
	e.t.Helper()
	out := map[string]string{}
	paths, _ := filepath.Glob(filepath.Join(e.sent, "*.eml"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			e.t.Fatal(err)
		}
		r, err := mail.CreateReader(bytes.NewReader(b))
		if err != nil {
			e.t.Fatalf("%s: %v", p, err)
		}
		subj, _ := r.Header.Subject()
		bcc, _ := r.Header.AddressList("Bcc")
		var names []string
		for _, a := range bcc {
			names = append(names, a.Name+" <"+a.Address+">")
		}
		if _, dup := out[subj]; dup {
			e.t.Errorf("two Sent copies of %q", subj)
		}
		out[subj] = strings.Join(names, ", ")
	}
	return out
}

// delivered counts the messages the server took, by subject (parsed).
func (e *env) delivered() map[string]int {
	e.t.Helper()
	out := map[string]int{}
	for _, m := range e.srv.Messages() {
		r, err := mail.CreateReader(bytes.NewReader(m.Data))
		if err != nil {
			e.t.Fatal(err)
		}
		subj, _ := r.Header.Subject()
		if _, err := r.Header.Text("Bcc"); err == nil {
			if v, _ := r.Header.Text("Bcc"); v != "" {
				e.t.Errorf("the transmitted %q has a Bcc line: %q", subj, v)
			}
		}
		out[subj]++
	}
	return out
}
