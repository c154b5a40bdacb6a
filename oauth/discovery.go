package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"

	"stamp/i18n"
	"stamp/smtpclient"
)

// Metadata is the part of an authorization server's metadata (OpenID
// Connect Discovery, RFC 8414) that Stamp uses.
type Metadata struct {
	Issuer                      string   `json:"issuer"`
	AuthorizationEndpoint       string   `json:"authorization_endpoint"`
	TokenEndpoint               string   `json:"token_endpoint"`
	DeviceAuthorizationEndpoint string   `json:"device_authorization_endpoint"`
	RevocationEndpoint          string   `json:"revocation_endpoint"`
	IntrospectionEndpoint       string   `json:"introspection_endpoint"`
	CodeChallengeMethods        []string `json:"code_challenge_methods_supported"`
	// IssParameterSupported: the server sends iss in every authorization
	// response (RFC 9207).
	IssParameterSupported bool `json:"authorization_response_iss_parameter_supported"`
}

// maxMetadata bounds a discovery document.
const maxMetadata = 256 << 10

// ParseMetadata reads a discovery document and checks that it is for
// issuer and names usable endpoints.
func ParseMetadata(data []byte, issuer string) (*Metadata, error) {
	var m Metadata
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("oauth.err.discovery_json", "the discovery document is not valid JSON"), err)
	}
	if strings.TrimSuffix(m.Issuer, "/") != strings.TrimSuffix(issuer, "/") {
		return nil, errors.New(i18n.T("oauth.err.discovery_issuer", "the discovery document is for the issuer {{.Got}}, not {{.Want}}",
			map[string]any{"Got": fmt.Sprintf("%q", smtpclient.Printable(m.Issuer)), "Want": fmt.Sprintf("%q", smtpclient.Printable(issuer))}))
	}
	if m.AuthorizationEndpoint == "" || m.TokenEndpoint == "" {
		return nil, errors.New(i18n.T("oauth.err.discovery_no_endpoints", "the discovery document names no authorization or token endpoint"))
	}
	for _, u := range []string{m.AuthorizationEndpoint, m.TokenEndpoint, m.DeviceAuthorizationEndpoint,
		m.RevocationEndpoint, m.IntrospectionEndpoint} {
		if u != "" {
			if err := checkEndpoint(u); err != nil {
				return nil, fmt.Errorf("%s: %w", i18n.T("oauth.err.discovery_document", "the discovery document"), err)
			}
		}
	}
	if len(m.CodeChallengeMethods) > 0 && !contains(m.CodeChallengeMethods, "S256") {
		return nil, errors.New(i18n.T("oauth.err.discovery_no_pkce", "the authorization server does not support PKCE with S256, which Stamp requires"))
	}
	return &m, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Discover fetches issuer's metadata: OpenID Connect Discovery first, then
// RFC 8414's oauth-authorization-server document.
func Discover(ctx context.Context, client *http.Client, issuer string) (*Metadata, error) {
	if err := checkEndpoint(issuer); err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("oauth.op.issuer", "issuer"), err)
	}
	if client == nil {
		client = &http.Client{Timeout: DefaultRequestTimeout}
	}
	base := strings.TrimSuffix(issuer, "/")
	var firstErr error
	for _, wk := range []string{"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"} {
		m, err := discoverOne(ctx, client, base+wk, issuer)
		if err == nil {
			return m, nil
		}
		if firstErr == nil || errors.Is(err, ErrProviderUnavailable) && !errors.Is(firstErr, ErrProviderUnavailable) {
			firstErr = err // a provider down for a moment says so, whichever document said it
		}
	}
	// The error may quote a certificate's names or a proxy's words: shown
	// printable, the original kept for errors.As.
	return nil, wrapShown(i18n.T("oauth.op.discover", "cannot discover the sign-in endpoints of {{.Issuer}}", map[string]any{"Issuer": issuer}), firstErr, nil)
}

func discoverOne(ctx context.Context, client *http.Client, u, issuer string) (*Metadata, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, statusError(u, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadata+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxMetadata {
		return nil, errors.New(i18n.T("oauth.err.discovery_too_large", "{{.URL}} is larger than {{.Size}} KiB", map[string]any{"URL": u, "Size": maxMetadata >> 10}))
	}
	return ParseMetadata(data, issuer)
}

// isLoopbackHost reports whether host is localhost or a loopback IP.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
