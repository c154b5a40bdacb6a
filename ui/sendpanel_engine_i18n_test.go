package ui

import (
	"strings"
	"testing"
	"time"

	"stamp/i18n"
	"stamp/internal/loopback"
	"stamp/smtpclient"
)

// garblingServer is a real TCP server on 127.0.0.1 that greets with a
// line that is no SMTP reply, then waits for the client to hang up.
func garblingServer(t *testing.T, greeting string) smtpclient.Config {
	a := loopback.Serve(t, loopback.Say(greeting+"\r\n", 5*time.Second))
	return smtpclient.Config{Host: "127.0.0.1", Port: a.Port, Security: smtpclient.SecurityNone, Timeout: 5 * time.Second}
}

// A failure the engine words itself reaches the Chinese send panel in
// Chinese — the outcome and the transcript's line for the failed step —
// with the server's words as it sent them; English stays English.
func TestTheSendPanelShowsEngineFailuresInThePersonsLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang                i18n.Choice
		outcome, transcript []string
		notIn               []string
	}{
		{"zh-Hans",
			[]string{"未发送", "服务器没有遵守 SMTP 协议", `回复没有以三位数字的回复码开头："hello there stranger"`},
			[]string{`在“服务器问候”这一步失败：回复没有以三位数字的回复码开头："hello there stranger"`, "连接 127.0.0.1:", "<- hello there stranger"},
			[]string{"does not start", "failed", "smtp greeting"}},
		{"en",
			[]string{"Not sent", `reply does not start with a three-digit code: "hello there stranger"`},
			[]string{`failed at the greeting: reply does not start with a three-digit code: "hello there stranger"`, "connect 127.0.0.1:"},
			[]string{"服务器"}},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			speak(t, tc.lang)
			c := configComposer(t, t.TempDir(), garblingServer(t, "hello there stranger"))
			typeMessage(c, "garbled")
			done := sendsDone(c)
			c.TrySend()
			waitDone(t, done)
			p := c.panel
			if p == nil {
				t.Fatal("no send panel")
			}
			outcome, transcript := p.Outcome.Text, p.TranscriptText()
			for _, w := range tc.outcome {
				if !strings.Contains(outcome, w) {
					t.Errorf("the outcome lacks %q: %q", w, outcome)
				}
			}
			for _, w := range tc.transcript {
				if !strings.Contains(transcript, w) {
					t.Errorf("the transcript lacks %q:\n%s", w, transcript)
				}
			}
			for _, w := range tc.notIn {
				if strings.Contains(outcome+transcript, w) {
					t.Errorf("%q in the %s panel:\n%s\n%s", w, tc.lang, outcome, transcript)
				}
			}
		})
	}
}

func TestCancelledBeforeConnectingInChinese(t *testing.T) {
	speak(t, "zh-Hans")
	if got := canceledBeforeConnecting().Message; got != "在连接之前已取消" {
		t.Errorf("cancelled before connecting reads %q in Chinese", got)
	}
}
