package outbox

import (
	"errors"
	"strconv"
	"strings"

	"stamp/i18n"
	"stamp/oauth"
	"stamp/smtpclient"
)

// Event names what the outbox itself saw happen to a message, for a
// Failure that is not the engine's: the record keeps the code, and
// Failure.Explain puts it into words when it is shown, in the language of
// that moment (issue 19: a record outlives the language it was written in).
type Event string

const (
	// EventStoppedAfterData: Stamp stopped during an attempt after the
	// DATA command: the message may have been delivered.
	EventStoppedAfterData Event = "stopped-after-data"
	// EventStoppedBeforeData: Stamp stopped during an attempt before the
	// DATA command: it is sent again.
	EventStoppedBeforeData Event = "stopped-before-data"
	// EventSentCopyFailed: the message was sent but its Sent copy could
	// not be written (Detail says why).
	EventSentCopyFailed Event = "sent-copy-failed"
	// EventTakenBack: the person took the message back and Stamp stopped
	// before it left the outbox.
	EventTakenBack Event = "taken-back"
	// EventAccountMissing: the message's account is not among the saved
	// accounts (removed since), or they cannot be read (Detail).
	EventAccountMissing Event = "account-missing"
	// EventAccountInvalid: the account's settings cannot be used (Detail).
	EventAccountInvalid Event = "account-invalid"
	// EventNoPassword: the account's password could not be had (Detail).
	EventNoPassword Event = "no-password"
)

// accountError is AccountSender's own failure before the engine runs: the
// account is gone, unusable, or its password cannot be read. It wraps the
// cause (classify looks through it).
type accountError struct {
	event   Event
	account string
	err     error
}

func (e *accountError) Error() string {
	return eventText(e.event, strconv.Quote(e.account), e.err.Error())
}

func (e *accountError) Unwrap() error { return e.err }

// Explain is the failure in words for a person, in the current language:
// made again from what the record keeps (the engine's kind, step, codes
// and the server's own words; or the outbox's Event), so a message that
// failed while Stamp spoke English is explained in Chinese after the
// language changed. A record written before these fields existed keeps
// its stored Explanation; failing that, Text. Whatever a record stored
// (server words, an OS error's text, an old Explanation) is rendered
// through smtpclient.Printable here, the one place: the result is safe to
// show as it is (no escapes, bidi controls or line breaks).
func (f *Failure) Explain() string {
	if f == nil {
		return ""
	}
	return smtpclient.Printable(f.explain())
}

func (f *Failure) explain() string {
	if f.Event != "" {
		return eventText(f.Event, "", f.Detail)
	}
	if se, ok := f.engineError(); ok {
		if se.Kind == smtpclient.ErrorCanceled && se.MayHaveBeenDelivered {
			// Cancelled while the server's final reply was awaited: not
			// the plain cancel's "send again when ready".
			return eventText(EventStoppedAfterData, "", "")
		}
		if s, ok := f.signInRefused(se); ok {
			return s
		}
		if f.oldSignInRefusal(se) {
			// The previous version stored the whole oauth.AuthError
			// ("smtp auth: 535 …. Cause Fix", in the language of that
			// send) as Detail: word it again from the provider whose
			// refusal this is, or show the engine's words alone.
			for _, k := range []oauth.Kind{oauth.Microsoft, oauth.Google} {
				g := *f
				g.SignIn = string(k)
				if s, ok := g.signInRefused(se); ok {
					return s
				}
			}
			return se.Explain()
		}
		s := se.Explain()
		if f.Detail != "" {
			s += " " + f.Detail
		}
		return s
	}
	if f.Explanation != "" {
		return f.Explanation
	}
	return f.Text
}

