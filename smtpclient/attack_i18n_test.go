package smtpclient

import (
	"context"
	"errors"
	"strings"
	"testing"

	"stamp/i18n"
	"stamp/internal/i18ntest"
	"stamp/smtpclient/sandbox"
)

// Finding 4 (issue 19): when recipients are refused, the engine replaces
// the server's reply text with its own English sentence ("every recipient
// was refused: …", "1 of 2 recipients were refused, so nothing was sent:
// …"). Explain then shows it, untranslated, after "服务器回复：" (the server
// said): Stamp's words in English inside a Chinese explanation, and passed
// off as the server's.
func TestAttackRefusedRecipientsAreExplainedInEnglishAsTheServersWords(t *testing.T) {
	i18n.SetLanguage(i18n.SimplifiedChinese)
	t.Cleanup(func() { i18n.SetLanguage(i18n.English) })
	refusals := map[string]sandbox.Reply{"nobody@example.test": {Code: 550, Enhanced: "5.1.1", Text: "No such user"}}
	for _, to := range [][]string{{"nobody@example.test"}, {"ann@example.test", "nobody@example.test"}} {
		t.Run(strings.Join(to, ","), func(t *testing.T) {
			srv := startSandbox(t, sandbox.Options{RejectRcpt: refusals})
			_, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: to}, testMessage("r", "x"), nil)
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("err = %v", err)
			}
			text := se.Explain()
			_, said, ok := strings.Cut(text, "服务器回复：")
			if !ok {
				t.Fatalf("no 服务器回复 in %q", text)
			}
			if !strings.HasPrefix(said, "550 5.1.1 No such user") {
				t.Errorf("what the server said is not the server's words: %q", said)
			}
			if m := i18ntest.EnglishRun(strings.ReplaceAll(text, "No such user", "")); m != "" {
				t.Errorf("English (%q) in the Chinese explanation: %q", m, text)
			}
		})
	}
}
