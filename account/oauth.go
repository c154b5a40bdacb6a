package account

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"stamp/i18n"
)

// OAuthProvider names a sign-in provider profile; the values are those of
// oauth.Kind.
type OAuthProvider string

const (
	// OAuthGoogle is Gmail and Google Workspace.
	OAuthGoogle OAuthProvider = "google"
	// OAuthMicrosoft is Outlook.com, Hotmail, Live and Microsoft 365.
	OAuthMicrosoft OAuthProvider = "microsoft"
	// OAuthCustom is any other authorization server, with the admin's own
	// client.
	OAuthCustom OAuthProvider = "custom"
)

// OAuthSettings are an account's OAuth 2 sign-in settings, as kept in the
// settings file. Empty fields take the provider profile's defaults (see
// package oauth, whose oauth.SettingsFor turns them into oauth.Settings).
//
// The client secret is not here: it is a secret, kept in the keyring
// beside the account's entry (Secrets.SaveClientSecret), because every
// refresh of the sign-in needs it, not only the sign-in itself.
type OAuthSettings struct {
	// Provider is google, microsoft or custom.
	Provider OAuthProvider `json:"provider"`
	// ClientID overrides Stamp's built-in client ID (admins who allow only
	// approved apps register their own); required for custom.
	ClientID string `json:"client_id,omitempty"`
	// Tenant is Microsoft's tenant: "common" when empty, "consumers",
	// "organizations", a domain or a tenant ID.
	Tenant string `json:"tenant,omitempty"`
	// Issuer, for custom, is where the endpoints are discovered (OpenID
	// Connect / RFC 8414) when AuthURL and TokenURL are not given.
	Issuer string `json:"issuer,omitempty"`
	// AuthURL, TokenURL, DeviceAuthURL and RevocationURL, for custom.
	AuthURL       string `json:"auth_url,omitempty"`
	TokenURL      string `json:"token_url,omitempty"`
	DeviceAuthURL string `json:"device_auth_url,omitempty"`
	RevocationURL string `json:"revocation_url,omitempty"`
	// Scopes replace the profile's scopes; required for custom.
	Scopes []string `json:"scopes,omitempty"`
}

// ParseOAuthProvider accepts google, microsoft or custom in any case.
func ParseOAuthProvider(s string) (OAuthProvider, error) {
	p := OAuthProvider(strings.ToLower(strings.TrimSpace(s)))
	switch p {
	case OAuthGoogle, OAuthMicrosoft, OAuthCustom:
		return p, nil
	}
	return "", errors.New(i18n.T("account.invalid.oauth_provider_unknown", "unknown sign-in provider {{.Provider}}: use google, microsoft or custom", map[string]any{"Provider": fmt.Sprintf("%q", s)}))
}

// UsesOAuth reports whether the account signs in with OAuth 2 instead of a
// password.
func (a Account) UsesOAuth() bool { return a.OAuth != nil }

