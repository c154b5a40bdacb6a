package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"stamp/compose"
)

// captureSend replaces sendFunc for one test and returns what it was given.
func captureSend(t *testing.T) (*options, **compose.Message) {
	t.Helper()
	var got options
	var msg *compose.Message
	old := sendFunc
	sendFunc = func(ctx context.Context, o *options, m *compose.Message, stdout, stderr io.Writer) int {
		got, msg = *o, m
		return 0
	}
	t.Cleanup(func() { sendFunc = old })
	return &got, &msg
}

func TestServerAndSecurityDefaults(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		host     string
		port     int
		security string
	}{
		{"a host alone means STARTTLS on 587", []string{"--server", "smtp.example.com"}, "smtp.example.com", 587, "starttls"},
		{"port 465 means implicit TLS", []string{"--server", "smtp.example.com:465"}, "smtp.example.com", 465, "tls"},
		{"another port means STARTTLS", []string{"--server", "127.0.0.1:2525"}, "127.0.0.1", 2525, "starttls"},
		{"tls without a port means 465", []string{"--server", "mx.example.com", "--security", "tls"}, "mx.example.com", 465, "tls"},
		{"none without a port means 25", []string{"--server", "mx.example.com", "--security", "none"}, "mx.example.com", 25, "none"},
		{"an explicit security mode wins over the port", []string{"--server", "mx.example.com:465", "--security", "starttls"}, "mx.example.com", 465, "starttls"},
		{"an IPv6 address with a port", []string{"--server", "[::1]:2525"}, "::1", 2525, "starttls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := captureSend(t)
			args := append([]string{"--from", "a@example.com", "--to", "b@example.com"}, tt.args...)
			if code, _, stderr := runCmd(t, "", args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got.Host != tt.host || got.Port != tt.port || got.Security != tt.security {
				t.Errorf("host %q port %d security %q, want %q %d %q", got.Host, got.Port, got.Security, tt.host, tt.port, tt.security)
			}
		})
	}
}

