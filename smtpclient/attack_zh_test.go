package smtpclient

import (
	"context"
	"regexp"
	"testing"

	"stamp/smtpclient/sandbox"
)

// Attack (attackzh round) on issue 19's "plurals per language": the
// transcript's own line for a pipelined RCPT batch counts with one form,
// "=== 1 recipients, pipelined" (smtpclient/send.go:241; the branch that
// translates it keeps the one form, "{{.Count}} recipients, pipelined"
// through i18n.T, not i18n.N). Every single-recipient send to a server
// with PIPELINING (Gmail, QQ, the sandbox) shows it in the send panel.
func TestAttackZhOneRecipientIsNotRecipients(t *testing.T) {
	srv := startSandbox(t, sandbox.Options{})
	rec := &recorder{}
	if _, err := Send(context.Background(), configFor(srv), Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}, testMessage("p", "x"), rec.on); err != nil {
		t.Fatal(err)
	}
	tr := rec.transcript()
	if m := regexp.MustCompile(`\b1 recipients\b`).FindString(tr); m != "" {
		t.Errorf("a send to one recipient says %q:\n%s", m, tr)
	}
}
