package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/i18n"
	"stamp/internal/i18ntest"
	"stamp/smtpclient"
)

// Attack on issue 19 (languages): the composer, the send panel and the
// credentials dialog in Simplified Chinese.

// Finding 1: composer.restoreDraft decides "damaged and kept aside" versus
// "unreadable, never delete it" by looking for the English words "kept as"
// in the error. In Chinese the error is 保存的草稿已损坏，已另存为 …, so the
// composer believes the draft is unreadable for the rest of the session and
// never clears the draft file again: a message the person emptied comes
// back at the next start.
func TestAttackAChineseDamagedDraftMakesEmptiedMessagesComeBack(t *testing.T) {
	for _, tag := range []i18n.Choice{"en", "zh-Hans"} {
		t.Run(string(tag), func(t *testing.T) {
			speak(t, tag)
			dir := t.TempDir()
			store := newDraftStore(dir)
			if err := os.MkdirAll(filepath.Dir(store.path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(store.path, []byte(`{"version":1,"to":"ann@exa`), 0o600); err != nil {
				t.Fatal(err)
			}
			c, _ := newTestComposer(t, dir) // the damaged draft is kept aside, and said so
			if kept, _ := filepath.Glob(store.path + ".broken-*"); len(kept) != 1 {
				t.Fatalf("the damaged draft was not kept aside: %v", kept)
			}
			test.Type(c.Subject, "不要了的邮件")
			if err := c.SaveDraft(); err != nil {
				t.Fatal(err)
			}
			c.Subject.SetText("") // the person deletes what they wrote
			if err := c.SaveDraft(); err != nil {
				t.Fatal(err)
			}
			c2, _ := newTestComposer(t, dir) // the next start
			if c2.Subject.Text != "" {
				t.Errorf("the message the person emptied came back at the next start: subject %q (notice %q)", c2.Subject.Text, c2.Notice.Text)
			}
		})
	}
}

// Finding 2: the password dialog explains a locked or missing keyring with
// account.Reason.String() and KeyringUnavailableError.Hint(), plain English,
// inside the Chinese sentence.
func TestAttackTheChinesePasswordDialogExplainsTheKeyringInEnglish(t *testing.T) {
	speak(t, "zh-Hans")
	store, _ := account.Open(t.TempDir())
	acct := account.Account{ID: "work", Address: "me@example.com", Host: "127.0.0.1", Port: 2525, Security: account.SecurityNone}
	if err := store.Add(acct); err != nil {
		t.Fatal(err)
	}
	kr := account.NewMemoryKeyring()
	kr.Fail = &account.KeyringUnavailableError{Reason: account.ReasonLocked, Err: errors.New("org.freedesktop.Secret.Error.IsLocked")}
	secrets := account.NewSecretsWith(kr)
	w := test.NewTempApp(t).NewWindow("Stamp")
	w.Resize(fyne.NewSize(640, 420))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, _, err := AccountConfig(store, secrets)(ctx, accountSender(acct), w)
		done <- err
	}()
	var texts []string
	waitFor(t, "the password prompt", func() bool {
		texts = nil
		found := false
		if top := w.Canvas().Overlays().Top(); top != nil {
			walk(top, func(o fyne.CanvasObject) {
				if e, ok := o.(*widget.Entry); ok && e.Password {
					found = true
				}
			})
			texts = shownTexts(top)
		}
		return found
	})
	cancel()
	for _, s := range texts {
		if i18ntest.EnglishRun(s) != "" {
			t.Errorf("the Chinese password dialog shows English: %q", s)
		}
	}
	w.Canvas().Overlays().Top().Hide()
	waitRecv(t, done, "the prompt to end")
}

// Finding 3: providerAuthHint (ui/send.go) is plain English; the send panel
// appends it to the Chinese outcome of a refused login at QQ Mail, 163, …
// exactly the Chinese users the 授权码 advice is for.
func TestAttackTheChineseQQLoginFailureEndsInEnglish(t *testing.T) {
	speak(t, "zh-Hans")
	p := newSendPanel(test.NewTempApp(t))
	defer p.Window.Close()
	job := testJob(smtpclient.SecuritySTARTTLS, "me@qq.com", "ann@example.com")
	job.AuthHint = providerAuthHint("me@qq.com")
	p.Reset(job)
	p.Finish(&smtpclient.Result{}, &smtpclient.Error{Step: smtpclient.StepAuth, Kind: smtpclient.ErrorReply, Code: 535, EnhancedCode: "5.7.8", Message: "Login fail"})
	// The server's own words ("Login fail") may stay; Stamp's may not.
	outcome := strings.ReplaceAll(p.Outcome.Text, "Login fail", "")
	if m := i18ntest.EnglishRun(outcome); m != "" {
		t.Errorf("the Chinese outcome of a refused QQ Mail login has English (%q): %q", m, p.Outcome.Text)
	}
}

// Finding 11: the warning that no CJK font is installed is itself in
// Chinese when Stamp speaks Chinese, the one case it is shown at once: with
// no font for Chinese, the person sees boxes, and only the trailing command
// "sudo apt install fonts-noto-cjk" can be read. The reason (no Chinese
// font; the recipients see the text right) must be legible without one.
func TestAttackTheMissingCJKFontWarningIsWrittenInTheMissingGlyphs(t *testing.T) {
	fontCheckFinds(t, false) // a Linux desktop without fonts-noto-cjk
	speak(t, "zh-Hans")
	c, _ := newTestComposer(t, t.TempDir())
	WatchCJKFont(c, i18n.SimplifiedChinese)
	waitFor(t, "the font warning", func() bool { return strings.Contains(c.Notice.Text, "fonts-noto-cjk") })
	// What a person reads on a system without CJK glyphs: the non-CJK part.
	var legible strings.Builder
	for _, r := range c.Notice.Text {
		if !needsCJK(string(r)) && !strings.ContainsRune("，。（）：", r) {
			legible.WriteRune(r)
		}
	}
	if !(i18ntest.EnglishRun(strings.ReplaceAll(legible.String(), "sudo apt install fonts-noto-cjk", "")) != "") {
		t.Errorf("without a CJK font the warning reads only %q (full text %q)", legible.String(), c.Notice.Text)
	}
}
