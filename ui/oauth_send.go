package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"fyne.io/fyne/v2/lang"

	"stamp/account"
	"stamp/compose"
	"stamp/oauth"
	"stamp/smtpclient"
)

// OAuthAccounts sends from saved accounts that sign in with OAuth 2
// (Google, Microsoft, a custom provider) through oauth.Send, the one send
// path of such an account (stamp-send uses it too): a fresh access token
// first (the panel's "Renew sign-in" step), XOAUTH2 or OAUTHBEARER as the
// server offers, one refresh and one retry when the server refuses the
// token. Nobody is asked for a password. It also tells the composer,
// before Send, when an account must sign in again.
type OAuthAccounts struct {
	store   *account.Store
	secrets *account.Secrets
	manager *oauth.Manager
	// HTTPClient makes the requests to the provider (nil:
	// http.DefaultClient).
	HTTPClient *http.Client
}

// NewOAuthAccounts sends with the sign-ins that manager keeps (the one
// Manager of the app, shared with the Accounts window, so a sign-in made
// there is used at once and refreshes of one account never overlap).
func NewOAuthAccounts(store *account.Store, secrets *account.Secrets, manager *oauth.Manager) *OAuthAccounts {
	return &OAuthAccounts{store: store, secrets: secrets, manager: manager}
}

// account returns the saved account of s when it signs in with OAuth 2.
func (o *OAuthAccounts) account(s Sender) (account.Account, bool) {
	if o == nil || s.ID == SandboxID {
		return account.Account{}, false
	}
	a, err := o.store.Get(s.ID)
	if err != nil || !a.UsesOAuth() {
		return account.Account{}, false
	}
	return a, true
}

// session resolves the account's provider (its client secret comes from
// the keyring) and returns its session. It may block: not on the UI
// goroutine.
func (o *OAuthAccounts) session(ctx context.Context, a account.Account) (*oauth.Session, error) {
	p, err := oauth.ProviderFor(ctx, a, o.secrets, o.HTTPClient)
	if err != nil {
		return nil, err
	}
	return o.manager.Session(a.ID, p), nil
}

// sendJob prepares the send of m from the OAuth account a: the account's
// engine settings without a secret, and oauth.Send as the transmitter.
func (o *OAuthAccounts) sendJob(ctx context.Context, a account.Account, from Sender, m *compose.Message) (sendJob, error) {
	sess, err := o.session(ctx, a)
	if err != nil {
		return sendJob{}, signInSetupError(a, err)
	}
	job, err := messageJob(a.SMTPConfig(account.Credential{}), from, m)
	if err != nil {
		return sendJob{}, err
	}
	job.AuthHint = ""
	job.Transmit = func(ctx context.Context, cfg smtpclient.Config, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
		return oauth.Send(ctx, sess, cfg, env, msg, onEvent)
	}
	return job, nil
}

// signInSetupError words why an account's sign-in cannot be used at all
// (no client ID in this build, a custom provider that cannot be found).
func signInSetupError(a account.Account, err error) error {
	var nc *oauth.NoClientIDError
	if errors.As(err, &nc) {
		return errors.New(lang.X("oauth.no_client_id",
			"{{.Account}} signs in with {{.Provider}}, but this build of Stamp has no client ID for it and the account sets none. {{.Hint}}",
			map[string]any{"Account": a.DisplayName(), "Provider": nc.Kind.Name(), "Hint": nc.Hint()}))
	}
	return fmt.Errorf("%s: %w", lang.X("oauth.provider_unusable", "the sign-in settings of {{.Account}} cannot be used",
		map[string]any{"Account": a.DisplayName()}), err)
}

// signInVerdict is what a check of an account's sign-in found.
type signInVerdict struct {
	// needed: the person must sign in (again) before sending.
	needed bool
	// why says so in words.
	why string
	// first: the account was never signed in (no sign-in is saved).
	first bool
}

// check finds out, before a send, whether the account's sign-in still
// works, and hands each verdict to onVerdict: no saved sign-in, or one the
// provider refused (the session says so at once, and a renewal confirms
// or clears it). A check that cannot reach the provider or the keyring
// hands over nothing: the send will tell. It may block: not on the UI
// goroutine.
func (o *OAuthAccounts) check(ctx context.Context, a account.Account, onVerdict func(signInVerdict)) {
	sess, err := o.session(ctx, a)
	if err != nil {
		return
	}
	provider := sess.Kind().Name()
	cause, _ := oauth.ExplainSignIn(sess.Kind(), oauth.ErrSignInAgain)
	again := signInVerdict{needed: true, why: lang.X("composer.signin.again",
		"Sign in again to send from {{.Account}}. {{.Cause}}",
		map[string]any{"Cause": cause.Cause, "Account": a.DisplayName()})}
	none := signInVerdict{needed: true, first: true, why: lang.X("composer.signin.none",
		"{{.Account}} is not signed in with {{.Provider}} yet. Sign in to send from it.",
		map[string]any{"Provider": provider, "Account": a.DisplayName()})}
	switch {
	case sess.SignedOut(): // Sign out in the Accounts window
		onVerdict(none) // at once, even when the keyring cannot be read below
	case sess.NeedsSignIn():
		onVerdict(again) // at once; the renewal below may still clear it
	}
	_, _, _, err = o.secrets.RefreshToken(ctx, a.ID)
	switch {
	case errors.Is(err, account.ErrNoSecret):
		onVerdict(none)
		return
	case errors.Is(err, account.ErrTokenDamaged):
		onVerdict(again)
		return
	case err != nil:
		return // the keyring cannot be read now: the send will say why
	}
	_, err = sess.Token(ctx)
	switch {
	case err == nil:
		onVerdict(signInVerdict{})
	case errors.Is(err, oauth.ErrSignInAgain) && sess.SignedOut():
		onVerdict(none)
	case errors.Is(err, oauth.ErrSignInAgain):
		onVerdict(again)
	}
}
