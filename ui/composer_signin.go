package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/oauth"
)

// "Sign in again" before Send: when the From account signs in with OAuth 2
// and its sign-in is gone (never made, revoked, expired: invalid_grant),
// the composer says so above the form with a button that opens the
// Accounts window on the account, and Send waits for the new sign-in —
// instead of a send that fails.

// signInCheckTimeout bounds one check of a sign-in (a keyring read and,
// when the access token is old, a renewal at the provider).
const signInCheckTimeout = 30 * time.Second

// signInState is the composer's knowledge of its senders' sign-ins. It is
// touched on the UI goroutine only.
type signInState struct {
	bar    *fyne.Container
	text   *widget.Label
	button *widget.Button
	// verdicts by sender ID: what the last check found.
	verdicts map[string]signInVerdict
}

// signInBar is the "Sign in again" bar above the form, hidden while the
// From account's sign-in works.
func (c *Composer) signInBar() *fyne.Container {
	s := &c.signIn
	if s.bar != nil {
		return s.bar
	}
	s.text = widget.NewLabel("")
	s.text.Wrapping = fyne.TextWrapWord
	s.text.Importance = widget.WarningImportance
	s.button = widget.NewButtonWithIcon(lang.X("composer.signin.button", "Sign in again…"), theme.AccountIcon(), func() {
		if from, ok := c.Sender(); ok {
			c.openSignIn(from)
		}
	})
	s.button.Importance = widget.HighImportance
	s.bar = container.NewBorder(nil, nil, nil, container.NewVBox(layout.NewSpacer(), s.button, layout.NewSpacer()), s.text)
	s.bar.Hide()
	return s.bar
}

// openSignIn opens the Accounts window on from to sign in (Options.SignIn,
// else the account's settings).
func (c *Composer) openSignIn(from Sender) {
	switch {
	case c.opts.SignIn != nil:
		c.opts.SignIn(from)
	case c.opts.OpenAccount != nil:
		c.opts.OpenAccount(from)
	}
}

// CheckSignIn finds out, in the background, whether the From account's
// sign-in still works, and shows "Sign in again" when it does not. The
// composer runs it when it opens and when From changes (also after the
// accounts changed: ReloadSenders sets From again).
func (c *Composer) CheckSignIn() {
	c.signInBar()
	from, ok := c.Sender()
	a, oauthAccount := c.opts.OAuth.account(from)
	c.showSignIn()
	if !ok || !oauthAccount {
		return
	}
	oa := c.opts.OAuth
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), signInCheckTimeout)
		defer cancel()
		oa.check(ctx, a, func(v signInVerdict) {
			runOnUI(func() {
				if c.signIn.verdicts == nil {
					c.signIn.verdicts = map[string]signInVerdict{}
				}
				c.signIn.verdicts[from.ID] = v
				c.showSignIn()
				c.validate()
			})
		})
	}()
}

// showSignIn shows the bar for the From account's last verdict.
func (c *Composer) showSignIn() {
	s := &c.signIn
	from, _ := c.Sender()
	v := s.verdicts[from.ID]
	if _, ok := c.opts.OAuth.account(from); !ok || !v.needed {
		s.bar.Hide()
		return
	}
	s.text.SetText(v.why)
	if v.first {
		s.button.SetText(lang.X("composer.signin.first_button", "Sign in…"))
	} else {
		s.button.SetText(lang.X("composer.signin.button", "Sign in again…"))
	}
	if c.opts.SignIn == nil && c.opts.OpenAccount == nil {
		s.button.Hide()
	} else {
		s.button.Show()
	}
	s.bar.Show()
}

// signInBlocker is why Send waits for a sign-in, or "".
func (c *Composer) signInBlocker() string {
	from, ok := c.Sender()
	v := c.signIn.verdicts[from.ID]
	if !ok || !v.needed || c.signIn.bar == nil || !c.signIn.bar.Visible() {
		return ""
	}
	if v.first {
		return lang.X("composer.signin.first_blocker", "Sign in to send from {{.Sender}} (the button above).",
			map[string]any{"Sender": from.Label})
	}
	return lang.X("composer.signin.blocker", "Sign in again to send from {{.Sender}} (the button above).",
		map[string]any{"Sender": from.Label})
}

// wireSignIn offers the send panel's ways out of a sign-in failure for an
// account that signs in with OAuth 2: "Sign in again…" instead of a new
// password, which such an account does not have.
func (c *Composer) wireSignIn(p *sendPanel, from Sender) {
	p.OnSignIn = nil
	if _, ok := c.opts.OAuth.account(from); !ok {
		return
	}
	p.OnNewPassword = nil
	p.OnSignIn = func() { c.openSignIn(from) }
	p.Outcome.SetText(lang.X("sendpanel.oauth.preparing", "Getting the account's sign-in and the message ready…"))
}

// signInRefused marks from as needing a new sign-in when its send ended
// with the provider refusing the sign-in, so the composer says so before
// the next Send.
func (c *Composer) signInRefused(from Sender, err error) {
	var sa *oauth.SignInAgainError
	if !errors.As(err, &sa) {
		return
	}
	if c.signIn.verdicts == nil {
		c.signIn.verdicts = map[string]signInVerdict{}
	}
	cause, _ := oauth.ExplainSignIn(sa.Provider, err)
	c.signIn.verdicts[from.ID] = signInVerdict{needed: true, why: lang.X("composer.signin.again",
		"Sign in again to send from {{.Account}}. {{.Cause}}",
		map[string]any{"Cause": cause.Cause, "Account": from.Label})}
	c.showSignIn()
}
