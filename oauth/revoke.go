package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrNoRevocation: the provider has no revocation endpoint (Microsoft), so
// signing out can only forget the sign-in on this computer; the person
// revokes Stamp's access in their account's security settings.
var ErrNoRevocation = errors.New("the provider offers no way for an app to end its sign-in")

// revokeTimeout bounds a revocation request when ctx has no deadline.
const revokeTimeout = 30 * time.Second

// Revoke asks the provider to end the sign-in of refresh token tok (RFC
// 7009, token_type_hint=refresh_token), authenticating as the provider's
// client (the secret in the header when there is one, else client_id in
// the form). ErrNoRevocation when the provider has no revocation endpoint.
// The token never appears in the returned error.
func Revoke(ctx context.Context, p *Provider, tok string) error {
	if p.RevocationURL == "" {
		return ErrNoRevocation
	}
	if err := checkEndpoint(p.RevocationURL); err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, revokeTimeout)
		defer cancel()
	}
	form := url.Values{"token": {tok}, "token_type_hint": {"refresh_token"}}
	if p.ClientSecret == "" {
		form.Set("client_id", p.ClientID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.RevocationURL, strings.NewReader(form.Encode()))
	if err != nil {
		return wrapShown("revoke the sign-in", err, []string{tok, p.ClientSecret})
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if p.ClientSecret != "" {
		req.SetBasicAuth(url.QueryEscape(p.ClientID), url.QueryEscape(p.ClientSecret))
	}
	resp, err := p.httpClient().Do(req)
	if err != nil {
		return wrapShown("revoke the sign-in", err, []string{tok, p.ClientSecret})
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<10))
	if resp.StatusCode == http.StatusOK {
		return nil // RFC 7009: also for a token the server no longer knows
	}
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if jsonErr := json.Unmarshal(body, &e); jsonErr == nil && e.Error != "" {
		return fmt.Errorf("revoke the sign-in: %w", providerError(e.Error, e.Description, []string{tok, p.ClientSecret}))
	}
	return fmt.Errorf("revoke the sign-in: the provider answered HTTP %d", resp.StatusCode)
}
