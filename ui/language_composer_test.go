package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	gomail "github.com/emersion/go-message/mail"
)

// everyText is shownTexts plus what widgets draw themselves (form labels,
// hints) and the window's menu: all a person can read in w.
func everyText(w fyne.Window) []string {
	var out []string
	add := func(o fyne.CanvasObject) {
		out = append(out, shownTexts(o)...)
		walk(o, func(x fyne.CanvasObject) {
			if t, ok := x.(*canvas.Text); ok {
				out = append(out, t.Text)
			}
		})
	}
	add(w.Content())
	for _, o := range w.Canvas().Overlays().List() {
		add(o)
	}
	if m := w.MainMenu(); m != nil {
		for _, menu := range m.Items {
			out = append(out, menu.Label)
			for _, it := range menu.Items {
				out = append(out, it.Label)
			}
		}
	}
	return out
}

// checkChinese fails when w shows a raw key or any of the English texts,
// or lacks any of the Chinese ones; it returns what w shows.
func checkChinese(t *testing.T, what string, w fyne.Window, want, english []string) string {
	t.Helper()
	return checkChineseForm(t, what, w, nil, want, english)
}

func TestTheComposerInChinese(t *testing.T) {
	speak(t, "zh-Hans")
	c, _ := newTestComposer(t, t.TempDir())
	c.SetShowCcBcc(true)
	checkChinese(t, "the composer", c.Window,
		[]string{"发件人", "收件人", "抄送", "密送", "主题", "发送", "添加附件…", "隐藏抄送/密送", "保存草稿", "邮件",
			"在此输入邮件正文…", "密送收件人会收到邮件", "请在收件人、抄送或密送中至少填写一个地址。"},
		[]string{"From", "To", "Cc", "Bcc", "Subject", "Send", "Attach…", "Hide Cc/Bcc", "Save draft", "Message",
			"Write your message…", "Add at least one recipient in To, Cc or Bcc."})

	test.Type(c.To, "ann@example.com")
	test.Type(c.Bcc, "bob@example.com")
	test.Type(c.Subject, "季度报告")
	if got := c.Status.Text; got != "将投递到 2 个地址。对其他收件人隐藏（密送）：bob@example.com。" {
		t.Errorf("the status line in Chinese is %q", got)
	}
	if !c.SendButton.Visible() || c.SendButton.Disabled() || c.SendButton.Text != "发送" {
		t.Errorf("the Send button: %q, disabled %v", c.SendButton.Text, c.SendButton.Disabled())
	}
}

func TestTheComposerInEnglishStaysEnglish(t *testing.T) {
	c, _ := newTestComposer(t, t.TempDir())
	all := strings.Join(everyText(c.Window), "\n")
	for _, s := range []string{"From", "To", "Subject", "Send", "Attach…", "Cc/Bcc"} {
		if !strings.Contains(all, s) {
			t.Errorf("the English composer lacks %q", s)
		}
	}
	if strings.Contains(all, "收件人") || strings.Contains(all, "发送") {
		t.Errorf("Chinese in the English composer:\n%s", all)
	}
}

func TestASendToTheSandboxInChinese(t *testing.T) {
	speak(t, "zh-Hans")
	dir := t.TempDir()
	c, srv := slowServerComposer(t, dir, 0, 0)
	test.Type(c.To, "ann@example.com")
	test.Type(c.Subject, "测试邮件：季度报告")
	test.Type(c.Body, "你好，附上本季度的报告。")
	done := sendsDone(c)
	c.TrySend()
	waitDone(t, done)

	p := c.panel
	if p == nil {
		t.Fatal("no send panel")
	}
	if got := p.Outcome.Text; !strings.HasPrefix(got, "已发送给 1 位收件人。服务器已将其排入队列，队列 ID 为 ") {
		t.Errorf("the outcome in Chinese is %q, want 已发送给 1 位收件人。 and the queue ID", got)
	}
	all := checkChinese(t, "the send panel", p.Window,
		[]string{"步骤", "收件人", "通信记录", "复制通信记录", "保存通信记录…", "关闭", "连接", "邮件已发送",
			"RCPT TO（1/1）", "收件人  ann@example.com — 已接受", "已跳过", "正在通过 127.0.0.1:"},
		[]string{"Steps", "Recipients", "Transcript", "Copy transcript", "Save transcript…", "Close", "Connect",
			"Message sent", "skipped"})
	if strings.Contains(all, "Sent to") || strings.Contains(all, "accepted") {
		t.Errorf("English left in the Chinese send panel:\n%s", all)
	}
	if got := p.Speed.Text; !strings.Contains(got, " / ") || strings.Contains(got, " of ") {
		t.Errorf("the progress beside the bar in Chinese is %q", got)
	}
	if got := p.Window.Title(); !strings.HasPrefix(got, "正在发送 测试邮件：季度报告") {
		t.Errorf("the panel's title is %q", got)
	}
	if !strings.HasPrefix(c.Notice.Text, "只投递到了内置的沙盒服务器") {
		t.Errorf("the composer's notice after the send is %q", c.Notice.Text)
	}

	// What the server received, read by an independent parser.
	msgs := waitMessages(t, srv, 1)
	r, err := gomail.CreateReader(strings.NewReader(string(msgs[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := r.Header.Subject()
	if err != nil || subject != "测试邮件：季度报告" {
		t.Errorf("the received subject is %q (%v)", subject, err)
	}
}

func TestTheSendPanelsRowsInChineseBeforeASend(t *testing.T) {
	speak(t, "zh-Hans")
	p := newSendPanel(test.NewTempApp(t))
	defer p.Window.Close()
	p.Prepare(" ", func() {})
	if got := p.Window.Title(); got != "正在发送 （无主题） — Stamp" {
		t.Errorf("the title while preparing is %q", got)
	}
	checkChinese(t, "the preparing panel", p.Window,
		[]string{"正在准备“（无主题）”…", "正在准备账户密码和邮件…", "取消", "尚未开始：邮件内容在 DATA 之后发出。"},
		[]string{"Cancel", "Retry", "Close"})
	if got := formatDuration(1500 * time.Millisecond); got != "1.5 秒" {
		t.Errorf("a step's duration in Chinese is %q", got)
	}
}
