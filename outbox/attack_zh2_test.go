//go:build unix

package outbox

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/internal/loopback"
	"stamp/oauth"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// A send stopped (Stamp closing, the person's Cancel) while the server's
// final reply to the whole message was awaited: the record rightly says
// ReasonMaybeDelivered, but its LastError.Explain — what the Outbox window
// prints as "Last error:" under "Needs attention: may have been
// delivered", and what stamp-send's outbox list prints — is the engine's
// cancel row: "Sending was cancelled. Nothing more was sent after the
// cancel; send again when ready." That tells the person to send again a
// message that may already be in the recipient's mailbox.
func TestAttackZh2CancelAfterDataIsExplainedAsSendAgain(t *testing.T) {
	gotDot := make(chan struct{})
	addr := loopback.Serve(t, loopback.SMTPUntilDot(func(r *bufio.Reader) {
		close(gotDot)
		// Never answer: wait for the client to go away.
		r.ReadString('\n')
	}))
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{Sender: sandboxSender(addr.Port)})
	r, err := o.Enqueue(testNew("stopped before the 250"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-gotDot:
			cancel()
		case <-time.After(20 * time.Second):
			cancel()
		}
	}()
	got, _ := o.SendNow(ctx, r.ID, false)
	if got.Reason != ReasonMaybeDelivered {
		t.Fatalf("state %q reason %q, want needs-attention / may-have-been-delivered (setup)", got.State, got.Reason)
	}
	if got.LastError == nil {
		t.Fatal("no LastError")
	}
	x := got.LastError.Explain()
	t.Logf("Outbox window: %q / Last error: %q", "Needs attention: may have been delivered", x)
	if strings.Contains(x, "send again when ready") || strings.Contains(x, "Nothing more was sent") {
		t.Errorf("a message that may have been delivered is explained as a plain cancel that invites a resend: %q", x)
	}
	_ = smtpclient.MaybeSent
}

// A record on disk — one of the previous version (Explanation), or one
// whose Detail beside an Event or an engine failure holds a server's or
// the system's words — is explained as stored: Failure.Explain runs only
// the engine's sentence through smtpclient.Printable, not the Detail it
// appends nor the Event's Detail nor the stored Explanation/Text. The
// composer's notice (ui/composer_outbox.go failureText → Composer.Notify)
// shows Explain as it is, so terminal escapes, a right-to-left override
// or line breaks from the stored words reach the window unrendered.
func TestAttackZh2StoredWordsReachTheNoticeUnrendered(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	hostile := "evil\x1b]0;owned\x07 \u202etxt.exe\nsecond line"
	for name, lastError := range map[string]map[string]any{
		"previous version": {"text": "smtp rcpt: 550 " + hostile, "explanation": "Refused. " + hostile, "at": time.Now()},
		"event detail":     {"event": "account-invalid", "detail": hostile, "text": "x", "at": time.Now()},
		"engine + detail":  {"kind": "reply", "step": "rcpt-to", "code": 550, "message": "no", "detail": hostile, "text": "x", "at": time.Now()},
		"unknown event":    {"event": "from-the-future", "detail": hostile, "text": "x", "at": time.Now()},
	} {
		r, err := o.Enqueue(testNew("stored " + name))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(e.dir, r.ID+".json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		m["state"], m["reason"], m["last_error"] = "needs-attention", "problem", lastError
		b, _ = json.Marshal(m)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := o.Get(r.ID)
		if err != nil || got.LastError == nil {
			t.Fatalf("%s: the record does not load: %v", name, err)
		}
		x := got.LastError.Explain()
		if x != smtpclient.Printable(x) {
			t.Errorf("%s: shown unrendered: %q", name, x)
		}
	}
}

// An OAuth account's refused login (oauth.AuthError: the engine's error
// plus Stamp's cause and fix, e.g. Microsoft 365's 5.7.139 "SMTP AUTH is
// disabled for the tenant") is kept with Detail = the whole of
// AuthError.Error(): the technical "smtp auth: 535 5.7.139 …" line, the
// server's words a second time, and the cause and fix in the language of
// the send. Failure.Explain appends that Detail to the engine's
// explanation, so the Outbox window (and the composer's notice) shows the
// server's reply twice and, after the language changed, English
// sentences in the Chinese explanation — against "a record outlives the
// language it was written in".
func TestAttackZh2OAuthRefusalIsShownTwiceAndInTheOldLanguage(t *testing.T) {
	server := "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."
	se := &smtpclient.Error{Step: smtpclient.StepAuth, Kind: smtpclient.ErrorReply, Code: 535, EnhancedCode: "5.7.139", Message: server}
	why, ok := oauth.ExplainSMTP(oauth.Microsoft, se.Code, "5.7.139 "+server)
	if !ok {
		t.Fatal("setup: ExplainSMTP knows nothing of 5.7.139")
	}
	f := failureOf(&oauth.AuthError{Err: se, Explanation: why, Explained: true}, time.Now()) // Stamp spoke English
	en := f.Explain()
	if n := strings.Count(en, server); n != 1 {
		t.Errorf("the server's words appear %d times, want once: %q", n, en)
	}
	if strings.Contains(en, "smtp auth:") {
		t.Errorf("the technical Error() line is shown to the person: %q", en)
	}
	speakChinese(t)
	zh := f.Explain()
	t.Logf("shown in Chinese: %q", zh)
	if strings.Contains(zh, "administrator") || strings.Contains(zh, "Ask the") {
		t.Errorf("explained in Chinese, but the oauth cause and fix stay in the English of the send: %q", zh)
	}
}
