package ui

import (
	"context"
	"errors"
	"strconv"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/oauth"
	"stamp/smtpclient"
)

// The send panel and OAuth 2: the renewal of the sign-in (a new access
// token, oauth.StepRefresh) is a step of its own, shown when it happens,
// and a send that failed because of the sign-in is told in words, with
// "Sign in again…" where that is the way out.

// refreshStepLabel names the sign-in renewal step in the panel.
func refreshStepLabel() string {
	return lang.X("sendpanel.step.refresh", "Renew sign-in")
}

// newSignInAgainButton is the panel's "Sign in again…", hidden until a
// send fails because of the sign-in.
func newSignInAgainButton(p *sendPanel) *widget.Button {
	b := widget.NewButtonWithIcon(lang.X("sendpanel.sign_in_again", "Sign in again…"), theme.AccountIcon(), func() {
		if p.OnSignIn != nil {
			p.OnSignIn()
		}
	})
	b.Importance = widget.HighImportance
	b.Hide()
	return b
}

// signInFailure words a send that failed because of the account's OAuth 2
// sign-in, and offers "Sign in again…" where a new sign-in is the way out.
// It reports false for any other failure.
func (p *sendPanel) signInFailure(err error) bool {
	var sa *oauth.SignInAgainError
	var ae *oauth.AuthError
	signIn := false
	var text string
	switch {
	case errors.As(err, &sa):
		why, _ := oauth.ExplainSignIn(sa.Provider, err)
		text = lang.X("sendpanel.oauth.sign_in_again", "Not sent: {{.Cause}} Nothing was sent. {{.Fix}}",
			map[string]any{"Cause": why.Cause, "Fix": why.Fix})
		signIn = true
	case errors.As(err, &ae) && ae.Explained:
		text = lang.X("sendpanel.oauth.refused_explained",
			"Not sent: the server refused the sign-in ({{.Reply}}). {{.Cause}} {{.Fix}}",
			map[string]any{"Reply": replyText(ae.Err), "Cause": ae.Explanation.Cause, "Fix": ae.Explanation.Fix})
		signIn = ae.Explanation.SignInAgain
	case errors.As(err, &ae):
		text = lang.X("sendpanel.oauth.refused",
			"Not sent: the server refused the sign-in, also after renewing it ({{.Reply}}). Check that you signed in with the account you send from, then sign in again.",
			map[string]any{"Reply": replyText(ae.Err)})
		signIn = true
	case p.StepState(oauth.StepRefresh) == stepFailed.String():
		text = refreshFailure(err)
		signIn = errors.Is(err, oauth.ErrAdminApproval)
	default:
		return false
	}
	p.setOutcome(widget.DangerImportance, text)
	if signIn && p.OnSignIn != nil {
		p.SignInAgain.Show()
	}
	if !errors.As(err, &sa) {
		p.RetryButton.Show()
	}
	return true
}

// refreshFailure words a renewal of the sign-in that failed for another
// reason than a refused sign-in: cancelled, an administrator's approval
// missing, or the provider out of reach.
func refreshFailure(err error) string {
	switch {
	case errors.Is(err, oauth.ErrCancelled), errors.Is(err, context.Canceled):
		return lang.X("sendpanel.oauth.refresh_cancelled",
			"Cancelled while renewing the sign-in. Nothing was sent; your message is still in the composer.")
	case errors.Is(err, oauth.ErrAdminApproval):
		why, _ := oauth.ExplainSignIn(oauth.Microsoft, err)
		return lang.X("sendpanel.oauth.admin_approval", "Not sent: the sign-in could not be renewed. {{.Cause}} {{.Fix}}",
			map[string]any{"Cause": why.Cause, "Fix": why.Fix})
	}
	return lang.X("sendpanel.oauth.refresh_failed",
		"Not sent: the sign-in could not be renewed ({{.Error}}). Stamp could not reach the provider: check the network connection and try again.",
		map[string]any{"Error": err.Error()})
}

// replyText is a server's refusal as the panel quotes it: code, enhanced
// code and text.
func replyText(e *smtpclient.Error) string {
	t := e.Message
	if e.EnhancedCode != "" {
		t = e.EnhancedCode + " " + t
	}
	if e.Code != 0 {
		t = strconv.Itoa(e.Code) + " " + t
	}
	return t
}