// signInRefused words an OAuth login refusal whose cause Stamp knows
// (f.SignIn): the server's reply once, then the cause and fix in the
// current language.
func (f *Failure) signInRefused(se *smtpclient.Error) (string, bool) {
	if f.SignIn == "" {
		return "", false
	}
	why, ok := oauth.ExplainSMTP(oauth.Kind(f.SignIn), se.Code, strings.TrimSpace(se.EnhancedCode+" "+se.Message))
	if !ok {
		return "", false
	}
	reply := strings.TrimSpace(se.EnhancedCode + " " + se.Message)
	if se.Code != 0 {
		reply = strconv.Itoa(se.Code) + " " + reply
	}
	return i18n.T("sendpanel.oauth.refused_explained", "Not sent: the server refused the sign-in ({{.Reply}}). {{.Cause}} {{.Fix}}",
		map[string]any{"Reply": reply, "Cause": why.Cause, "Fix": why.Fix}), true
}

// oldSignInRefusal reports a login refusal stored by a version before
// Failure.SignIn, whose Detail is the sign-in error's whole technical text.
func (f *Failure) oldSignInRefusal(se *smtpclient.Error) bool {
	return f.SignIn == "" && se.Step == smtpclient.StepAuth && strings.HasPrefix(f.Detail, "smtp auth:")
}

// engineError is the engine's error as the record keeps it, when it does.
func (f *Failure) engineError() (*smtpclient.Error, bool) {
	if f.Kind == "" {
		return nil, false
	}
	for k := smtpclient.ErrorKind(0); k < 32; k++ {
		if k.String() == f.Kind {
			return &smtpclient.Error{Kind: k, Step: smtpclient.Step(f.Step), Code: f.Code, EnhancedCode: f.Enhanced,
				Message: f.Message, Note: f.Note, Temporary: f.Temporary, MayHaveBeenDelivered: f.MayHaveBeenDelivered}, true
		}
	}
	return nil, false
}

// eventText puts an Event into words; account names the account when
// known (an error being returned), detail is the cause's own text.
func eventText(e Event, account, detail string) string {
	data := map[string]any{"Account": account, "Detail": detail}
	switch e {
	case EventStoppedAfterData:
		return i18n.T("outbox.event.stopped_after_data", "Stamp stopped while this message was being sent, after the server had been asked to take it: it may have been delivered. Check with a recipient (or in your provider's Sent folder) before sending it again.")
	case EventStoppedBeforeData:
		return i18n.T("outbox.event.stopped_before_data", "Stamp stopped during an attempt, before the server was asked to take the message; it will be sent again.")
	case EventSentCopyFailed:
		return i18n.T("outbox.event.sent_copy_failed", "The message was sent, but its copy for the Sent folder could not be saved: {{.Detail}}. It stays here until the copy can be written.", data)
	case EventTakenBack:
		return i18n.T("outbox.event.taken_back", "You took this message back (Undo or Edit), and Stamp stopped before it was removed from the outbox: it was not sent. Send it or delete it.")
	case EventAccountMissing:
		if account != "" {
			return i18n.T("outbox.event.account_missing_named", "The account {{.Account}} is not available: {{.Detail}}", data)
		}
		return i18n.T("outbox.event.account_missing", "The account of this message is not available (it may have been removed): {{.Detail}}", data)
	case EventAccountInvalid:
		if account != "" {
			return i18n.T("outbox.event.account_invalid_named", "The account {{.Account}} cannot be used: {{.Detail}}", data)
		}
		return i18n.T("outbox.event.account_invalid", "The account of this message cannot be used: {{.Detail}}", data)
	case EventNoPassword:
		if account != "" {
			return i18n.T("outbox.event.no_password_named", "The password of account {{.Account}} cannot be read: {{.Detail}}", data)
		}
		return i18n.T("outbox.event.no_password", "The password of this message's account cannot be read: {{.Detail}}", data)
	}
	return detail
}

// failureEvent fills f from an outbox error of its own, if err is one.
func failureEvent(f *Failure, err error) bool {
	var ae *accountError
	if !errors.As(err, &ae) {
		return false
	}
	f.Event, f.Detail = ae.event, smtpclient.Printable(ae.err.Error())
	return true
}
