package ui

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"stamp/smtpclient/sandbox"
)

// The Accounts window and the Outbox window in Simplified Chinese: every
// text a person reads is translated, no key shows raw, and the English
// of the texts that have a translation is gone (issue 19).

// checkChineseForm is checkChinese for a window that shows host names,
// which read like keys (smtp.gmail.com): those in hosts are let through.
func checkChineseForm(t *testing.T, what string, w fyne.Window, hosts, want, english []string) string {
	t.Helper()
	allowed := map[string]bool{}
	for _, h := range hosts {
		allowed[h] = true
	}
	texts := everyText(w)
	shown := map[string]bool{}
	for _, s := range texts {
		shown[s] = true
		if rawKey.MatchString(s) && !allowed[s] {
			t.Errorf("%s shows a raw key: %q", what, s)
		}
	}
	all := strings.Join(texts, "\n")
	for _, s := range want {
		if !strings.Contains(all, s) {
			t.Errorf("%s lacks %q; it shows:\n%s", what, s, all)
		}
	}
	for _, s := range english {
		if shown[s] {
			t.Errorf("%s still shows the English %q", what, s)
		}
	}
	return all
}

func TestTheAccountsWindowInChinese(t *testing.T) {
	speak(t, "zh-Hans")
	w, _, _, _ := newTestAccountsWindow(t)
	if got := w.Window.Title(); got != "账户 — Stamp" {
		t.Errorf("the Accounts window's title is %q", got)
	}
	checkChineseForm(t, "the new-account form", w.Window, []string{"smtp.example.com"},
		[]string{"添加账户", "地址", "你的姓名", "密码", "保存", "测试连接", "服务器设置",
			"收件人看到的你的姓名", "密码、应用专用密码或授权码",
			"密码保存在系统密钥环中，绝不写入文件"},
		[]string{"Add account", "Address", "Your name", "Password", "Save", "Test connection", "Server settings",
			"Your name, as recipients see it", "the password, app password or authorization code", "Remove", "Make default"})

	// A QQ address: the preset's notes and checklist in Chinese only (the
	// English window shows the checklist in both languages).
	test.Type(w.Address, "someone@qq.com")
	if !strings.Contains(w.Notes.Text, "授权码") || strings.Contains(w.Notes.Text, "authorization code") || strings.Contains(w.Notes.Text, "Password:") {
		t.Errorf("the QQ notes in the Chinese window are %q, want Chinese only", w.Notes.Text)
	}
	// Gmail: the choice of sign-in, in Chinese.
	w.Address.SetText("")
	test.Type(w.Address, "someone@gmail.com")
	all := checkChineseForm(t, "the form for a Gmail address", w.Window, []string{"smtp.example.com", "smtp.gmail.com"},
		[]string{"通过 Google 登录", "隐式 TLS（SSL），通常为 465 端口", "自动（使用服务器提供的最佳方式）"},
		[]string{"Sign in with Google", "Log in with", "A password", "Use an app password instead",
			"Implicit TLS (SSL), usually port 465", "Automatic (best the server offers)"})
	// The pickers' Chinese options still stand for their values.
	if got := picked(w.Security, securityChoices); got != "tls" {
		t.Errorf("the Chinese security picker reads as %q, want tls", got)
	}
	w.Security.SetSelected("STARTTLS，通常为 587 端口")
	if got := picked(w.Security, securityChoices); got != "starttls" {
		t.Errorf("choosing STARTTLS in Chinese reads as %q", got)
	}
	if strings.Contains(all, "Sign in") || strings.Contains(all, "Password:") {
		t.Errorf("English left in the Accounts window:\n%s", all)
	}
	test.Type(w.Port, "x")
	w.Save()
	if got := w.Status.Text; !strings.HasPrefix(got, "未保存：端口：") {
		t.Errorf("a bad port's status in Chinese is %q", got)
	}
}

func TestTheOutboxInChinese(t *testing.T) {
	speak(t, "zh-Hans")
	_, cfg := plainServer(t, sandbox.Options{})
	r := newOutboxRig(t, t.TempDir(), time.Minute, cfg, false)
	c := r.c
	r.queue(t, "季度报告")
	waitFor(t, "the undo bar", func() bool { return strings.Contains(c.undoLabel.Text, "秒后发送") })
	waitFor(t, "the waiting count", func() bool { return c.countLink.Text == "发件箱中有 1 封待发送" })
	if got := c.Window.Title(); got != "Stamp — 1 封待发送" {
		t.Errorf("the composer's title with a message waiting is %q", got)
	}
	checkChinese(t, "the composer with a message waiting", c.Window,
		[]string{"撤销", "稍后发送…", "发件箱", "撤销发送的等待时间…"},
		[]string{"Undo", "Send later…", "Outbox", "Undo send delay…"})

	w := r.u.showWindow(c)
	if got := w.Window.Title(); got != "发件箱 — Stamp" {
		t.Errorf("the Outbox window's title is %q", got)
	}
	all := checkChinese(t, "the Outbox window", w.Window,
		[]string{"季度报告", "收件人：ann@example.com", "（撤销等待时间）", "立即发送", "编辑", "删除"},
		[]string{"Send now", "Edit", "Delete"})
	if strings.Contains(all, "Waiting to leave") || strings.Contains(all, "To: ") {
		t.Errorf("English left in the Outbox window:\n%s", all)
	}
	test.Tap(findButton(w.Window.Content(), "删除"))
	checkChinese(t, "the delete question", w.Window,
		[]string{"删除这封邮件？", "“季度报告”将不会发送，并从发件箱中移除。此操作无法撤销。"},
		[]string{"Delete this message?"})
}

// Every security mode and login method smtpclient names has Chinese words
// in the Accounts window, but for the bare protocol names: a label renamed
// in smtpclient/names.go without its translation fails here.
func TestEverySecurityAndLoginChoiceIsTranslated(t *testing.T) {
	speak(t, "zh-Hans")
	protocols := map[string]bool{"PLAIN": true, "LOGIN": true, "CRAM-MD5": true}
	for _, l := range append(labels(securityChoices), labels(authChoices)...) {
		if protocols[l] {
			continue
		}
		if !strings.ContainsFunc(l, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("the picker option %q has no Chinese (choiceText in ui/accounts_choice_text.go)", l)
		}
	}
}
