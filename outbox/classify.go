package outbox

import (
	"context"
	"errors"
	"net"
	"strings"
	"time"

	"stamp/account"
	"stamp/oauth"
	"stamp/smtpclient"
)

// classify says why a failed attempt (outcome NotSent) needs the person,
// or that it was temporary (try again later). The rule of issue 18: a
// connection failure, a time-out, a 4xx reply or a peer that is no SMTP
// server at all (a captive portal answering HTTP) is temporary; a 5xx
// reply, a refused login or a certificate problem is never retried
// blindly, nor anything the outbox does not recognise.
func classify(err error) (Reason, bool) {
	var se *smtpclient.Error
	switch {
	case errors.Is(err, oauth.ErrSignInAgain), errors.Is(err, account.ErrNoSecret):
		return ReasonSignIn, false
	case errors.As(err, new(*account.KeyringUnavailableError)):
		return "", true // a locked keyring may open later
	case errors.Is(err, oauth.ErrProviderUnavailable):
		return "", true // the sign-in provider down for a moment (429, 503)
	case errors.As(err, &se):
		switch se.Kind {
		case smtpclient.ErrorConnection, smtpclient.ErrorTimeout:
			return "", true
		case smtpclient.ErrorCanceled:
			return "", false // settle handles a cancel
		case smtpclient.ErrorProtocol:
			if se.Step == smtpclient.StepGreeting || se.Step == smtpclient.StepConnect {
				// Not an SMTP server at all: a captive portal's web server
				// answering every connection. Temporary, like no network.
				return "", true
			}
		case smtpclient.ErrorTLS:
			if se.Temporary || se.Code/100 == 4 {
				return "", true // 454 "TLS not available due to temporary reason" (RFC 3207)
			}
			return ReasonCertificate, false
		case smtpclient.ErrorReply:
			if se.Temporary || se.Code/100 == 4 {
				return "", true
			}
			if se.Step == smtpclient.StepAuth {
				return ReasonSignIn, false
			}
			return ReasonRefused, false
		}
		return ReasonProblem, false
	case errors.Is(err, context.Canceled):
		return "", false
	case errors.Is(err, context.DeadlineExceeded):
		return "", true
	}
	// A sign-in's token request that could not reach the provider (the
	// network is down) is temporary too.
	var ne net.Error
	if errors.As(err, &ne) {
		return "", true
	}
	return ReasonProblem, false
}

// failureOf is err as a record keeps it: what happened (the engine's
// kind, step, codes and the server's own Printable, masked words; or the
// outbox's Event), explained when shown (Failure.Explain).
func failureOf(err error, at time.Time) *Failure {
	if err == nil {
		return &Failure{Text: "no error", At: at}
	}
	f := &Failure{Text: smtpclient.Printable(err.Error()), At: at}
	if failureEvent(f, err) {
		return f
	}
	var se *smtpclient.Error
	if errors.As(err, &se) {
		f.Step, f.Code, f.Enhanced = string(se.Step), se.Code, se.EnhancedCode
		f.Kind, f.Message, f.Note = se.Kind.String(), smtpclient.Printable(se.Message), smtpclient.Printable(se.Note)
		f.MayHaveBeenDelivered = se.MayHaveBeenDelivered
		var ae *oauth.AuthError
		if errors.As(err, &ae) {
			// What happened is the reply kept above; the cause and fix
			// are worded again when shown (Failure.Explain), not stored.
			f.SignIn = signInKind(ae)
			return f
		}
		if f.Text != smtpclient.Printable(se.Error()) {
			// A wrapper (oauth's AuthError) adds what it knows.
			f.Detail = f.Text
		}
	}
	return f
}

// signInKind is the provider whose ExplainSMTP gave ae its explanation
// (AuthError does not name it): the kind whose words for the same reply are
// the ones ae holds, "" when ae is not explained.
func signInKind(ae *oauth.AuthError) string {
	if !ae.Explained || ae.Err == nil {
		return ""
	}
	text := strings.TrimSpace(ae.Err.EnhancedCode + " " + ae.Err.Message)
	for _, k := range []oauth.Kind{oauth.Microsoft, oauth.Google, oauth.Custom} {
		if why, ok := oauth.ExplainSMTP(k, ae.Err.Code, text); ok && why.Cause == ae.Explanation.Cause {
			return string(k)
		}
	}
	return string(oauth.Custom)
}