// TestEveryFlagReachesTheCommand gives every flag of the send command a
// value (some flags exclude others, so it takes a few runs) and checks
// that what the flag says arrives: in the options and the message handed
// to sendFunc, or in what a dry run writes. A flag added later without a
// case here fails the test.
func TestEveryFlagReachesTheCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	ca := write("ca.pem", "pem")
	html := write("body.html", "<p>html body</p>")
	textFile := write("body.txt", "body from a file")
	att := write("notes.txt", "attached")
	eml := write("m.eml", "Subject: x\r\n\r\nbody\r\n")
	out := filepath.Join(dir, "out.eml")
	pin := strings.Repeat("ab", 32)
	t.Setenv("STAMP_TEST_PW", "stamp-test-secret-flags")
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	e := newAccountEnv(t)
	if code, _, errOut := runCmd(t, "", "account", "add", e.name, "--from", "Saved <saved@example.org>",
		"--server", "saved.example.org:2525", "--auth", "none"); code != 0 {
		t.Fatalf("account add: %s", errOut)
	}

	covered := map[string]bool{}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		check func(t *testing.T, got *options, msg *compose.Message)
	}{
		{"a send with most flags", "", []string{
			"--from", "a@example.com", "--to", "b@example.com,c@example.com", "--cc", "cc@example.com", "--bcc", "d@example.com",
			"--subject", "Flags", "--body", "text body", "--html-file", html, "--attach", att,
			"--server", "smtp.example.com:2465", "--security", "tls", "--user", "alice", "--password-env", "STAMP_TEST_PW",
			"--auth", "cram-md5", "--ca-file", ca, "--pin", strings.ToUpper(pin), "--timeout", "5s", "--continue-on-rejected", "--json"},
			func(t *testing.T, got *options, m *compose.Message) {
				if got.From != "a@example.com" || got.Host != "smtp.example.com" || got.Port != 2465 || got.Security != "tls" ||
					got.User != "alice" || got.Password != "stamp-test-secret-flags" || got.Auth != "cram-md5" || got.CAFile != ca ||
					got.Pin != pin || got.Timeout != 5*time.Second || !got.ContinueOnRejected || !got.JSON || got.Quiet {
					t.Errorf("options = %+v", redacted(got))
				}
				if m == nil || len(m.To) != 2 || len(m.Cc) != 1 || len(m.Bcc) != 1 || m.Subject != "Flags" || m.Text != "text body" ||
					m.HTML != "<p>html body</p>" || len(m.Attachments) != 1 || m.Attachments[0].Path != att {
					t.Fatalf("message = %+v", m)
				}
				env, err := got.envelope()
				if err != nil || !reflect.DeepEqual(env.To, []string{"b@example.com", "c@example.com", "cc@example.com", "d@example.com"}) {
					t.Errorf("envelope = %v, %v", env, err)
				}
			}},
		{"a Markdown body file, the password on stdin, quiet", "stamp-test-secret-stdin\n", []string{
			"--from", "a@example.com", "--to", "b@example.com", "--server", "h", "--body-file", textFile, "--markdown", "--password-stdin", "--quiet"},
			func(t *testing.T, got *options, m *compose.Message) {
				if m == nil || m.Text != "body from a file" || !m.Markdown || got.Password != "stamp-test-secret-stdin" || !got.Quiet {
					t.Errorf("options = %+v, message %+v", redacted(got), m)
				}
			}},
		{"an .eml file", "", []string{"--from", "a@example.com", "--to", "b@example.com", "--server", "h", "--eml", eml},
			func(t *testing.T, got *options, m *compose.Message) {
				if m != nil || got.EML != eml {
					t.Errorf("EML %q, message %+v", got.EML, m)
				}
			}},
		{"a dry run to a file", "", []string{"--from", "a@example.com", "--to", "b@example.com", "--subject", "dry", "--dry-run", "--out", out},
			func(t *testing.T, got *options, m *compose.Message) {
				if got.From != "" {
					t.Error("a dry run reached sendFunc")
				}
				if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), "Subject: dry") {
					t.Errorf("--out holds %q, %v", b, err)
				}
			}},
		{"a queued message", "", []string{"--account", e.name, "--to", "b@example.com", "--queue", "--delay", "5s", "--at", "2099-01-02T09:00:00Z"},
			func(t *testing.T, got *options, m *compose.Message) {
				if got.From != "" {
					t.Error("a queued message reached sendFunc")
				}
				records, _ := filepath.Glob(filepath.Join(dir, "data", "Stamp", "Outbox", "*.json"))
				if b, err := os.ReadFile(strings.Join(records, "")); err != nil || !strings.Contains(string(b), `"scheduled": "2099-01-02T09:00:00Z"`) {
					t.Errorf("the outbox holds %v: %s %v", records, b, err)
				}
			}},
		{"a mailto link", "", []string{"--from", "a@example.com", "--server", "h", "--mailto", "mailto:b@example.com?subject=Link&body=from%20a%20link"},
			func(t *testing.T, got *options, m *compose.Message) {
				if m == nil || len(m.To) != 1 || m.To[0].Addr != "b@example.com" || m.Subject != "Link" || m.Text != "from a link" {
					t.Errorf("message = %+v", m)
				}
			}},
		{"a saved account", "", []string{"--account", e.name, "--to", "b@example.com"},
			func(t *testing.T, got *options, m *compose.Message) {
				if got.Account != e.name || got.Host != "saved.example.org" || got.Port != 2525 || got.From != `"Saved" <saved@example.org>` {
					t.Errorf("options = %+v", redacted(got))
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, msg := captureSend(t)
			code, _, stderr := runCmd(t, tc.stdin, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			tc.check(t, got, *msg)
		})
		for _, a := range tc.args {
			if strings.HasPrefix(a, "--") {
				covered[strings.TrimPrefix(a, "--")] = true
			}
		}
	}
	(&options{}).flagSet(&rawFlags{}).VisitAll(func(f *flag.Flag) {
		if !covered[f.Name] {
			t.Errorf("--%s is not given by any case of this test", f.Name)
		}
	})
}

