package oauth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/i18n"
	"stamp/smtpclient"
)

// ExpiryMargin: an access token that expires within this is refreshed
// before connecting, so it does not run out during a long send.
const ExpiryMargin = 5 * time.Minute

// Manager hands out one Session per account, so that refreshes of one
// account never run at the same time. It is safe for concurrent use.
type Manager struct {
	// LockDir is the folder of the per-account sign-in locks, which keep
	// two processes (the app and stamp-send) from refreshing one account
	// at once: the settings folder, where accounts.json is. Empty means
	// account.DefaultDir(). Set it before the first Session.
	LockDir string

	secrets *account.Secrets
	mu      sync.Mutex
	byID    map[string]*Session
}

// NewManager keeps refresh tokens in secrets (account.NewSecrets() for the
// OS keyring).
func NewManager(secrets *account.Secrets) *Manager {
	return &Manager{secrets: secrets, byID: make(map[string]*Session)}
}

// Session returns the account's session, made on first use. A later call
// with another provider (the account's settings changed) replaces the
// provider and drops the access token in memory.
func (m *Manager) Session(id string, p *Provider) *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.byID[id]
	if !ok {
		s = &Session{id: id, p: p, secrets: m.secrets, lockPath: m.lockPath(id)}
		m.byID[id] = s
		return s
	}
	s.mu.Lock()
	if !sameClient(s.p, p) {
		s.access = nil
	}
	s.p = p
	s.mu.Unlock()
	return s
}

// sameClient reports whether access tokens from a stay good for b: same
// client, token endpoint and scopes.
func sameClient(a, b *Provider) bool {
	return a.Kind == b.Kind && a.ClientID == b.ClientID && a.ClientSecret == b.ClientSecret &&
		a.Endpoint.TokenURL == b.Endpoint.TokenURL && strings.Join(a.Scopes, " ") == strings.Join(b.Scopes, " ")
}

// Session is one account's sign-in: the refresh token in the keyring, the
// access token in memory.
type Session struct {
	id      string
	secrets *account.Secrets
	// lockPath is the account's sign-in lock file, shared with other
	// processes ("" for none).
	lockPath string
	// mu serialises everything, so refreshes never overlap.
	mu     sync.Mutex
	p      *Provider
	access *oauth2.Token // no refresh token in it
	// again: the provider refused the saved sign-in (invalid_grant), or
	// none is saved; cleared by Complete and by a refresh that works.
	again bool
	// signedOut: SignOut ended the sign-in; cleared by Complete and by a
	// refresh that works (a sign-in saved since by another Stamp).
	signedOut bool
	// undeleted: SignOut could not delete the keyring entry, so a refresh
	// would find the signed-out token: none runs until Complete.
	undeleted bool
	// unsaved: the last renewed refresh token is kept for this session
	// only (the keyring refused it); nil once one is saved.
	unsaved *RenewalNotSavedError
}

// RenewalNotSavedError says the provider renewed (rotated) the account's
// sign-in but the keyring did not take the new refresh token: it is kept
// in memory for this session only, and the one in the keyring no longer
// works. The access token is good; a process that ends now (stamp-send)
// loses the sign-in, and the app keeps it until it quits.
type RenewalNotSavedError struct {
	Account string
	// Err is why the keyring refused (a *account.KeyringUnavailableError),
	// or nil when unknown.
	Err error
}

func (e *RenewalNotSavedError) Error() string {
	if e.Err != nil {
		return i18n.T("oauth.err.renewal_not_saved_why", "the renewed sign-in of account {{.Account}} could not be saved in the system keyring ({{.Why}}): it is kept for this session only and is lost when the program ends; unlock the keyring and sign in again",
			map[string]any{"Account": fmt.Sprintf("%q", e.Account), "Why": e.Err.Error()})
	}
	return i18n.T("oauth.err.renewal_not_saved", "the renewed sign-in of account {{.Account}} could not be saved in the system keyring: it is kept for this session only and is lost when the program ends; unlock the keyring and sign in again",
		map[string]any{"Account": fmt.Sprintf("%q", e.Account)})
}

// Unwrap returns Err.
func (e *RenewalNotSavedError) Unwrap() error { return e.Err }

// Unsaved is a *RenewalNotSavedError when the last renewal of the sign-in
// is kept for this session only, or nil.
func (s *Session) Unsaved() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unsaved == nil {
		return nil
	}
	return s.unsaved
}

