package main

import (
	"context"
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

func TestSendReceivesEveryFlag(t *testing.T) {
	got, msg := captureSend(t)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, []byte("pem"), 0o644)
	t.Setenv("STAMP_TEST_PW", "stamp-test-secret-flags")
	code, _, stderr := runCmd(t, "",
		"--from", "a@example.com", "--to", "b@example.com,c@example.com", "--bcc", "d@example.com",
		"--server", "smtp.example.com:465", "--user", "alice", "--password-env", "STAMP_TEST_PW",
		"--auth", "cram-md5", "--ca-file", ca, "--timeout", "5s", "--continue-on-rejected", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got.User != "alice" || got.Password != "stamp-test-secret-flags" || got.Auth != "cram-md5" || got.CAFile != ca ||
		got.Timeout != 5*time.Second || !got.ContinueOnRejected || !got.JSON {
		t.Errorf("options = %+v", *got)
	}
	m := *msg
	if m == nil || len(m.To) != 2 || len(m.Bcc) != 1 {
		t.Fatalf("message = %+v", m)
	}
	env, err := got.envelope()
	if err != nil || !reflect.DeepEqual(env.To, []string{"b@example.com", "c@example.com", "d@example.com"}) {
		t.Errorf("envelope = %v, %v", env, err)
	}
}

func TestPasswordSources(t *testing.T) {
	t.Run("the first line of stdin is the password", func(t *testing.T) {
		got, _ := captureSend(t)
		code, _, stderr := runCmd(t, "stamp-test-secret pa ss\r\nmore", "--from", "a@example.com", "--to", "b@example.com", "--server", "h", "--password-stdin")
		if code != 0 || got.Password != "stamp-test-secret pa ss" {
			t.Errorf("exit %d %s, password %q", code, stderr, got.Password)
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