// redacted is o with its password replaced by its length, for a failure
// message: a test's output never holds a password.
func redacted(o *options) options {
	c := *o
	c.Password = fmt.Sprintf("<%d bytes>", len(o.Password))
	return c
}

func TestPasswordSources(t *testing.T) {
	t.Run("the first line of stdin is the password", func(t *testing.T) {
		got, _ := captureSend(t)
		code, _, stderr := runCmd(t, "stamp-test-secret pa ss\r\nmore", "--from", "a@example.com", "--to", "b@example.com", "--server", "h", "--password-stdin")
		if code != 0 || got.Password != "stamp-test-secret pa ss" {
			t.Errorf("exit %d %s, the password read is not the first line of stdin (%d bytes read)", code, stderr, len(got.Password))
		}
	})
	t.Run("an unset password variable is a usage error", func(t *testing.T) {
		captureSend(t)
		code, _, stderr := runCmd(t, "", "--from", "a@example.com", "--to", "b@example.com", "--server", "h", "--password-env", "STAMP_TEST_SURELY_UNSET")
		if code != 2 || !strings.Contains(stderr, "STAMP_TEST_SURELY_UNSET is not set") {
			t.Errorf("exit %d, %q", code, stderr)
		}
	})
	t.Run("both password sources are refused", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", "--from", "a@example.com", "--to", "b@example.com", "--server", "h", "--password-env", "X", "--password-stdin")
		if code != 2 || !strings.Contains(stderr, "one or the other") {
			t.Errorf("exit %d, %q", code, stderr)
		}
	})
	t.Run("sending without a server is a usage error", func(t *testing.T) {
		captureSend(t)
		code, _, stderr := runCmd(t, "", "--from", "a@example.com", "--to", "b@example.com")
		if code != 2 || !strings.Contains(stderr, "--server is required") {
			t.Errorf("exit %d, %q", code, stderr)
		}
	})
}

func TestEMLIsHandedToSend(t *testing.T) {
	got, msg := captureSend(t)
	eml := filepath.Join(t.TempDir(), "m.eml")
	os.WriteFile(eml, []byte("Subject: x\r\n\r\nbody\r\n"), 0o644)
	code, _, stderr := runCmd(t, "", "--eml", eml, "--from", "a@example.com", "--to", "b@example.com", "--server", "h")
	if code != 0 || *msg != nil || got.EML != eml {
		t.Errorf("exit %d %s; msg %v, EML %q", code, stderr, *msg, got.EML)
	}
}

func TestAttachListsSplitOnCommas(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	comma := filepath.Join(dir, "x,y.txt")
	for _, p := range []string{a, b, comma} {
		os.WriteFile(p, []byte(p), 0o644)
	}
	got, _ := captureSend(t)
	code, _, stderr := runCmd(t, "", "--from", "a@example.com", "--to", "b@example.com", "--server", "h",
		"--attach", a+","+b, "--attach", comma)
	if code != 0 || !reflect.DeepEqual(got.Attach, []string{a, b, comma}) {
		t.Errorf("exit %d %s; attach = %q", code, stderr, got.Attach)
	}
}

func TestAccountSubcommandIsDispatched(t *testing.T) {
	old := runAccount
	defer func() { runAccount = old }()
	var args []string
	runAccount = func(a []string, stdin io.Reader, stdout, stderr io.Writer) int { args = a; return 4 }
	if code, _, _ := runCmd(t, "", "account", "list"); code != 4 || !reflect.DeepEqual(args, []string{"list"}) {
		t.Errorf("exit %d, args %q", code, args)
	}
}

func TestHelpNamesPin(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"account", "--help"}} {
		code, _, stderr := runCmd(t, "", args...)
		if code != 0 || !strings.Contains(stderr, "--pin SHA256") {
			t.Errorf("%q: exit %d, the help does not mention --pin:\n%s", args, code, stderr)
		}
	}
}