// validateOAuth adds the problems of a.OAuth.
func (a Account) validateOAuth(add func(field, format string, args ...any)) {
	o := a.OAuth
	if o == nil {
		return
	}
	say := func(field, text string) { add(field, "%s", text) } // a translated reason
	if _, err := ParseOAuthProvider(string(o.Provider)); err != nil || string(o.Provider) != strings.ToLower(string(o.Provider)) {
		say("oauth.provider", i18n.T("account.invalid.oauth_provider", "{{.Value}} is not google, microsoft or custom", map[string]any{"Value": fmt.Sprintf("%q", o.Provider)}))
	}
	switch a.EffectiveAuth() {
	case AuthAuto, AuthXOAUTH2, AuthOAuthBearer:
	default:
		say("auth", i18n.T("account.invalid.oauth_auth", "an account that signs in with OAuth 2 logs in with xoauth2 or oauthbearer (or auto), not {{.Auth}}", map[string]any{"Auth": a.Auth}))
	}
	for name, v := range map[string]string{"oauth.client_id": o.ClientID, "oauth.tenant": o.Tenant} {
		if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			say(name, i18n.T("account.invalid.control_chars", "may not contain line breaks or control characters"))
		}
	}
	if strings.ContainsAny(o.Tenant, "/?#% ") {
		say("oauth.tenant", i18n.T("account.invalid.tenant", "{{.Value}} is not a tenant name, domain or ID", map[string]any{"Value": fmt.Sprintf("%q", o.Tenant)}))
	}
	for _, f := range []struct{ name, url string }{{"oauth.issuer", o.Issuer}, {"oauth.auth_url", o.AuthURL},
		{"oauth.token_url", o.TokenURL}, {"oauth.device_auth_url", o.DeviceAuthURL}, {"oauth.revocation_url", o.RevocationURL}} {
		if f.url == "" {
			continue
		}
		if err := checkOAuthURL(f.url); err != nil {
			add(f.name, "%s", err)
		}
	}
	for _, s := range o.Scopes {
		if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= 0x20 || r == 0x7f }) {
			say("oauth.scopes", i18n.T("account.invalid.scope", "{{.Value}} is not a scope (no spaces or control characters)", map[string]any{"Value": fmt.Sprintf("%q", s)}))
			break
		}
	}
	if o.Provider == OAuthCustom {
		if strings.TrimSpace(o.ClientID) == "" {
			say("oauth.client_id", i18n.T("account.invalid.custom_client_id", "a custom provider needs the client ID its admin registered"))
		}
		if o.Issuer == "" && (o.AuthURL == "" || o.TokenURL == "") {
			say("oauth.issuer", i18n.T("account.invalid.custom_issuer", "a custom provider needs an issuer, or the authorization and token endpoints"))
		}
		if len(o.Scopes) == 0 {
			say("oauth.scopes", i18n.T("account.invalid.custom_scopes", "a custom provider needs the scopes that allow sending mail (ask the provider)"))
		}
	}
	if o.Provider != OAuthCustom && (o.Issuer != "" || o.AuthURL != "" || o.TokenURL != "" || o.DeviceAuthURL != "" || o.RevocationURL != "") {
		say("oauth.issuer", i18n.T("account.invalid.builtin_endpoints", "endpoints and issuers are for a custom provider only; {{.Provider}}'s are built in", map[string]any{"Provider": o.Provider}))
	}
	if o.Provider != OAuthMicrosoft && o.Tenant != "" {
		say("oauth.tenant", i18n.T("account.invalid.tenant_microsoft_only", "only Microsoft has tenants"))
	}
}

// checkOAuthURL allows https, and plain http only to a loopback address.
func checkOAuthURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New(i18n.T("account.invalid.not_web_address", "{{.URL}} is not a web address", map[string]any{"URL": fmt.Sprintf("%q", raw)}))
	}
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" {
		h := u.Hostname()
		if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() || strings.EqualFold(h, "localhost") {
			return nil
		}
	}
	return errors.New(i18n.T("account.invalid.needs_https", "{{.URL}} must use https", map[string]any{"URL": fmt.Sprintf("%q", raw)}))
}

// ClientSecretName is the keyring user name of the account's OAuth 2
// client secret. Account IDs cannot contain "/", so it never names an
// account.
func ClientSecretName(id string) string { return id + "/oauth2-client-secret" }

// SaveClientSecret keeps the OAuth 2 client secret of the account's own
// client (an admin's registration) in the keyring, beside the account's
// entry; an empty secret deletes it. Unlike a password it has no fallback
// for this session: it is returned as an error.
func (s *Secrets) SaveClientSecret(ctx context.Context, id, secret string) error {
	if err := ValidateID(id); err != nil {
		return err
	}
	name := ClientSecretName(id)
	if secret == "" {
		err := s.call(ctx, "delete", func() error { return s.backend.Delete(KeyringService, name) })
		if errors.Is(err, ErrNoSecret) {
			return nil
		}
		return err
	}
	return s.call(ctx, "save", func() error { return s.backend.Set(KeyringService, name, secret) })
}

// ClientSecret returns the account's OAuth 2 client secret, or "" with a
// nil error when none is saved.
func (s *Secrets) ClientSecret(ctx context.Context, id string) (string, error) {
	if err := ValidateID(id); err != nil {
		return "", err
	}
	var v string
	err := s.call(ctx, "read", func() error {
		var err error
		v, err = s.backend.Get(KeyringService, ClientSecretName(id))
		return err
	})
	switch {
	case errors.Is(err, ErrNoSecret):
		return "", nil
	case err != nil:
		// v only after call returned fn's answer: on a time-out or a
		// cancel, fn may still be writing it.
		return "", err
	}
	return v, nil
}
