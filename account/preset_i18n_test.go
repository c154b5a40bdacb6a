package account

import (
	"strings"
	"testing"

	"stamp/i18n"
)

func TestPresetAdviceInThePersonsLanguage(t *testing.T) {
	qq, err := Lookup("me@qq.com")
	if err != nil {
		t.Fatal(err)
	}
	first := qq.Checklist[0]
	if !strings.Contains(first.EN, "Settings → Account → POP3/IMAP/SMTP service") || !strings.Contains(first.ZH, "设置 → 账号") {
		t.Errorf("QQ's first step: EN %q, ZH %q", first.EN, first.ZH)
	}
	gmail, _ := Lookup("me@gmail.com")
	if gmail.Checklist[0].ZH != "" {
		t.Errorf("a non-Chinese provider got a second language: %q", gmail.Checklist[0].ZH)
	}
	guess, _ := Lookup("me@example.org")
	i18n.SetLanguage(i18n.SimplifiedChinese)
	defer i18n.SetLanguage(i18n.English)
	for _, c := range []struct{ got, want string }{
		{first.String(), "设置 → 账号"},
		{gmail.Checklist[1].String(), "应用专用密码"},
		{guess.Checklist[0].String(), "Stamp 不认识 example.org"},
		{qq.Login.String(), "授权码"},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%q lacks %q", c.got, c.want)
		}
	}
	if gmail.Checklist[1].EN == gmail.Checklist[1].String() {
		t.Error("the English field follows the current language")
	}
}