// NeedsSignIn reports whether the last refresh found the sign-in gone
// (ErrSignInAgain), so the composer can say "Sign in again" before Send.
// It does not ask the provider.
func (s *Session) NeedsSignIn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.again
}

// SignedOut reports whether SignOut ended the sign-in in this session (and
// no sign-in was completed since): the account is not signed in, so the
// composer says "Sign in" before Send, not "Sign in again".
func (s *Session) SignedOut() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signedOut
}

// Complete keeps a new sign-in's tokens: the refresh token in the keyring
// (or for this session when the keyring is unavailable: see the returned
// location), the access token in memory.
func (s *Session) Complete(ctx context.Context, tok *oauth2.Token) (account.PasswordLocation, error) {
	if tok == nil || tok.RefreshToken == "" {
		return account.LocationNone, ErrNoRefreshToken
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	unlock := lockAccount(ctx, s.lockPath)
	defer unlock()
	if len(tok.RefreshToken) > MaxRefreshToken {
		return account.LocationNone, fmt.Errorf("%s: %w", i18n.T("oauth.op.keep", "keep the sign-in"), errTooLong(len(tok.RefreshToken)))
	}
	loc, err := s.secrets.SaveRefreshToken(ctx, s.id, string(s.p.Kind), tok.RefreshToken)
	if err != nil {
		return loc, fmt.Errorf("%s: %w", i18n.T("oauth.op.keep", "keep the sign-in"), err)
	}
	s.access = accessOnly(tok)
	s.again, s.signedOut, s.undeleted, s.unsaved = false, false, false, nil
	return loc, nil
}

// AccessToken is an access token handed out by Session.Token and
// Session.Refresh. It never prints its token: String and GoString (so %v,
// %+v, %#v, %s) show a mask. Secret returns the token itself, for the
// login (smtpclient.Config.OAuth2Token) and nothing else.
type AccessToken struct {
	// secret is behind a pointer: a struct that holds an AccessToken in an
	// unexported field (which fmt prints without calling String) prints an
	// address, not the token.
	secret *string
	// Type is the token type the provider named ("Bearer"), or "".
	Type string
	// Expiry is when the token stops working (zero: not said).
	Expiry time.Time
}

// Secret is the access token, for the login only; never print or store it.
func (t AccessToken) Secret() string {
	if t.secret == nil {
		return ""
	}
	return *t.secret
}

// String hides the token.
func (t AccessToken) String() string { return "oauth.AccessToken{" + smtpclient.Mask + "}" }

// GoString hides the token from %#v too.
func (t AccessToken) GoString() string { return t.String() }

// handOut wraps the access token in memory for a caller.
func handOut(tok *oauth2.Token) AccessToken {
	secret := tok.AccessToken
	return AccessToken{secret: &secret, Type: tok.TokenType, Expiry: tok.Expiry}
}

// Token returns an access token valid for at least ExpiryMargin,
// refreshing it when needed. A rotated refresh token is stored before the
// new access token is returned; if the keyring cannot take it, it is kept
// for this session and Unsaved says so; any other failure to store it
// means the access token is not used. ErrSignInAgain (inside a *ProviderError when the server
// said invalid_grant) means the person must sign in again.
func (s *Session) Token(ctx context.Context) (AccessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access != nil && s.access.AccessToken != "" &&
		(s.access.Expiry.IsZero() || time.Until(s.access.Expiry) > ExpiryMargin) {
		return handOut(s.access), nil
	}
	return s.refreshLocked(ctx)
}

// Refresh gets a new access token even if the one in memory looks valid:
// after the SMTP server refused it, refresh once and retry once.
func (s *Session) Refresh(ctx context.Context) (AccessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshLocked(ctx)
}

// Expiry is when the access token in memory expires (zero when there is
// none).
func (s *Session) Expiry() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access == nil {
		return time.Time{}
	}
	return s.access.Expiry
}

func (s *Session) refreshLocked(ctx context.Context) (AccessToken, error) {
	// Read, refresh and save under the lock other processes take too: a
	// rotated refresh token is saved before another process reads it.
	unlock := lockAccount(ctx, s.lockPath)
	tok, err := s.refreshOnce(ctx)
	unlock()
	if errors.Is(err, ErrSignInAgain) {
		s.again = true
	}
	if err != nil {
		return AccessToken{}, err
	}
	// The saved sign-in works (saved since by another Manager, say).
	s.again, s.signedOut = false, false
	return handOut(tok), nil
}

