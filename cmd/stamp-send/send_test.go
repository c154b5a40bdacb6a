package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

const sendTestPassword = "pw-for-stamp-send-Ω-42"

// sandboxArgs starts a sandbox and returns the flags that reach it.
func sandboxArgs(t *testing.T, opts sandbox.Options) (*sandbox.Server, []string) {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	sec := map[sandbox.Security]string{sandbox.None: "none", sandbox.STARTTLS: "starttls", sandbox.TLS: "tls"}[opts.Security]
	args := []string{"--server", srv.Addr(), "--security", sec, "--timeout", "5s"}
	if pem := srv.CAPEM(); pem != nil {
		ca := filepath.Join(t.TempDir(), "ca.pem")
		if err := os.WriteFile(ca, pem, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--ca-file", ca)
	}
	if opts.Username != "" {
		t.Setenv("STAMP_SEND_TEST_PW", opts.Password)
		args = append(args, "--user", opts.Username, "--password-env", "STAMP_SEND_TEST_PW")
	}
	return srv, args
}

func TestSendThroughTheSandbox(t *testing.T) {
	srv, args := sandboxArgs(t, sandbox.Options{Security: sandbox.STARTTLS, Username: "alice", Password: sendTestPassword})
	att := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(att, []byte("attached bytes\n"), 0o644)
	code, stdout, stderr := runCmd(t, "", append(args,
		"--from", "Alice <alice@example.com>", "--to", "bob@example.com", "--cc", "carol@example.com",
		"--bcc", "dave@example.com", "--subject", "Hello", "--body", "Hi Bob\n.\nbye", "--attach", att)...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout is for --dry-run only, got %q", stdout)
	}
	for _, want := range []string{"=== connect 127.0.0.1:", "-> EHLO ", "-> STARTTLS", "=== TLS 1.3 established",
		"-> AUTH PLAIN ********", "<- 235 ", "-> RCPT TO:<dave@example.com>", "-> <message, ", "=== sent to 3 recipients, queue id "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("transcript lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, sendTestPassword) {
		t.Error("the password is in the transcript")
	}
	m := srv.Messages()
	if len(m) != 1 || strings.Join(m[0].To, ",") != "bob@example.com,carol@example.com,dave@example.com" {
		t.Fatalf("server got %+v", m)
	}
	h, text, atts := readMessage(t, string(m[0].Data))
	if h.Get("Bcc") != "" || strings.Contains(string(m[0].Data), "dave@example.com") {
		t.Error("the Bcc recipient is visible in the sent message")
	}
	// The body's lone dot line is the one that would end the data early
	// without dot-stuffing: it and the line after it must arrive as typed.
	if got := strings.ReplaceAll(text, "\r\n", "\n"); strings.TrimSuffix(got, "\n") != "Hi Bob\n.\nbye" || string(atts["notes.txt"]) != "attached bytes\n" {
		t.Errorf("text %q (want \"Hi Bob\\n.\\nbye\"), attachments %q", text, atts)
	}
}

func TestSendJSONEvents(t *testing.T) {
	_, args := sandboxArgs(t, sandbox.Options{})
	code, _, stderr := runCmd(t, "", append(args, "--json", "--from", "a@example.com", "--to", "b@example.com", "--body", "x")...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	kinds := map[string]int{}
	for _, l := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("not one JSON object per line: %q: %v", l, err)
		}
		kinds[ev["kind"].(string)]++
	}
	if kinds["line"] == 0 || kinds["step-started"] == 0 || kinds["progress"] == 0 || kinds["recipient"] != 1 || kinds["result"] != 1 {
		t.Errorf("event kinds %v", kinds)
	}
	var last struct {
		Exit   int `json:"exit"`
		Result struct {
			Sent bool `json:"sent"`
		} `json:"result"`
	}
	json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if last.Exit != 0 || !last.Result.Sent {
		t.Errorf("last line %s", lines[len(lines)-1])
	}
}

func TestSendExitCodes(t *testing.T) {
	refuse := map[string]sandbox.Reply{"nobody@example.com": {Code: 550, Enhanced: "5.1.1", Text: "No such user"}}
	base := []string{"--from", "a@example.com", "--body", "x"}
	for _, tc := range []struct {
		name  string
		opts  sandbox.Options
		extra []string
		code  int
		say   string
	}{
		{"all recipients accepted", sandbox.Options{}, []string{"--to", "b@example.com"}, exitOK, "sent to 1 recipient"},
		{"a refused recipient stops the send", sandbox.Options{RejectRcpt: refuse},
			[]string{"--to", "b@example.com,nobody@example.com"}, exitRefused, "unknown"},
		{"continue-on-rejected sends to the others", sandbox.Options{RejectRcpt: refuse},
			[]string{"--to", "b@example.com,nobody@example.com", "--continue-on-rejected"}, exitPartial, "1 refused: nobody@example.com (550 5.1.1"},
		{"a wrong password", sandbox.Options{Security: sandbox.TLS, Username: "alice", Password: "right-stamp-test-secret"},
			[]string{"--to", "b@example.com"}, exitAuth, "app password"},
		{"a message over the server's limit", sandbox.Options{MaxSize: 100},
			[]string{"--to", "b@example.com", "--body", strings.Repeat("long text ", 50)}, exitRefused, "at most 100 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, args := sandboxArgs(t, tc.opts)
			if tc.opts.Password == "right-stamp-test-secret" {
				t.Setenv("STAMP_SEND_TEST_PW", "wrong")
			}
			code, _, stderr := runCmd(t, "", append(append(args, base...), tc.extra...)...)
			if code != tc.code || !strings.Contains(stderr, tc.say) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s", code, tc.code, tc.say, stderr)
			}
		})
	}
	t.Run("nothing listening", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		code, _, stderr := runCmd(t, "", "--server", addr, "--security", "none", "--from", "a@example.com", "--to", "b@example.com", "--body", "x")
		if code != exitConnect || !strings.Contains(stderr, "Could not connect") {
			t.Errorf("exit %d:\n%s", code, stderr)
		}
	})
	t.Run("a server that never greets", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
			}
		}()
		start := time.Now()
		code, _, stderr := runCmd(t, "", "--server", ln.Addr().String(), "--security", "none", "--timeout", "300ms",
			"--from", "a@example.com", "--to", "b@example.com", "--body", "x")
		if code != exitTimeout || time.Since(start) > 5*time.Second {
			t.Errorf("exit %d after %v:\n%s", code, time.Since(start), stderr)
		}
	})
}

