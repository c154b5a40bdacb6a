package main

import (
	"net"
	"strings"
	"testing"

	"stamp/smtpclient/sandbox"
)

// inChinese makes the system language Simplified Chinese for one test, the
// way a Chinese desktop's terminal has it.
func inChinese(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANGUAGE", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
}

func TestStampSendSpeaksChineseWithTheSameExitCodes(t *testing.T) {
	inChinese(t)
	refuse := map[string]sandbox.Reply{"nobody@example.com": {Code: 550, Enhanced: "5.1.1", Text: "No such user"}}
	base := []string{"--from", "a@example.com", "--body", "正文"}
	for _, tc := range []struct {
		name  string
		opts  sandbox.Options
		extra []string
		code  int
		say   []string
	}{
		{"sent", sandbox.Options{}, []string{"--to", "b@example.com"}, exitOK, []string{"=== 已发送给 1 位收件人", "-> RCPT TO:<b@example.com>"}},
		{"a refused recipient", sandbox.Options{RejectRcpt: refuse}, []string{"--to", "b@example.com,nobody@example.com"}, exitRefused,
			[]string{"收件人 nobody@example.com 被拒绝", "收件人地址不存在", "550 5.1.1 No such user"}},
		{"some refused", sandbox.Options{RejectRcpt: refuse}, []string{"--to", "b@example.com,nobody@example.com", "--continue-on-rejected"}, exitPartial,
			[]string{"已发送给 1 位收件人", "1 位被拒绝：nobody@example.com (550 5.1.1 No such user)"}},
		{"a wrong password", sandbox.Options{Security: sandbox.TLS, Username: "alice", Password: "right-stamp-test-secret"},
			[]string{"--to", "b@example.com"}, exitAuth, []string{"服务器不接受该用户名和密码", "授权码", "服务器回复：535"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, args := sandboxArgs(t, tc.opts)
			if tc.opts.Password == "right-stamp-test-secret" {
				t.Setenv("STAMP_SEND_TEST_PW", "wrong")
			}
			code, _, stderr := runCmd(t, "", append(append(args, base...), tc.extra...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d:\n%s", code, tc.code, stderr)
			}
			for _, w := range tc.say {
				if !strings.Contains(stderr, w) {
					t.Errorf("output lacks %q:\n%s", w, stderr)
				}
			}
		})
	}
	t.Run("nothing listening", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		code, _, stderr := runCmd(t, "", "--server", addr, "--security", "none", "--from", "a@example.com", "--to", "b@example.com", "--body", "x")
		if code != exitConnect || !strings.Contains(stderr, "无法连接到服务器") {
			t.Errorf("exit %d:\n%s", code, stderr)
		}
	})
	t.Run("invalid input", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", "--server", "127.0.0.1:1", "--from", "a@example.com", "--to", "bob@", "--body", "x")
		if code != exitUsage || !strings.Contains(stderr, `--to："bob@" 不是有效的邮箱地址`) {
			t.Errorf("exit %d:\n%s", code, stderr)
		}
	})
	t.Run("help", func(t *testing.T) {
		code, _, stderr := runCmd(t, "", "--help")
		if code != exitOK || !strings.Contains(stderr, "退出码：0 全部发送成功") || !strings.Contains(stderr, "--from") {
			t.Errorf("exit %d:\n%s", code, stderr)
		}
	})
}

func TestTheLangFlagWinsOverTheSystem(t *testing.T) {
	inChinese(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	for _, args := range [][]string{{"--lang", "en"}, {"--lang=en"}, {"-lang", "en_US.UTF-8"}} {
		code, _, stderr := runCmd(t, "", append(args, "--server", addr, "--security", "none", "--from", "a@example.com", "--to", "b@example.com", "--body", "x")...)
		if code != exitConnect || !strings.Contains(stderr, "Could not connect") {
			t.Errorf("%v: exit %d:\n%s", args, code, stderr)
		}
	}
	t.Setenv("LANG", "C")
	code, _, stderr := runCmd(t, "", "--lang", "zh-Hans", "--server", addr, "--security", "none", "--from", "a@example.com", "--to", "b@example.com", "--body", "x")
	if code != exitConnect || !strings.Contains(stderr, "无法连接到服务器") {
		t.Errorf("--lang zh-Hans with LANG=C: exit %d:\n%s", code, stderr)
	}
	code, _, stderr = runCmd(t, "", "--lang", "!!", "--server", addr)
	if code != exitUsage || !strings.Contains(stderr, "--lang !!") {
		t.Errorf("a bad --lang: exit %d:\n%s", code, stderr)
	}
}

func TestAccountAddExplainsTheAuthCodeInChinese(t *testing.T) {
	e := newAccountEnv(t)
	code, out, errOut := runCmd(t, e.password(1)+"\n", "--lang", "zh-Hans", "account", "add", e.name, "--from", "me@qq.com", "--password-stdin")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"设置来自预设“QQ邮箱”。登录方式：授权码", "首次发送前请先完成：", "设置 → 账号 → POP3/IMAP/SMTP", "生成授权码", "检查设置：stamp-send account test"} {
		if !strings.Contains(out, want) {
			t.Errorf("the Chinese output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Before the first send") || strings.Contains(out, "Sign in to the webmail") {
		t.Errorf("English left in the Chinese output:\n%s", out)
	}
	e.noSecretIn(t, out, errOut)
}
