package outbox

import (
	"context"
	"net/http"
	"sync"
	"time"

	"stamp/account"
	"stamp/oauth"
	"stamp/smtpclient"
)

// AccountSender is the Sender of saved accounts, the same send paths as a
// direct send: smtpclient.Send with the account's settings and its keyring
// password, or oauth.Send (a fresh token, one refresh and retry) for an
// account that signs in. Nobody is asked anything: a missing password or
// sign-in makes the message need attention.
type AccountSender struct {
	Store   *account.Store
	Secrets *account.Secrets
	// HTTPClient makes OAuth token requests (nil: http.DefaultClient).
	HTTPClient *http.Client
	// Manager holds the sign-ins: the app passes its one Manager, so its
	// composer, Accounts window and outbox never refresh one account at
	// the same time. Nil: the sender makes its own on first use.
	Manager *oauth.Manager
	// Timeout bounds each network step (0: the engine's default);
	// Background runs the send at lower priority (the app's sends).
	Timeout    time.Duration
	Background bool

	once    sync.Once
	manager *oauth.Manager
}

// Send implements Sender.
func (s *AccountSender) Send(ctx context.Context, id string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
	a, err := s.Store.Get(id)
	if err != nil {
		return nil, &accountError{EventAccountMissing, id, err}
	}
	if err := a.Validate(); err != nil {
		return nil, &accountError{EventAccountInvalid, id, err}
	}
	if a.OAuth != nil {
		p, err := oauth.ProviderFor(ctx, a, s.Secrets, s.HTTPClient)
		if err != nil {
			return nil, err
		}
		p.Timeout = s.Timeout
		s.once.Do(func() {
			s.manager = s.Manager
			if s.manager == nil {
				s.manager = oauth.NewManager(s.Secrets)
			}
		})
		return oauth.Send(ctx, s.manager.Session(a.ID, p), s.config(a, account.Credential{}), env, msg, onEvent)
	}
	var cred account.Credential
	if a.EffectiveAuth().NeedsSecret() {
		if cred, _, err = s.Secrets.Get(ctx, a.ID); err != nil {
			return nil, &accountError{EventNoPassword, a.ID, err}
		}
	}
	return smtpclient.Send(ctx, s.config(a, cred), env, msg, onEvent)
}

func (s *AccountSender) config(a account.Account, c account.Credential) smtpclient.Config {
	cfg := a.SMTPConfig(c)
	cfg.Timeout = s.Timeout
	cfg.Background = s.Background
	return cfg
}
