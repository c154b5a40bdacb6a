package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"stamp/account"
)

// runProcess runs the built stamp-send as a child process in the system
// language lang, with its own settings folder, and returns its exit code
// and stderr.
func runProcess(t *testing.T, bin, lang string, args ...string) (int, string) {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=" + lang, "LC_ALL=", "LANGUAGE=", "LC_MESSAGES=",
		account.ConfigDirEnv + "=" + filepath.Join(home, "config"), "XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"DBUS_SESSION_BUS_ADDRESS=disabled:"}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stderr.String()
	}
	t.Fatalf("run stamp-send: %v", err)
	return 0, ""
}

// commandWords are what stays English in a Chinese message on purpose:
// the program's name, its subcommands and flags with their value names.
var commandWords = regexp.MustCompile(`stamp-send( [a-z]+)*|--?[a-z][a-z-]*( [A-Z][A-Z:]*)?`)

// threeEnglishWords is an English sentence left untranslated.
var threeEnglishWords = regexp.MustCompile(`\b[A-Za-z]{2,}[,;:]? [A-Za-z]{2,}[,;:]? [A-Za-z]{2,}\b`)

func TestUsageErrorsInChineseAsAProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds stamp-send")
	}
	bin := buildStampSend(t)
	send := []string{"--server", "smtp.example.com", "--from", "a@example.com", "--to", "b@example.com"}
	for _, c := range []struct {
		name string
		args []string
		zh   string // what the Chinese message says
		en   string // and the English one
		keep string // the person's own words, quoted as typed
	}{
		{"body twice", append(send, "--body", "x", "--body-file", "f.txt"), "只能给出其中一个", "--body and --body-file: give one or the other", ""},
		{"quiet and json", append(send, "--body", "x", "--quiet", "--json"), "只能给出其中一个", "--quiet and --json: give one or the other", ""},
		{"no host", []string{"--server", ":25", "--from", "a@example.com", "--to", "b@example.com", "--body", "x"}, "缺少主机名", "the host is missing", `":25"`},
		{"unset password variable", append(send, "--body", "x", "--user", "a", "--password-env", "STAMP_ZH_UNSET"), "未设置或为空", "is not set or empty", "STAMP_ZH_UNSET"},
		{"pin without TLS", append(send, "--body", "x", "--security", "none", "--pin", strings.Repeat("ab", 32)), "加密连接", "a pinned certificate needs an encrypted connection", ""},
		{"unexpected argument", append(send, "--body", "x", "stray"), "多余的参数", `unexpected argument "stray"`, `"stray"`},
		{"no such account", append([]string{"--account", "nosuch", "--to", "b@example.com"}, "--body", "x"), "没有这个账户", `account "nosuch": no such account`, `"nosuch"`},
		{"account add: not an address", []string{"account", "add", "work", "--from", "not an address"}, "不是电子邮件地址", "not an email address", `"not an address"`},
		{"account add: bad fingerprint", []string{"account", "add", "work", "--from", "me@example.com", "--server", "smtp.example.com", "--pin", "abcd"},
			"SHA-256 指纹必须是 64 位十六进制数字", "the SHA-256 fingerprint must be 64 hex digits", ""},
		{"account add: bad server name", []string{"account", "add", "work", "--from", "me@example.com", "--server", "-bad-.example.com"},
			"不是有效的服务器名称", `"-bad-.example.com" is not a valid server name`, `"-bad-.example.com"`},
		{"account login: no name", []string{"account", "login"}, "缺少账户名称", "the account NAME is missing", ""},
		{"account add: Google has no device sign-in", []string{"account", "add", "g", "--from", "me@gmail.com", "--oauth", "google", "--device"},
			"Google 不支持为邮件在另一台设备上登录", "Google does not offer sign-in on another device", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, zh := runProcess(t, bin, "zh_CN.UTF-8", c.args...)
			if code != exitUsage {
				t.Errorf("in Chinese: exit %d, want %d:\n%s", code, exitUsage, zh)
			}
			if !strings.Contains(zh, c.zh) {
				t.Errorf("in Chinese, stderr lacks %q:\n%s", c.zh, zh)
			}
			rest := zh
			if c.keep != "" {
				if !strings.Contains(zh, c.keep) {
					t.Errorf("the message does not quote %s as typed:\n%s", c.keep, zh)
				}
				rest = strings.ReplaceAll(rest, c.keep, "")
			}
			rest = commandWords.ReplaceAllString(rest, "")
			han := false
			for _, r := range rest {
				han = han || unicode.Is(unicode.Han, r)
			}
			if !han {
				t.Errorf("no Chinese in:\n%s", zh)
			}
			if m := threeEnglishWords.FindString(rest); m != "" {
				t.Errorf("English %q left in:\n%s", m, zh)
			}
			if strings.Contains(rest, "send.usage.") || strings.Contains(rest, "account.") {
				t.Errorf("a raw key in:\n%s", zh)
			}
			code, en := runProcess(t, bin, "C", c.args...)
			if code != exitUsage || !strings.Contains(en, c.en) {
				t.Errorf("in English: exit %d, want %d and %q:\n%s", code, exitUsage, c.en, en)
			}
		})
	}
}

func TestHelpFlagsInChineseAsAProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds stamp-send")
	}
	bin := buildStampSend(t)
	code, zh := runProcess(t, bin, "zh_CN.UTF-8", "--help")
	if code != exitOK {
		t.Errorf("--help in Chinese: exit %d", code)
	}
	for _, want := range []string{"-to ADDR\n    \t收件人 ADDR（可重复，或用逗号分隔）", "-password-env VAR\n    \t从环境变量 VAR 读取密码", "-auth METHOD\n    \tMETHOD：auto"} {
		if !strings.Contains(zh, want) {
			t.Errorf("--help in Chinese lacks %q:\n%s", want, zh)
		}
	}
	if strings.Contains(zh, "send.flag.") || strings.Contains(zh, "recipient ADDR") {
		t.Errorf("--help in Chinese shows a raw key or English:\n%s", zh)
	}
	code, zh = runProcess(t, bin, "zh_CN.UTF-8", "account", "--help")
	if code != exitOK || !strings.Contains(zh, "密码保存在系统密钥环中") || !strings.Contains(zh, "--oauth 会在浏览器中通过服务商登录") {
		t.Errorf("account --help in Chinese: exit %d:\n%s", code, zh)
	}
	code, zh = runProcess(t, bin, "zh_CN.UTF-8", "account", "frobnicate")
	if code != exitUsage || !strings.Contains(zh, `未知的命令 "frobnicate"`) {
		t.Errorf("an unknown account command in Chinese: exit %d:\n%s", code, zh)
	}
	code, zh = runProcess(t, bin, "zh_CN.UTF-8", "account", "discover")
	if code != exitUsage || !strings.Contains(zh, "缺少要查找的地址") {
		t.Errorf("account discover without an address in Chinese: exit %d:\n%s", code, zh)
	}
	code, zh = runProcess(t, bin, "zh_CN.UTF-8", "account", "discover", "--help")
	if code != exitOK || !strings.Contains(zh, "不会保存任何内容") || !strings.Contains(zh, "默认 https://") {
		t.Errorf("account discover --help in Chinese: exit %d:\n%s", code, zh)
	}
	code, zh = runProcess(t, bin, "zh_CN.UTF-8", "outbox", "--help")
	if code != exitOK || !strings.Contains(zh, "4 需要登录或密码") {
		t.Errorf("outbox --help in Chinese: exit %d:\n%s", code, zh)
	}
	code, en := runProcess(t, bin, "C", "--help")
	if code != exitOK || !strings.Contains(en, "-to ADDR\n    \trecipient ADDR (repeatable, or comma-separated)") {
		t.Errorf("--help in English: exit %d:\n%s", code, en)
	}
}
