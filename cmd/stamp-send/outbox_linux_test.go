//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"stamp/account"
	"strings"
	"syscall"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// outboxEnv is stamp-send as a person runs it: its own data and settings
// folders, a saved account for a sandbox server.
type outboxEnv struct {
	t    *testing.T
	bin  string
	env  []string
	data string
	srv  *sandbox.Server
}

func newOutboxEnv(t *testing.T, bin string, so sandbox.Options) *outboxEnv {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	root := t.TempDir()
	e := &outboxEnv{t: t, bin: bin, srv: srv, data: filepath.Join(root, "data", "Stamp"),
		env: append(os.Environ(), "XDG_DATA_HOME="+filepath.Join(root, "data"), "XDG_CONFIG_HOME="+filepath.Join(root, "config"),
			// Each environment its own settings folder (TestMain points
			// STAMP_CONFIG_DIR at one shared by the whole package).
			account.ConfigDirEnv+"="+filepath.Join(root, "config", "Stamp"))}
	e.ok("account", "add", "box", "--from", "ann@example.com", "--server", srv.Addr(), "--security", "none", "--auth", "none")
	return e
}

func (e *outboxEnv) cmd(args ...string) *exec.Cmd {
	c := exec.Command(e.bin, args...)
	c.Env = e.env
	return c
}

func (e *outboxEnv) ok(args ...string) string {
	e.t.Helper()
	out, err := e.cmd(args...).Output()
	if err != nil {
		e.t.Fatalf("stamp-send %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (e *outboxEnv) list() []map[string]any {
	e.t.Helper()
	var list []map[string]any
	if err := json.Unmarshal([]byte(e.ok("outbox", "list", "--json")), &list); err != nil {
		e.t.Fatal(err)
	}
	return list
}

// One build of the real command for the outbox tests.
func TestStampSendOutbox(t *testing.T) {
	bin := buildStampSend(t)
	t.Run("queues into the outbox and sends it later", func(t *testing.T) { queuesAndSendsLater(t, bin) })
	t.Run("killed during the send leaves a possibly delivered message", func(t *testing.T) { killedDuringTheSend(t, bin) })
}

func queuesAndSendsLater(t *testing.T, bin string) {
	e := newOutboxEnv(t, bin, sandbox.Options{})
	out := e.ok("--account", "box", "--to", "bob@example.com", "--bcc", "hidden@example.com", "--subject", "queued", "--body", "hi", "--queue")
	if !strings.HasPrefix(out, "queued ") {
		t.Fatalf("--queue said %q", out)
	}
	e.ok("--account", "box", "--to", "bob@example.com", "--subject", "tomorrow", "--body", "hi", "--queue", "--at", time.Now().Add(24*time.Hour).Format(time.RFC3339))
	if n := len(e.srv.Messages()); n != 0 {
		t.Fatalf("--queue sent %d messages", n)
	}
	if list := e.list(); len(list) != 2 || list[0]["state"] != "waiting" || list[1]["state"] != "scheduled" {
		t.Fatalf("outbox list: %v", list)
	}
	e.ok("outbox", "send")
	msgs := e.srv.Messages()
	if len(msgs) != 1 || !strings.Contains(string(msgs[0].Data), "Subject: queued") || strings.Contains(string(msgs[0].Data), "hidden@") {
		t.Fatalf("the server got %d messages", len(msgs))
	}
	if got := strings.Join(msgs[0].To, ","); got != "bob@example.com,hidden@example.com" {
		t.Fatalf("envelope %q", got)
	}
	sent, _ := filepath.Glob(filepath.Join(e.data, "Sent", "*queued.eml"))
	if len(sent) != 1 {
		t.Fatalf("Sent copies: %v", sent)
	}
	if b, _ := os.ReadFile(sent[0]); !strings.Contains(string(b), "Bcc: hidden@example.com") {
		t.Fatalf("the Sent copy has no Bcc line:\n%s", b)
	}
	list := e.list()
	if len(list) != 1 || list[0]["subject"] != "tomorrow" {
		t.Fatalf("left: %v", list)
	}
	e.ok("outbox", "remove", list[0]["id"].(string))
	if list := e.list(); len(list) != 0 {
		t.Fatalf("after remove: %v", list)
	}
}

// killedAfterTheDot queues a message and runs `stamp-send outbox send`,
// killing it with SIGKILL right after the message's final dot, and waits
// until the server (which answers the dot slowly) has delivered it. It
// returns the environment and the killed command.
func killedAfterTheDot(t *testing.T, bin string) (*outboxEnv, *exec.Cmd) {
	t.Helper()
	e := newOutboxEnv(t, bin, sandbox.Options{FinalReplyDelay: 500 * time.Millisecond})
	e.ok("--account", "box", "--to", "bob@example.com", "--subject", "killed", "--body", "hi", "--queue")
	c := e.cmd("outbox", "send")
	stderr, _ := c.StderrPipe()
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if sc.Text() == "-> ." {
			c.Process.Signal(syscall.SIGKILL)
		}
	}
	c.Wait()
	if ws := c.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() {
		t.Fatalf("stamp-send was not killed: %v", c.ProcessState)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.srv.Wait(ctx, 1); err != nil {
		t.Fatal(err)
	}
	return e, c
}

// kill -9 of stamp-send after the message's final dot, before the reply:
// the server delivers it, and the outbox shows it as possibly delivered
// and never sends it again on its own.
func killedDuringTheSend(t *testing.T, bin string) {
	e, c := killedAfterTheDot(t, bin)
	out, err := e.cmd("outbox", "send").CombinedOutput()
	if code := c.ProcessState.ExitCode(); err == nil || !strings.Contains(string(out), "may-have-been-delivered") {
		t.Fatalf("the next flush (exit %d, %v) said:\n%s", code, err, out)
	}
	list := e.list()
	if len(list) != 1 || list[0]["reason"] != "may-have-been-delivered" {
		t.Fatalf("outbox: %v", list)
	}
	e.cmd("outbox", "send").Run()
	if n := len(e.srv.Messages()); n != 1 {
		t.Fatalf("delivered %d times", n)
	}
	// The person decides: --again sends it once more.
	out2, _ := e.cmd("outbox", "send", list[0]["id"].(string)).CombinedOutput()
	if !strings.Contains(string(out2), "--again") {
		t.Fatalf("send ID without --again: %s", out2)
	}
	e.ok("outbox", "send", list[0]["id"].(string), "--again", "--quiet")
	if n := len(e.srv.Messages()); n != 2 {
		t.Fatalf("after --again: %d deliveries", n)
	}
}

func TestQueueRefusesOneOffSettings(t *testing.T) {
	for _, args := range [][]string{
		{"--from", "a@example.com", "--to", "b@example.com", "--queue"},
		{"--account", "box", "--to", "b@example.com", "--queue", "--server", "127.0.0.1:25"},
		{"--account", "box", "--to", "b@example.com", "--queue", "--at", "tomorrow"},
		{"--account", "box", "--to", "b@example.com", "--delay", "5s"},
	} {
		var stderr strings.Builder
		if code := run(args, strings.NewReader(""), &strings.Builder{}, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
}
