package main

import (
	"fmt"
	"time"

	"stamp/i18n"
	"stamp/outbox"
	"stamp/smtpclient"
)

// The outbox's states and reasons as stamp-send's human output names them:
// the stored word itself in English (what --json says too), a word of the
// person's language otherwise.

// stateWord names state s.
func stateWord(s outbox.State) string {
	switch s {
	case outbox.Waiting:
		return i18n.T("send.outbox.state.waiting", "waiting")
	case outbox.Scheduled:
		return i18n.T("send.outbox.state.scheduled", "scheduled")
	case outbox.Sending:
		return i18n.T("send.outbox.state.sending", "sending")
	case outbox.Retrying:
		return i18n.T("send.outbox.state.retrying", "retrying")
	case outbox.NeedsAttention:
		return i18n.T("send.outbox.state.needs_attention", "needs-attention")
	case outbox.Sent:
		return i18n.T("send.outbox.state.sent", "sent")
	}
	return string(s)
}

// reasonWord names why a message needs attention.
func reasonWord(r outbox.Reason) string {
	switch r {
	case outbox.ReasonMaybeDelivered:
		return i18n.T("send.outbox.reason.maybe_delivered", "may-have-been-delivered")
	case outbox.ReasonRefused:
		return i18n.T("send.outbox.reason.refused", "refused")
	case outbox.ReasonSignIn:
		return i18n.T("send.outbox.reason.sign_in", "sign-in")
	case outbox.ReasonCertificate:
		return i18n.T("send.outbox.reason.certificate", "certificate")
	case outbox.ReasonGaveUp:
		return i18n.T("send.outbox.reason.gave_up", "gave-up")
	case outbox.ReasonTakenBack:
		return i18n.T("send.outbox.reason.taken_back", "taken-back")
	case outbox.ReasonProblem:
		return i18n.T("send.outbox.reason.problem", "problem")
	}
	return string(r)
}

// lateText says how late a message left: Go's duration in English (as
// stamp-send always wrote it), the language's words otherwise.
func lateText(d time.Duration) string {
	d = d.Round(time.Minute)
	if i18n.Language() == i18n.English {
		return d.String()
	}
	return i18n.Duration(d)
}

// notInOutbox says that the outbox has no message id (outbox.ErrNotFound),
// in the person's language.
func notInOutbox(id string) string {
	return i18n.T("send.outbox.not_found", "{{.ID}}: no such message in the outbox", map[string]any{"ID": smtpclient.Printable(fmt.Sprintf("%q", id))})
}
