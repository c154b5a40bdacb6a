//go:build unix

package outbox

import (
	"encoding/json"
	"strings"
	"testing"
)

// An OAuth refusal the previous version stored (before Failure.SignIn):
// the whole oauth.AuthError text ("smtp auth: 535 …. Cause Fix", in the
// language of the send) went into Detail. Explain still appends Detail
// after the engine's explanation for such a record, so a message that is
// waiting in the outbox from before the update keeps attack zh2 #5 as it
// was: the server's words twice, the "smtp auth:" line, the engine's
// password advice for an OAuth account, and the Microsoft cause and fix in
// English inside the Chinese. The record is what that version wrote (the
// JSON of outbox/classify.go at 5504918^ for this refusal).
func TestAttackZh3OAuthRefusalStoredByThePreviousVersion(t *testing.T) {
	const server = "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."
	old := `{"step":"auth","kind":"reply","code":535,"enhanced":"5.7.139","message":"` + server + `",` +
		`"detail":"smtp auth: 535 5.7.139 ` + server + `. The organization's Microsoft 365 administrator has turned off authenticated SMTP (SMTP AUTH) for the tenant or this mailbox. Ask the administrator to enable \"Authenticated SMTP\" for your mailbox (Microsoft 365 admin center, Users, Mail, Manage email apps), or for the tenant. Signing in again does not help.",` +
		`"text":"smtp auth: 535 5.7.139 ` + server + `. The organization's Microsoft 365 administrator has turned off authenticated SMTP (SMTP AUTH) for the tenant or this mailbox. Ask the administrator to enable \"Authenticated SMTP\" for your mailbox (Microsoft 365 admin center, Users, Mail, Manage email apps), or for the tenant. Signing in again does not help.",` +
		`"at":"2026-12-03T10:00:00Z"}`
	var f Failure
	if err := json.Unmarshal([]byte(old), &f); err != nil {
		t.Fatal(err)
	}
	speakChinese(t)
	zh := f.Explain()
	t.Logf("shown: %q", zh)
	if n := strings.Count(zh, server); n != 1 {
		t.Errorf("the server's words appear %d times, want once: %q", n, zh)
	}
	if strings.Contains(zh, "smtp auth:") || strings.Contains(zh, "administrator") {
		t.Errorf("an OAuth refusal stored by the previous version is shown with the technical line and the English cause and fix: %q", zh)
	}
}