func TestSendEMLIsNormalisedOnTheWire(t *testing.T) {
	srv, args := sandboxArgs(t, sandbox.Options{})
	eml := filepath.Join(t.TempDir(), "raw.eml")
	raw := "From: a@example.com\nTo: b@example.com\nSubject: smuggling\n\nline\n.\nMAIL FROM:<evil@example.com>\r.\rend\r\n.\nlast"
	os.WriteFile(eml, []byte(raw), 0o644)
	code, _, stderr := runCmd(t, "", append(args, "--eml", eml, "--from", "a@example.com", "--to", "b@example.com")...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	m := srv.Messages()
	if len(m) != 1 {
		t.Fatalf("server got %d messages", len(m))
	}
	want := "From: a@example.com\r\nTo: b@example.com\r\nSubject: smuggling\r\n\r\nline\r\n.\r\nMAIL FROM:<evil@example.com>\r\n.\r\nend\r\n.\r\nlast\r\n"
	if string(m[0].Data) != want {
		t.Errorf("server stored\n%q\nwant\n%q", m[0].Data, want)
	}
	sc := bufio.NewScanner(strings.NewReader(string(m[0].Data)))
	for sc.Scan() {
		if strings.ContainsAny(sc.Text(), "\r\n") {
			t.Errorf("bare line end in %q", sc.Text())
		}
	}
	if !strings.Contains(stderr, "-> <message, ") {
		t.Errorf("no message summary:\n%s", stderr)
	}
}

// TestIndependentServer sends a composed message with To, Cc, Bcc and an
// attachment to the independent server of scripts/test-server.sh
// (python3-aiosmtpd, STARTTLS + AUTH) and checks what it received.
func TestIndependentServer(t *testing.T) {
	addr, ca, spool := os.Getenv("STAMP_INDEPENDENT_SMTP"), os.Getenv("STAMP_INDEPENDENT_CA"), os.Getenv("STAMP_INDEPENDENT_SPOOL")
	if addr == "" || ca == "" || spool == "" {
		t.Skip("no independent SMTP server: run scripts/test-server.sh (make test does) to start python3-aiosmtpd and set STAMP_INDEPENDENT_*")
	}
	att := filepath.Join(t.TempDir(), "Rapport été.bin")
	content := make([]byte, 200<<10)
	for i := range content {
		content[i] = byte(i * 31)
	}
	os.WriteFile(att, content, 0o644)
	subject := "independent " + time.Now().Format(time.RFC3339Nano)
	code, _, stderr := runCmd(t, "", "--server", addr, "--security", "starttls", "--ca-file", ca,
		"--user", os.Getenv("STAMP_INDEPENDENT_USER"), "--password-env", "STAMP_INDEPENDENT_PASSWORD",
		"--from", "Alice <alice@example.com>", "--to", "bob@example.com", "--cc", "carol@example.com",
		"--bcc", "hidden@example.com", "--subject", subject, "--body", "see attachment", "--attach", att)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if pw := os.Getenv("STAMP_INDEPENDENT_PASSWORD"); pw != "" && strings.Contains(stderr, pw) {
		t.Error("the password is in the transcript")
	}
	var envelope struct {
		RcptTos []string `json:"rcpt_tos"`
		TLS     bool     `json:"tls"`
	}
	data, env := waitSpooled(t, spool, subject)
	json.Unmarshal(env, &envelope)
	if strings.Join(envelope.RcptTos, ",") != "bob@example.com,carol@example.com,hidden@example.com" || !envelope.TLS {
		t.Errorf("server's envelope %+v", envelope)
	}
	h, text, atts := readMessage(t, string(data))
	if h.Get("Bcc") != "" || strings.Contains(string(data), "hidden@example.com") {
		t.Error("the Bcc recipient is visible in the delivered message")
	}
	if h.Get("Cc") == "" || !strings.Contains(text, "see attachment") {
		t.Errorf("Cc %q, text %q", h.Get("Cc"), text)
	}
	if got := atts["Rapport été.bin"]; string(got) != string(content) {
		t.Errorf("attachment arrived with %d bytes (names %v)", len(got), keys(atts))
	}
}

// waitSpooled waits (up to 10 s) for the independent server to spool the
// message whose subject is subject, and returns its bytes and its envelope
// (JSON).
func waitSpooled(t *testing.T, spool, subject string) (eml, envelope []byte) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(spool, "*.json"))
		for _, f := range files {
			data, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".eml")
			if err == nil && strings.Contains(string(data), "Subject: "+subject+"\r\n") {
				env, _ := os.ReadFile(f)
				return data, env
			}
		}
	}
	t.Fatalf("the message %q never reached the spool %s", subject, spool)
	return nil, nil
}

func keys(m map[string][]byte) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	return k
}
