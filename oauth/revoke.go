package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"stamp/account"
	"stamp/i18n"
)

// ErrNoRevocation: the provider offers no way for an app to revoke a
// sign-in (Microsoft has no RFC 7009 endpoint for its tokens). Signing out
// then only forgets the sign-in on this computer; the person removes the
// app's access in their account's web settings.
var ErrNoRevocation = newTextError(i18n.M("oauth.err.no_revocation", "the provider offers no way to revoke a sign-in from an app"))

// CanRevoke reports whether the provider has an RFC 7009 revocation
// endpoint (Google and custom providers that announce one; not Microsoft).
func (p *Provider) CanRevoke() bool { return p != nil && p.RevocationURL != "" }

// Revoke asks p's provider to revoke the refresh token (RFC 7009): the
// provider ends the sign-in and the access tokens issued with it. Without
// a revocation endpoint the error is ErrNoRevocation. The error's text
// never holds the token or the client secret.
func Revoke(ctx context.Context, p *Provider, refreshToken string) error {
	if !p.CanRevoke() {
		return ErrNoRevocation
	}
	form := url.Values{"token": {refreshToken}, "token_type_hint": {"refresh_token"}}
	if p.ClientSecret == "" {
		form.Set("client_id", p.ClientID) // a public client names itself (RFC 7009 §2.1)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.RevocationURL, strings.NewReader(form.Encode()))
	if err != nil {
		return wrapShown(i18n.T("oauth.op.revoke", "revoke the sign-in"), err, []string{refreshToken, p.ClientSecret})
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p.ClientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(p.ClientID), url.QueryEscape(p.ClientSecret))
	}
	resp, err := p.client().Do(req)
	if err != nil {
		if timedOut(ctx, err) {
			return fmt.Errorf("%s: %w", i18n.T("oauth.op.revoke", "revoke the sign-in"), ErrNoAnswer)
		}
		if ctx.Err() != nil {
			return ErrCancelled
		}
		return tokenError(i18n.T("oauth.op.revoke", "revoke the sign-in"), err, refreshToken, p.ClientSecret)
	}
	resp.Body.Close()
	// RFC 7009 §2.2: 200 also for a token the server no longer knows.
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", i18n.T("oauth.op.revoke", "revoke the sign-in"), i18n.T("oauth.err.answered_http", "{{.Provider}} answered HTTP {{.Status}}", map[string]any{"Provider": p.Kind.Name(), "Status": resp.StatusCode}))
	}
	return nil
}

// SignedOut is what Manager.SignOut did at the provider.
type SignedOut struct {
	// Revoked: the provider confirmed the revocation.
	Revoked bool
	// RevokeErr says why the sign-in was not revoked (ErrNoRevocation for
	// a provider without revocation, a network error, no saved sign-in to
	// revoke: ErrSignInAgain), or nil when Revoked.
	RevokeErr error
}

// RevokeTimeout bounds the revocation of a sign-out: the sign-in is
// already deleted from the keyring then, so waiting longer for the
// provider gains little.
const RevokeTimeout = 15 * time.Second

// revokeBounded is Revoke under RevokeTimeout (and ctx).
func revokeBounded(ctx context.Context, p *Provider, tok string) error {
	rctx, cancel := context.WithTimeout(ctx, RevokeTimeout)
	defer cancel()
	return Revoke(rctx, p, tok)
}

// SignOut ends the account's sign-in: it deletes every keyring entry of
// the account (the refresh token and its split parts, the client secret)
// and the access token in memory, then revokes the refresh token, held in
// memory, where the provider can (p may be nil when the account's provider
// could not be resolved: nothing is revoked then), under RevokeTimeout.
// The account's settings stay. The error is the keyring's: the sign-in may
// still be saved, and nothing was revoked.
func (m *Manager) SignOut(ctx context.Context, id string, p *Provider) (SignedOut, error) {
	var out SignedOut
	tok, _, _, terr := m.secrets.RefreshToken(ctx, id)
	m.mu.Lock()
	s := m.byID[id]
	m.mu.Unlock()
	if s != nil { // a composer holding it sees NeedsSignIn and SignedOut
		s.mu.Lock()
		s.access, s.again, s.signedOut = nil, true, true
		s.mu.Unlock()
	}
	if err := m.secrets.Delete(ctx, id); err != nil {
		if s != nil { // as Session.SignOut: no refresh finds the old token
			s.mu.Lock()
			s.undeleted = true
			s.mu.Unlock()
		}
		return out, fmt.Errorf("%s: %w", i18n.T("oauth.op.forget", "forget the sign-in of account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}), account.AboutSignIn(err))
	}
	switch {
	case terr != nil:
		out.RevokeErr = fmt.Errorf("%w (%v)", ErrSignInAgain, terr)
	case p == nil:
		out.RevokeErr = errors.New(i18n.T("oauth.err.settings_unreadable", "the provider's settings could not be read"))
	default:
		out.RevokeErr = revokeBounded(ctx, p, tok)
		out.Revoked = out.RevokeErr == nil
	}
	return out, nil
}
