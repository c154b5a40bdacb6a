package smtpclient

import (
	"strings"
	"testing"
	"unicode"

	"stamp/i18n"
)

// errorFor builds an Error that the advice table's row r should explain.
func errorFor(r rule) *Error {
	e := &Error{Kind: r.kind, Step: r.step, Message: "local detail"}
	if r.anyKind {
		e.Kind = ErrorReply
		e.Code = r.code
		if e.Code == 0 {
			e.Code = 500 + 51
			if r.class == 4 {
				e.Code = 451
			}
		}
		if r.enhanced != "" {
			e.EnhancedCode = r.enhanced
			if strings.Count(r.enhanced, ".") == 2 && strings.HasSuffix(r.enhanced, ".") {
				e.EnhancedCode += "1"
			}
			e.Code = int(r.enhanced[0]-'0')*100 + 50
		}
		e.Message = "服务器原话 server's own words"
	}
	if e.Step == "" {
		e.Step = StepData
	}
	return e
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Every row of the advice table (every reply-code class and every local
// failure) is explained in English and in Chinese; the Chinese one is a
// translation (no English sentence, no raw key), and the server's own words
// stay as the server said them in both.
func TestEveryExplanationInBothLanguages(t *testing.T) {
	defer i18n.SetLanguage(i18n.English)
	for _, r := range adviceTable {
		r := r
		e := errorFor(r)
		t.Run(r.summary.Key, func(t *testing.T) {
			if got := e.explanation(); got.summary.Key != r.summary.Key {
				t.Fatalf("an error built for this row is explained by %s instead (the row is shadowed)", got.summary.Key)
			}
			i18n.SetLanguage(i18n.English)
			en := e.Explain()
			i18n.SetLanguage(i18n.SimplifiedChinese)
			zh := e.Explain()
			zhSummary := e.Summary()
			if en != "" && !strings.HasPrefix(en, r.summary.English) {
				t.Errorf("English explanation %q does not start with %q", en, r.summary.English)
			}
			if !hasHan(zhSummary) || !hasHan(e.Advice()) {
				t.Errorf("Chinese summary/advice not translated: %q / %q", zhSummary, e.Advice())
			}
			if strings.Contains(zh, r.summary.English) || strings.Contains(zh, r.advice.English) {
				t.Errorf("English left in the Chinese explanation: %q", zh)
			}
			if strings.Contains(zh, "smtp.") || strings.Contains(en, "smtp.") {
				t.Errorf("a raw key is shown: %q / %q", en, zh)
			}
			if !strings.Contains(zh, e.Message) || !strings.Contains(en, e.Message) {
				t.Errorf("the server's own words are not kept as they were: en %q zh %q", en, zh)
			}
			if e.Code != 0 && !strings.Contains(zh, "服务器回复") {
				t.Errorf("the Chinese explanation does not say what the server replied: %q", zh)
			}
		})
	}
}

func TestTheCommonReplyCodesReadAsAChineseUserExpects(t *testing.T) {
	i18n.SetLanguage(i18n.SimplifiedChinese)
	defer i18n.SetLanguage(i18n.English)
	tests := []struct {
		err  *Error
		want []string
	}{
		{&Error{Step: StepAuth, Kind: ErrorReply, Code: 535, EnhancedCode: "5.7.8", Message: "Error: authentication failed"},
			[]string{"用户名和密码", "授权码", "AUTH 登录", "535 5.7.8 Error: authentication failed"}},
		{&Error{Step: StepRcpt, Kind: ErrorReply, Code: 550, Message: "Mailbox not found"}, []string{"收件人", "550 Mailbox not found"}},
		{&Error{Step: StepMessage, Kind: ErrorReply, Code: 552, Message: "Message too large"}, []string{"大小", "552 Message too large"}},
		{&Error{Step: StepMail, Kind: ErrorReply, Code: 451, Message: "Try later"}, []string{"临时故障", "稍后重试"}},
		{&Error{Step: StepConnect, Kind: ErrorConnection, Message: "connection refused"}, []string{"无法连接到服务器", "587"}},
	}
	for _, tt := range tests {
		got := tt.err.Explain()
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%d at %s: %q lacks %q", tt.err.Code, tt.err.Step, got, w)
			}
		}
	}
}
