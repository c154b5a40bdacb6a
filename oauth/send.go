package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"stamp/account"
	"stamp/i18n"
	"stamp/smtpclient"
)

// StepRefresh is the step of the events Send reports when it renews the
// sign-in (gets a new access token) before or during a send, so a send
// panel or stamp-send --json shows the refresh as its own step.
const StepRefresh smtpclient.Step = "oauth-refresh"

// SettingsFor is the account's sign-in settings for Resolve, with the
// client secret the caller read from the keyring
// (account.Secrets.ClientSecret). An account without OAuth settings is an
// error.
func SettingsFor(a account.Account, clientSecret string) (Settings, error) {
	o := a.OAuth
	if o == nil {
		return Settings{}, errors.New(i18n.T("oauth.err.not_oauth", "account {{.Account}} does not sign in with OAuth 2", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}))
	}
	return Settings{Kind: Kind(o.Provider), ClientID: o.ClientID, ClientSecret: clientSecret, Tenant: o.Tenant,
		Issuer: o.Issuer, AuthURL: o.AuthURL, TokenURL: o.TokenURL, DeviceAuthURL: o.DeviceAuthURL,
		RevocationURL: o.RevocationURL, Scopes: append([]string(nil), o.Scopes...)}, nil
}

// ProviderFor resolves the account's provider: its settings, the client
// secret from secrets (when the account's own client has one), and for a
// custom provider with an issuer, discovery through client (nil:
// http.DefaultClient).
//
// A keyring that cannot be read (locked, absent, not answering) does not
// stop an account whose client needs no secret (a public client, the
// usual case): the provider is resolved without one, and a client that
// does need it is refused by the provider's token endpoint, in words.
// Only a refresh token in the keyring needs the keyring.
func ProviderFor(ctx context.Context, a account.Account, secrets *account.Secrets, client *http.Client) (*Provider, error) {
	if a.OAuth == nil {
		return nil, errors.New(i18n.T("oauth.err.not_oauth", "account {{.Account}} does not sign in with OAuth 2", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}))
	}
	var secret string
	if a.OAuth.ClientID != "" {
		var err error
		secret, err = secrets.ClientSecret(ctx, a.ID)
		var ku *account.KeyringUnavailableError
		switch {
		case errors.As(err, &ku):
			secret = ""
		case err != nil:
			return nil, fmt.Errorf("%s: %w", i18n.T("oauth.op.read_client_secret", "read the client secret of account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}), err)
		}
	}
	s, err := SettingsFor(a, secret)
	if err != nil {
		return nil, err
	}
	return Resolve(ctx, s, client)
}

// SignInAgainError says the provider no longer accepts the account's
// saved sign-in (or none is saved), so nothing was sent: the person must
// sign in again. It wraps ErrSignInAgain.
type SignInAgainError struct {
	// Account is the account's ID; Provider its provider.
	Account  string
	Provider Kind
	// Err is the refresh's error (wrapping ErrSignInAgain), or the
	// server's refusal of a fresh token.
	Err error
}

func (e *SignInAgainError) Error() string {
	return i18n.T("oauth.err.sign_in_again_account", "sign in again: {{.Provider}} no longer accepts the saved sign-in of account {{.Account}}, so nothing was sent ({{.Error}})",
		map[string]any{"Provider": e.Provider.Name(), "Account": fmt.Sprintf("%q", e.Account), "Error": fmt.Sprint(e.Err)})
}

// Unwrap returns Err and ErrSignInAgain, so errors.Is(err, ErrSignInAgain)
// holds.
func (e *SignInAgainError) Unwrap() []error { return []error{e.Err, ErrSignInAgain} }

// AuthError is the SMTP server's refusal of a fresh access token after the
// one refresh and retry, with what Stamp knows of the cause (ExplainSMTP).
type AuthError struct {
	// Err is the engine's *smtpclient.Error.
	Err *smtpclient.Error
	// Explanation is the likely cause and the fix; Explained is false when
	// Stamp knows nothing more than the reply says.
	Explanation Explanation
	Explained   bool
}

func (e *AuthError) Error() string {
	if !e.Explained {
		return e.Err.Error()
	}
	return e.Err.Error() + ". " + e.Explanation.Cause + " " + e.Explanation.Fix
}

// Unwrap returns the engine's error.
func (e *AuthError) Unwrap() error { return e.Err }

// Send sends msg with the account's sign-in: it gets a fresh access token
// from s first (refreshing when it is about to expire, reported as the
// StepRefresh step), logs in with it (cfg.Auth AuthAuto picks XOAUTH2 or
// OAUTHBEARER from what EHLO offers), and when the server refuses the
// login, refreshes once and sends once more. cfg is the account's engine
// settings (account.Account.SMTPConfig with an empty Credential, plus
// timeouts and the like); its Password is ignored. A sign-in the provider
// no longer accepts is a *SignInAgainError, before anything is sent.
func Send(ctx context.Context, s *Session, cfg smtpclient.Config, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
	var res *smtpclient.Result
	err := withToken(ctx, s, cfg, onEvent, func(c smtpclient.Config) error {
		var err error
		res, err = smtpclient.Send(ctx, c, env, msg, onEvent)
		return err
	})
	return res, err
}

// Probe is smtpclient.Probe with the account's sign-in, as Send logs in:
// a connection test that logs in with a fresh token (refreshing and
// retrying once as Send does) and sends nothing.
func Probe(ctx context.Context, s *Session, cfg smtpclient.Config, onEvent func(smtpclient.Event)) (*smtpclient.Capabilities, error) {
	var caps *smtpclient.Capabilities
	err := withToken(ctx, s, cfg, onEvent, func(c smtpclient.Config) error {
		var err error
		caps, err = smtpclient.Probe(ctx, c, onEvent)
		return err
	})
	return caps, err
}

// withToken runs do with cfg logging in with a fresh access token of s,
// and once more with a renewed one when the server refuses the login.
func withToken(ctx context.Context, s *Session, cfg smtpclient.Config, onEvent func(smtpclient.Event), do func(smtpclient.Config) error) error {
	emit := func(e smtpclient.Event) {
		if onEvent != nil {
			e.Time = time.Now()
			onEvent(e)
		}
	}
	token := func(force bool) (AccessToken, error) {
		s.mu.Lock()
		needs := force || s.access == nil || s.access.AccessToken == "" ||
			!s.access.Expiry.IsZero() && time.Until(s.access.Expiry) <= ExpiryMargin
		kind := s.p.Kind
		s.mu.Unlock()
		if needs {
			emit(smtpclient.Event{Kind: smtpclient.EventStepStarted, Step: StepRefresh,
				Text: i18n.T("oauth.step.renew", "renew the sign-in with {{.Provider}}", map[string]any{"Provider": kind.Name()})})
		}
		var tok AccessToken
		var err error
		if force {
			tok, err = s.Refresh(ctx)
		} else {
			tok, err = s.Token(ctx)
		}
		if needs {
			if err != nil {
				ek := smtpclient.ErrorReply
				if errors.Is(err, ErrNoAnswer) {
					ek = smtpclient.ErrorTimeout
				}
				emit(smtpclient.Event{Kind: smtpclient.EventStepFailed, Step: StepRefresh, Text: smtpclient.Printable(err.Error()),
					Err: &smtpclient.Error{Step: StepRefresh, Kind: ek, Message: smtpclient.Printable(err.Error())}})
			} else {
				emit(smtpclient.Event{Kind: smtpclient.EventStepFinished, Step: StepRefresh, Text: "the sign-in is renewed"})
				if u := s.Unsaved(); u != nil {
					emit(smtpclient.Event{Kind: smtpclient.EventLine, Direction: smtpclient.Local, Step: StepRefresh,
						Text: smtpclient.Printable("warning: " + u.Error())})
				}
			}
		}
		if errors.Is(err, ErrSignInAgain) {
			return tok, &SignInAgainError{Account: s.id, Provider: kind, Err: err}
		}
		return tok, err
	}
	try := func(tok AccessToken) error {
		c := cfg
		c.Password, c.OAuth2Token = "", tok.Secret()
		if c.Auth != smtpclient.AuthXOAUTH2 && c.Auth != smtpclient.AuthOAuthBearer {
			c.Auth = smtpclient.AuthAuto
		}
		return do(c)
	}

	tok, err := token(false)
	if err != nil {
		return err
	}
	err = try(tok)
	se, refused := loginRefused(err)
	if !refused {
		return err
	}
	kind := s.Kind()
	if why, ok := ExplainSMTP(kind, se.Code, smtpText(se)); ok && !why.SignInAgain {
		// Renewing the token does not help (5.7.139: SMTP AUTH is off).
		return &AuthError{Err: se, Explanation: why, Explained: true}
	}
	if tok, err = token(true); err != nil {
		return err
	}
	err = try(tok)
	if se, refused := loginRefused(err); refused {
		why, ok := ExplainSMTP(kind, se.Code, smtpText(se))
		return &AuthError{Err: se, Explanation: why, Explained: ok}
	}
	return err
}

// Kind is the session's provider kind.
func (s *Session) Kind() Kind {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.p.Kind
}

// loginRefused reports whether err is the server refusing the login (a
// reply at the AUTH step): nothing was sent.
func loginRefused(err error) (*smtpclient.Error, bool) {
	var se *smtpclient.Error
	if errors.As(err, &se) && se.Step == smtpclient.StepAuth && se.Kind == smtpclient.ErrorReply {
		return se, true
	}
	return nil, false
}

// smtpText is the reply as ExplainSMTP reads it: enhanced code and text.
func smtpText(e *smtpclient.Error) string {
	return strings.TrimSpace(e.EnhancedCode + " " + e.Message)
}
