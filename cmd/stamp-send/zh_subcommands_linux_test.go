//go:build linux

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"stamp/smtpclient/sandbox"
)

// The outbox and contacts subcommands, --queue and the help texts, run as
// a person runs them in LANG=zh_CN.UTF-8: Chinese, no English sentence
// left, and the same exit codes as in English (issue 19).

// zhRun runs the built stamp-send in env's folders in the language lang.
func (e *outboxEnv) zhRun(lang string, args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	c := e.cmd(args...)
	c.Env = append(c.Env, "LANG="+lang, "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
	var out, errOut strings.Builder
	c.Stdout, c.Stderr = &out, &errOut
	err := c.Run()
	if err != nil && c.ProcessState == nil {
		e.t.Fatalf("run stamp-send: %v", err)
	}
	return c.ProcessState.ExitCode(), out.String(), errOut.String()
}

// queuedID is the outbox ID a --queue line names ("queued ID (…" or
// "已放入发件箱 ID（…").
var queuedID = regexp.MustCompile(`^(?:queued|已放入发件箱) (\S+?)[ （]`)

// speaksChinese fails t when s has no Chinese or still has an English
// sentence once names, addresses, paths and flags are taken out.
func speaksChinese(t *testing.T, what, s string) {
	t.Helper()
	han := false
	for _, r := range s {
		han = han || unicode.Is(unicode.Han, r)
	}
	if !han {
		t.Errorf("%s in Chinese has no Chinese:\n%s", what, s)
	}
	for _, line := range strings.Split(s, "\n") {
		if en := zhEnglishIn(line); len(en) > 0 {
			t.Errorf("%s in Chinese leaves English %q in:\n%s", what, en, line)
		}
	}
	if strings.Contains(s, "send.") || strings.Contains(s, "{{") {
		t.Errorf("%s in Chinese shows a raw key or template:\n%s", what, s)
	}
}

func TestSubcommandsInChineseAsAProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds stamp-send")
	}
	e := newOutboxEnv(t, buildStampSend(t), sandbox.Options{})
	vcf := filepath.Join(t.TempDir(), "cards.vcf")
	cards := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ann@example.org\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:No Mail\r\nEND:VCARD\r\n"
	if err := os.WriteFile(vcf, []byte(cards), 0o600); err != nil {
		t.Fatal(err)
	}
	zhOut := filepath.Join(t.TempDir(), "zh.vcf")
	enOut := filepath.Join(t.TempDir(), "en.vcf")
	queue := []string{"--account", "box", "--to", "bob@example.com", "--subject", "later", "--body", "hi", "--queue", "--at", "2099-01-02T09:00:00Z"}

	// Each step in Chinese, then in English: the same exit code, Chinese
	// words where the English has its own.
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		zh, en []string // what each language's output holds
	}{
		{"help", []string{"--help"}, exitOK, []string{`（默认 "auto"）`, "-timeout 时长\n    \t每个网络步骤的时间限制（默认 30s）", "auto、plain、login、cram-md5、xoauth2 或 oauthbearer", "（发信时会自动添加收件人）"},
			[]string{`(default "auto")`, "-timeout duration\n    \ttime limit per network step (default 30s)", "auto, plain, login, cram-md5, xoauth2 or oauthbearer", "...   (a send adds its recipients)"}},
		{"account help", []string{"account", "--help"}, exitOK, []string{"[上面的服务器参数]", "（别名：signout）"}, []string{"[the server flags above]", "(alias: signout)"}},
		{"account list", []string{"account", "list"}, exitOK, []string{"名称", "不需要"}, []string{"NAME", "not needed"}},
		{"account show", []string{"account", "show", "box"}, exitOK, []string{"已发送副本：", "保留", "默认账户："}, []string{"Sent copy:", "kept", "Default:"}},
		{"account default", []string{"account", "default", "box"}, exitOK, []string{`"box" 现在是默认账户。`}, []string{`"box" is now the default account.`}},
		{"outbox help", []string{"outbox", "--help"}, exitOK, []string{"4 需要登录或密码"}, []string{"4 sign in or password needed"}},
		{"outbox unknown command", []string{"outbox", "frob"}, exitUsage, []string{`未知的命令 "frob"（参见 stamp-send outbox --help）`}, []string{`unknown command "frob" (see stamp-send outbox --help)`}},
		{"outbox bad flag", []string{"outbox", "list", "--frob"}, exitUsage, []string{"（参见 stamp-send outbox --help）"}, []string{"(see stamp-send outbox --help)"}},
		{"queue", queue, exitOK, []string{"（已定时，将于 2099-01-02"}, []string{"(scheduled, leaves 2099-01-02"}},
		{"outbox list", []string{"outbox", "list"}, exitOK, []string{"已定时，下次尝试 2099-01-02", "收件人 bob@example.com", `"later"`}, []string{"scheduled, next 2099-01-02", "to bob@example.com"}},
		{"contacts help", []string{"contacts", "--help"}, exitOK, []string{"添加名片中的地址", "删除一个地址"}, []string{"add the cards' addresses", "forget an address"}},
		{"contacts usage", []string{"contacts", "import"}, exitUsage, []string{"需要一个 FILE"}, []string{"needs one FILE"}},
		{"contacts bad flag", []string{"contacts", "list", "--frob"}, exitUsage, []string{"没有这个参数：-frob", "删除一个地址"}, []string{"flag provided but not defined: -frob", "forget an address"}},
		{"contacts import", []string{"contacts", "import", vcf}, exitOK, []string{"新增 1 位，更新 0 位，1 张名片没有电子邮件地址"}, []string{"0 new, 0 updated, 1 card without an e-mail address"}},
		{"contacts list", []string{"contacts", "list"}, exitOK, []string{"ann@example.org"}, []string{"ann@example.org"}},
		{"contacts remove", []string{"contacts", "remove", "ann@example.org"}, exitOK, []string{"已删除 ann@example.org"}, []string{"ann@example.org forgotten"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			code, out, errOut := e.zhRun("zh_CN.UTF-8", args...)
			zh := out + errOut
			if code != c.code {
				t.Errorf("in Chinese: exit %d, want %d:\n%s", code, c.code, zh)
			}
			for _, w := range c.zh {
				if !strings.Contains(zh, w) {
					t.Errorf("in Chinese, the output lacks %q:\n%s", w, zh)
				}
			}
			if c.name != "contacts list" { // a name and an address only
				speaksChinese(t, c.name, zh)
			}
			if c.name == "contacts remove" {
				// Put it back for the English run.
				if code, _, errOut := e.zhRun("C", "contacts", "import", vcf); code != exitOK {
					t.Fatalf("contacts import again: exit %d\n%s", code, errOut)
				}
			}
			code, out, errOut = e.zhRun("C", args...)
			en := out + errOut
			if code != c.code {
				t.Errorf("in English: exit %d, want %d:\n%s", code, c.code, en)
			}
			for _, w := range c.en {
				if !strings.Contains(en, w) {
					t.Errorf("in English, the output lacks %q:\n%s", w, en)
				}
			}
		})
	}

	// Exported, sent and removed: each language's own message.
	if code, _, errOut := e.zhRun("C", "contacts", "import", vcf); code != exitOK {
		t.Fatalf("contacts import again: exit %d\n%s", code, errOut)
	}
	for _, lang := range []struct{ name, exported, sent, removed string }{
		{"zh_CN.UTF-8", "已将 1 位联系人写入 ", "已发送 ", "已删除 "},
		{"C", "1 contact written to ", "sent ", "removed "},
	} {
		out := map[string]string{"zh_CN.UTF-8": zhOut, "C": enOut}[lang.name]
		code, _, errOut := e.zhRun(lang.name, "contacts", "export", out)
		if code != exitOK || !strings.Contains(errOut, lang.exported) {
			t.Errorf("%s: contacts export: exit %d:\n%s", lang.name, code, errOut)
		}
		for _, verb := range []string{"send", "remove"} {
			code, out, errOut := e.zhRun(lang.name, queue...)
			m := queuedID.FindStringSubmatch(out)
			if code != exitOK || m == nil {
				t.Fatalf("%s: --queue: exit %d %q\n%s", lang.name, code, out, errOut)
			}
			code, out, errOut = e.zhRun(lang.name, "outbox", verb, m[1])
			want := map[string]string{"send": lang.sent, "remove": lang.removed}[verb] + m[1]
			if code != exitOK || !strings.HasPrefix(out, want) {
				t.Errorf("%s: outbox %s: exit %d, want %q:\n%s%s", lang.name, verb, code, want, out, errOut)
			}
			if lang.name != "C" { // stderr is the transcript: the server's words
				speaksChinese(t, "outbox "+verb, out)
			}
		}
	}
	if n := len(e.srv.Messages()); n != 2 {
		t.Errorf("the server got %d messages, want the 2 sent with outbox send", n)
	}
	// account test against the sandbox: the summary line (stdout; stderr
	// is the transcript, in the server's words).
	code, zh, zhErr := e.zhRun("zh_CN.UTF-8", "account", "test", "box")
	codeEn, en, enErr := e.zhRun("C", "account", "test", "box")
	if code != exitOK || codeEn != exitOK || !strings.HasPrefix(zh, "box 可以使用：") || !strings.Contains(zh, "未加密") ||
		!strings.HasPrefix(en, "box works: ") || !strings.Contains(en, ", no encryption") {
		t.Errorf("account test: exit %d/%d:\n%s%s\n%s%s", code, codeEn, zh, zhErr, en, enErr)
	}
	speaksChinese(t, "account test", zh)
	for _, verb := range []string{"send", "remove"} {
		code, _, zh := e.zhRun("zh_CN.UTF-8", "outbox", verb, "nosuchid")
		codeEn, _, en := e.zhRun("C", "outbox", verb, "nosuchid")
		if code != exitFailure || codeEn != exitFailure {
			t.Errorf("outbox %s of no message: exit %d in Chinese, %d in English, want %d", verb, code, codeEn, exitFailure)
		}
		if !strings.Contains(zh, `"nosuchid"：发件箱中没有这封邮件`) || !strings.Contains(en, `"nosuchid": no such message in the outbox`) {
			t.Errorf("outbox %s of no message says:\n%s%s", verb, zh, en)
		}
		speaksChinese(t, "outbox "+verb+" of no message", zh)
	}
}
