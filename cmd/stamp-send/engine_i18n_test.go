package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"stamp/internal/loopback"
	"stamp/smtpclient/sandbox"
)

// garbleServer is a real TCP server on 127.0.0.1 that writes payload to
// every connection, then reads until the client hangs up (at most 5 s).
func garbleServer(t *testing.T, payload string) string {
	return loopback.Serve(t, loopback.Say(payload, 5*time.Second)).String()
}

// The engine's own explanations of failures it words itself reach a
// Chinese terminal in Chinese, with the exit codes of English and the
// server's words as the server wrote them; --lang en gives the English.
func TestStampSendExplainsEngineFailuresInChinese(t *testing.T) {
	inChinese(t)
	base := []string{"--from", "a@example.com", "--to", "b@example.com", "--body", "正文", "--timeout", "5s"}
	untrusted := startTLSSandbox(t)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		zh, en []string
	}{
		{"a greeting without a code", []string{"--server", garbleServer(t, "hello there stranger\r\n"), "--security", "none"}, exitConnect,
			[]string{"=== 连接 127.0.0.1:", "=== “服务器问候”失败：回复没有以三位数字的回复码开头：\"hello there stranger\"", "服务器没有遵守 SMTP 协议"},
			[]string{"=== connect 127.0.0.1:", "=== the greeting failed: reply does not start with a three-digit code: \"hello there stranger\""}},
		{"bytes before the command", []string{"--server", garbleServer(t, "220 hi\r\n250 unasked\r\n"), "--security", "none"}, exitConnect,
			[]string{"服务器在 Stamp 发出命令之前就发送了 13 字节"},
			[]string{"the server sent 13 bytes before our command"}},
		{"a certificate from an unknown CA", []string{"--server", untrusted, "--security", "tls"}, exitConnect,
			[]string{"=== 与 127.0.0.1 进行 TLS 握手", "该证书不是由本机信任的机构签发的"},
			[]string{"=== TLS handshake with 127.0.0.1", "The certificate was not issued by an authority this computer trusts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", append(tc.args, base...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s", code, tc.code, stderr)
			}
			for _, w := range tc.zh {
				if !strings.Contains(stderr, w) {
					t.Errorf("the Chinese output lacks %q:\n%s", w, stderr)
				}
			}
			for _, w := range tc.en[1:] {
				if strings.Contains(stderr, w) {
					t.Errorf("English %q in the Chinese output:\n%s", w, stderr)
				}
			}
			code, _, stderr = runCmd(t, "", append(append([]string{"--lang", "en"}, tc.args...), base...)...)
			if code != tc.code {
				t.Errorf("--lang en: exit %d, want %d:\n%s", code, tc.code, stderr)
			}
			for _, w := range tc.en {
				if !strings.Contains(stderr, w) {
					t.Errorf("the English output lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
}

// startTLSSandbox is a TLS sandbox whose CA stamp-send is not given.
func startTLSSandbox(t *testing.T) string {
	srv, _ := sandboxArgs(t, sandbox.Options{Security: sandbox.TLS})
	return srv.Addr()
}

// With --json the machine-readable fields stay what they are in English
// (kind, step, exit, and the server's words); only the human texts
// (message, summary, advice) follow the language.
func TestStampSendJSONKeepsItsFieldsInChinese(t *testing.T) {
	inChinese(t)
	addr := garbleServer(t, "hello there stranger\r\n")
	code, stdout, stderr := runCmd(t, "", "--json", "--server", addr, "--security", "none",
		"--from", "a@example.com", "--to", "b@example.com", "--body", "x", "--timeout", "5s")
	if code != exitConnect {
		t.Fatalf("exit %d, want %d:\n%s%s", code, exitConnect, stdout, stderr)
	}
	out := stdout + stderr
	var last struct {
		Kind  string `json:"kind"`
		Exit  int    `json:"exit"`
		Error struct {
			Step    string `json:"step"`
			Kind    string `json:"kind"`
			Message string `json:"message"`
			Summary string `json:"summary"`
		} `json:"error"`
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatalf("the last line is not JSON: %v\n%s", err, out)
	}
	if last.Kind != "result" || last.Exit != exitConnect || last.Error.Kind != "protocol" || last.Error.Step != "greeting" {
		t.Errorf("the machine-readable fields changed: %+v", last)
	}
	if !strings.Contains(last.Error.Message, "回复没有以三位数字的回复码开头") || !strings.Contains(last.Error.Message, `"hello there stranger"`) {
		t.Errorf("message %q: want the Chinese description around the server's own words", last.Error.Message)
	}
	if !strings.Contains(last.Error.Summary, "SMTP 协议") {
		t.Errorf("summary %q is not Chinese", last.Error.Summary)
	}
}

// An unknown --security or --auth is a usage error in both languages; the
// list of choices reads as the language writes a list.
func TestUnknownSecurityAndAuthInChinese(t *testing.T) {
	inChinese(t)
	base := []string{"--server", "127.0.0.1:1", "--from", "a@example.com", "--to", "b@example.com", "--body", "x"}
	for _, tc := range []struct {
		flag, zh, en string
	}{
		{"--security", `--security "bogus"：可选 tls, starttls 或 none`, `--security "bogus": use tls, starttls or none`},
		{"--auth", `--auth "bogus"：可选 auto, plain, login, cram-md5, xoauth2 或 oauthbearer`, `--auth "bogus": use auto, plain, login, cram-md5, xoauth2 or oauthbearer`},
	} {
		code, _, stderr := runCmd(t, "", append([]string{tc.flag, "bogus"}, base...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.zh) {
			t.Errorf("%s bogus: exit %d, want %d and %q:\n%s", tc.flag, code, exitUsage, tc.zh, stderr)
		}
		code, _, stderr = runCmd(t, "", append([]string{"--lang", "en", tc.flag, "bogus"}, base...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.en) {
			t.Errorf("--lang en %s bogus: exit %d, want %d and %q:\n%s", tc.flag, code, exitUsage, tc.en, stderr)
		}
	}
}
