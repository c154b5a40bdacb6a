package compose

import (
	"strings"
	"testing"

	"stamp/i18n"
)

func TestValidationMessagesInChinese(t *testing.T) {
	i18n.SetLanguage(i18n.SimplifiedChinese)
	defer i18n.SetLanguage(i18n.English)
	_, err := ParseAddressList("To", "bob@")
	if got, want := err.Error(), `收件人："bob@" 不是有效的邮箱地址`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	m := &Message{Subject: "测试\r\nBcc: x@example.com"}
	got := m.Validate().Error()
	for _, want := range []string{"发件人：必须填写", "收件人：至少需要一位收件人", "主题：含有换行符"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	i18n.SetLanguage(i18n.English)
	if got := m.Validate().Error(); !strings.Contains(got, "From: is required") || !strings.Contains(got, "Subject: contains a line break") {
		t.Errorf("in English: %q", got)
	}
}
