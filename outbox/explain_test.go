//go:build unix

package outbox

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"stamp/i18n"
	"stamp/smtpclient/sandbox"
)

func speakChinese(t *testing.T) {
	t.Helper()
	i18n.SetLanguage(i18n.SimplifiedChinese)
	t.Cleanup(func() { i18n.SetLanguage(i18n.English) })
}

// A refusal is kept as what happened (kind, step, codes, the server's
// words), not in the language of the send: explained after the language
// changed, it is in the new language, with the server's words as they came.
func TestAFailureIsExplainedInTheLanguageItIsShownIn(t *testing.T) {
	e := newEnv(t, sandbox.Options{RejectData: &sandbox.Reply{Code: 550, Enhanced: "5.7.1", Text: "Message refused by policy"}})
	o := e.open(Options{})
	r, err := o.Enqueue(testNew("refused"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := o.SendNow(t.Context(), r.ID, false)
	f := got.LastError
	if got.State != NeedsAttention || f == nil || f.Kind != "reply" || f.Code != 550 || f.Enhanced != "5.7.1" || f.Message != "Message refused by policy" {
		t.Fatalf("the refusal is not kept as what happened: %+v %+v", got, f)
	}
	b, _ := os.ReadFile(o.path(r.ID, ".json"))
	if strings.Contains(string(b), "refused the message after") || strings.Contains(string(b), `"explanation"`) {
		t.Errorf("the record stores an explanation in words:\n%s", b)
	}
	en := f.Explain()
	speakChinese(t)
	zh := f.Explain()
	if !strings.Contains(en, "refused the message") || !strings.Contains(zh, "服务器") || strings.Contains(zh, "refused the message") ||
		!strings.Contains(zh, "Message refused by policy") {
		t.Errorf("explained in English %q, then in Chinese %q", en, zh)
	}
}

// A record written by the previous version (an explanation in English
// words, no kind) loads and shows its explanation as it is, and a rewrite
// (Send later on it) drops none of its fields.
func TestARecordOfThePreviousVersionKeepsItsExplanation(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	r, err := o.Enqueue(testNew("old"))
	if err != nil {
		t.Fatal(err)
	}
	path := o.path(r.ID, ".json")
	var m map[string]any
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	old := map[string]any{"step": "data", "code": 550.0, "enhanced": "5.7.1", "text": "smtp data: 550 5.7.1 no",
		"explanation": "The server refused the message after receiving it. (old words)", "at": "2026-12-01T10:00:00Z"}
	m["state"], m["reason"], m["attempts"], m["last_error"] = "needs-attention", "refused", 1.0, old
	delete(m, "next_attempt")
	b, _ = json.Marshal(m)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	speakChinese(t)
	got, err := o.Get(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if x := got.LastError.Explain(); x != old["explanation"] {
		t.Errorf("the old record's explanation shows as %q", x)
	}
	if _, err := o.Reschedule(r.ID, time.Now().Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	var after map[string]any
	if err := json.Unmarshal(b, &after); err != nil {
		t.Fatal(err)
	}
	for k := range m {
		if _, ok := after[k]; !ok && k != "reason" {
			t.Errorf("the rewrite dropped %q:\n%s", k, b)
		}
	}
	if !reflect.DeepEqual(after["last_error"], old) {
		t.Errorf("the rewrite changed the last error: %v, was %v", after["last_error"], old)
	}
}