func (s *Session) refreshOnce(ctx context.Context) (*oauth2.Token, error) {
	var lastAccess string
	if s.access != nil {
		lastAccess = s.access.AccessToken
	}
	s.access = nil
	if s.undeleted {
		return nil, fmt.Errorf("%w (%s)", ErrSignInAgain, i18n.T("oauth.err.signed_out_here", "signed out on this computer"))
	}
	old, _, _, err := s.secrets.RefreshToken(ctx, s.id)
	if errors.Is(err, account.ErrNoSecret) || errors.Is(err, account.ErrTokenDamaged) {
		return nil, fmt.Errorf("%w (%v)", ErrSignInAgain, err)
	}
	if err != nil {
		return nil, err
	}
	tok, err := s.exchange(ctx, old, lastAccess)
	if errors.Is(err, ErrSignInAgain) {
		// Another process (without the lock: another folder, a wait that
		// ran out) may have rotated the token since we read it: the
		// provider then refuses the old one. Try once more with the
		// keyring's token if it changed.
		if now, _, _, rerr := s.secrets.RefreshToken(ctx, s.id); rerr == nil && now != old {
			old = now
			tok, err = s.exchange(ctx, old, lastAccess)
		}
	}
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken != "" && tok.RefreshToken != old {
		// Rotated: the old one may stop working at any moment. Store the
		// new one first; an access token nobody can renew is not used.
		if len(tok.RefreshToken) > MaxRefreshToken {
			return nil, fmt.Errorf("%s: %w", i18n.T("oauth.op.keep_renewed", "keep the renewed sign-in"), errTooLong(len(tok.RefreshToken)))
		}
		loc, err := s.secrets.SaveRefreshToken(ctx, s.id, string(s.p.Kind), tok.RefreshToken)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", i18n.T("oauth.op.keep_renewed", "keep the renewed sign-in"), account.AboutSignIn(err))
		}
		s.unsaved = nil
		if loc != account.LocationKeyring {
			s.unsaved = &RenewalNotSavedError{Account: s.id}
			if p := s.secrets.Problem(); p != nil {
				s.unsaved.Err = account.AboutSignIn(p)
			}
		}
	}
	s.access = accessOnly(tok)
	return s.access, nil
}

// exchange asks the provider for a new access token with the refresh
// token old.
func (s *Session) exchange(ctx context.Context, old, lastAccess string) (*oauth2.Token, error) {
	// An expired token with the refresh token makes x/oauth2 refresh now.
	src := s.p.config("").TokenSource(s.p.withClient(ctx), &oauth2.Token{RefreshToken: old, Expiry: time.Unix(1, 0)})
	tok, err := src.Token()
	switch {
	case err == nil:
		return tok, nil
	case timedOut(ctx, err):
		return nil, fmt.Errorf("%s: %w", i18n.T("oauth.op.refresh", "refresh the sign-in"), ErrNoAnswer)
	case ctx.Err() != nil:
		return nil, ErrCancelled
	}
	return nil, tokenError(i18n.T("oauth.op.refresh", "refresh the sign-in"), err, old, lastAccess, s.p.ClientSecret)
}

// SignOut deletes the refresh token from the keyring and memory (the
// access token and a copy kept for this session only, when the keyring was
// unavailable), then revokes it where the provider can (RFC 7009), with the
// token held in memory and under RevokeTimeout: a provider that never
// answers cannot keep the sign-in in the keyring. When the delete fails
// nothing is revoked and that error is returned; otherwise the
// revocation's error. From then on the session needs a sign-in
// (NeedsSignIn, SignedOut) and hands out no token until Complete, or, when
// the keyring entry is deleted, until a sign-in saved since by another
// Stamp works.
func (s *Session) SignOut(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = nil
	s.again, s.signedOut = true, true
	tok, _, _, terr := s.secrets.RefreshToken(ctx, s.id)
	s.secrets.ForgetSession(s.id)
	if err := s.secrets.DeleteRefreshToken(ctx, s.id); err != nil {
		s.undeleted = true
		return account.AboutSignIn(err)
	}
	if terr != nil || !s.p.CanRevoke() {
		return nil
	}
	return revokeBounded(ctx, s.p, tok)
}

// accessOnly copies tok without its refresh token, so nothing that holds
// an access token holds the refresh token too.
func accessOnly(tok *oauth2.Token) *oauth2.Token {
	return &oauth2.Token{AccessToken: tok.AccessToken, TokenType: tok.TokenType, Expiry: tok.Expiry}
}
