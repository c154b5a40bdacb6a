package oauth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"stamp/i18n"
	"stamp/smtpclient"
)

// Kind names a provider profile.
type Kind string

const (
	// Google: Gmail and Google Workspace.
	Google Kind = "google"
	// Microsoft: Outlook.com, Hotmail, Live and Microsoft 365.
	Microsoft Kind = "microsoft"
	// Custom: any other authorization server, with the admin's own client.
	Custom Kind = "custom"
)

// Name is the provider's name for a person.
func (k Kind) Name() string {
	switch k {
	case Google:
		return "Google"
	case Microsoft:
		return "Microsoft"
	case Custom:
		return i18n.T("oauth.kind.custom", "your provider")
	}
	return string(k)
}

// Stamp's own client IDs, set at build time, for example
//
//	go build -ldflags "-X stamp/oauth.GoogleClientID=… -X stamp/oauth.GoogleClientSecret=… -X stamp/oauth.MicrosoftClientID=…"
//
// They are empty in a development build. Never put another application's
// client ID here.
var (
	// GoogleClientID is Stamp's "Desktop app" client on Google Cloud.
	GoogleClientID string
	// GoogleClientSecret goes with GoogleClientID. Google's token endpoint
	// wants it from desktop apps although it is not confidential.
	GoogleClientSecret string
	// MicrosoftClientID is Stamp's public client in Microsoft Entra.
	MicrosoftClientID string
)

// DefaultTenant is the Microsoft tenant used when an account names none:
// both personal and work or school accounts.
const DefaultTenant = "common"

// RedirectPath is the path of the loopback redirect URI,
// http://127.0.0.1:PORT/callback. Register http://127.0.0.1/callback with
// the provider (the port is chosen at each sign-in).
const RedirectPath = "/callback"

// Settings are an account's sign-in settings, as the person or admin
// entered them. Empty fields take the profile's defaults.
type Settings struct {
	Kind Kind `json:"kind"`
	// ClientID and ClientSecret override Stamp's built-in client (admins
	// who allow only approved apps register their own).
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"-"`
	// Tenant is Microsoft's tenant: "common" (default), "consumers",
	// "organizations", a domain or a tenant ID.
	Tenant string `json:"tenant,omitempty"`
	// Issuer, for Custom, is looked up with OpenID Connect / RFC 8414
	// discovery when the endpoints are not given.
	Issuer string `json:"issuer,omitempty"`
	// AuthURL, TokenURL, DeviceAuthURL and RevocationURL, for Custom.
	AuthURL       string `json:"auth_url,omitempty"`
	TokenURL      string `json:"token_url,omitempty"`
	DeviceAuthURL string `json:"device_auth_url,omitempty"`
	RevocationURL string `json:"revocation_url,omitempty"`
	// Scopes replace the profile's scopes (required for Custom).
	Scopes []string `json:"scopes,omitempty"`
}

// Provider is a resolved profile: endpoints, scopes and client.
type Provider struct {
	Kind     Kind
	Endpoint oauth2.Endpoint
	// RevocationURL is the RFC 7009 endpoint, or "" when the provider has
	// none (Microsoft).
	RevocationURL string
	Scopes        []string
	// AuthParams are extra parameters of the authorization request
	// (Google: access_type=offline, prompt=consent).
	AuthParams   url.Values
	ClientID     string
	ClientSecret string
	// Issuer is the authorization server's issuer identifier, when known:
	// an iss parameter in the redirect (RFC 9207) must equal it.
	Issuer string
	// RequireIss: the server announced it always sends iss
	// (authorization_response_iss_parameter_supported).
	RequireIss bool
	// HTTPClient's Transport makes the token, device and revocation
	// requests (nil: http.DefaultTransport). Whatever its CheckRedirect,
	// those requests never follow a redirect (ErrRedirected).
	HTTPClient *http.Client
	// Timeout bounds each token, device and revocation request; 0 means
	// DefaultRequestTimeout. A request that runs out is ErrNoAnswer.
	Timeout time.Duration
}

// String hides the client secret: printing a Provider with fmt (%v, %+v,
// %s) shows its kind, client ID and token endpoint.
func (p Provider) String() string {
	return "oauth.Provider{" + string(p.Kind) + ", client " + p.ClientID + clientSecretNote(p.ClientSecret) +
		", token endpoint " + p.Endpoint.TokenURL + "}"
}

// GoString hides the client secret from %#v too.
func (p Provider) GoString() string { return p.String() }

// String hides the client secret: printing Settings with fmt shows the
// kind, client ID, tenant and issuer.
func (s Settings) String() string {
	return "oauth.Settings{" + string(s.Kind) + ", client " + s.ClientID + clientSecretNote(s.ClientSecret) +
		", tenant " + s.Tenant + ", issuer " + s.Issuer + "}"
}

// GoString hides the client secret from %#v too.
func (s Settings) GoString() string { return s.String() }

func clientSecretNote(secret string) string {
	if secret == "" {
		return ""
	}
	return ", client secret " + smtpclient.Mask
}

// Device reports whether the provider offers the device-code grant.
func (p *Provider) Device() bool { return p.Kind != Google && p.Endpoint.DeviceAuthURL != "" }

// config is the x/oauth2 configuration for a redirect URL.
func (p *Provider) config(redirectURL string) *oauth2.Config {
	ep := p.Endpoint
	if ep.AuthStyle == oauth2.AuthStyleAutoDetect {
		// Say it: auto-detection retries a refused request the other way,
		// which turns a device grant's authorization_pending into a failure.
		ep.AuthStyle = oauth2.AuthStyleInHeader
		if p.ClientSecret == "" {
			ep.AuthStyle = oauth2.AuthStyleInParams // public client: client_id in the form
		}
	}
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: ep,
		RedirectURL: redirectURL, Scopes: p.Scopes}
}

// Detect chooses the profile from the account's address and SMTP server,
// as the presets do; "" when neither says.
func Detect(address, host string) Kind {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	switch host {
	case "smtp.gmail.com", "smtp.googlemail.com", "smtp-relay.gmail.com":
		return Google
	case "smtp.office365.com", "smtp-mail.outlook.com", "smtp.outlook.com", "outlook.office365.com":
		return Microsoft
	}
	domain := ""
	if a, err := mail.ParseAddress(address); err == nil {
		address = a.Address
	}
	if i := strings.LastIndexByte(address, '@'); i >= 0 {
		domain = strings.ToLower(address[i+1:])
	}
	switch domain {
	case "gmail.com", "googlemail.com":
		return Google
	case "outlook.com", "hotmail.com", "live.com", "msn.com", "passport.com":
		return Microsoft
	}
	for _, prefix := range []string{"hotmail.", "outlook.", "live."} {
		rest, ok := strings.CutPrefix(domain, prefix)
		if !ok {
			continue
		}
		// hotmail.fr, hotmail.co.uk, outlook.com.br; not hotmail.evil.example.
		if !strings.Contains(rest, ".") || strings.HasPrefix(rest, "co.") && strings.Count(rest, ".") == 1 ||
			strings.HasPrefix(rest, "com.") && strings.Count(rest, ".") == 1 {
			return Microsoft
		}
	}
	return ""
}

// Resolve turns settings into a provider: the profile's endpoints and
// scopes, the account's client or Stamp's built-in one, and for Custom
// with an Issuer, discovery. client makes the discovery request (nil:
// http.DefaultClient) and becomes the provider's HTTPClient. With no client
// ID anywhere the error is a *NoClientIDError.
func Resolve(ctx context.Context, s Settings, client *http.Client) (*Provider, error) {
	p := &Provider{Kind: s.Kind, ClientID: strings.TrimSpace(s.ClientID), ClientSecret: s.ClientSecret,
		HTTPClient: client, Scopes: s.Scopes}
	switch s.Kind {
	case Google:
		if p.ClientID == "" {
			p.ClientID, p.ClientSecret = GoogleClientID, GoogleClientSecret
		}
		p.Endpoint = oauth2.Endpoint{
			AuthURL:  "https://accounts.google.com/o/oauth2/auth",
			TokenURL: "https://oauth2.googleapis.com/token",
		}
		p.RevocationURL = "https://oauth2.googleapis.com/revoke"
		p.Issuer = "https://accounts.google.com"
		if len(p.Scopes) == 0 {
			p.Scopes = []string{"https://mail.google.com/"}
		}
		// Without both, Google sends no refresh token on a second sign-in.
		p.AuthParams = url.Values{"access_type": {"offline"}, "prompt": {"consent"}}
	case Microsoft:
		if p.ClientID == "" {
			p.ClientID = MicrosoftClientID
		}
		tenant := strings.TrimSpace(s.Tenant)
		if tenant == "" {
			tenant = DefaultTenant
		}
		if strings.ContainsAny(tenant, "/?#% ") {
			return nil, errors.New(i18n.T("oauth.err.tenant", "the Microsoft tenant {{.Tenant}} is not a tenant name, domain or ID", map[string]any{"Tenant": fmt.Sprintf("%q", tenant)}))
		}
		base := "https://login.microsoftonline.com/" + url.PathEscape(tenant) + "/oauth2/v2.0/"
		p.Endpoint = oauth2.Endpoint{AuthURL: base + "authorize", TokenURL: base + "token",
			DeviceAuthURL: base + "devicecode"}
		if len(p.Scopes) == 0 {
			p.Scopes = []string{"https://outlook.office.com/SMTP.Send", "offline_access"}
		}
	case Custom:
		p.Endpoint = oauth2.Endpoint{AuthURL: s.AuthURL, TokenURL: s.TokenURL, DeviceAuthURL: s.DeviceAuthURL}
		p.RevocationURL = s.RevocationURL
		p.Issuer = strings.TrimSpace(s.Issuer)
		if p.Issuer != "" && (p.Endpoint.AuthURL == "" || p.Endpoint.TokenURL == "") {
			m, err := Discover(ctx, client, p.Issuer)
			if err != nil {
				return nil, err
			}
			p.Endpoint = oauth2.Endpoint{AuthURL: m.AuthorizationEndpoint, TokenURL: m.TokenEndpoint,
				DeviceAuthURL: m.DeviceAuthorizationEndpoint}
			if p.RevocationURL == "" {
				p.RevocationURL = m.RevocationEndpoint
			}
			p.RequireIss = m.IssParameterSupported
		}
		if p.Endpoint.AuthURL == "" || p.Endpoint.TokenURL == "" {
			return nil, errors.New(i18n.T("oauth.err.custom_endpoints", "a custom sign-in needs the authorization and token endpoints, or an issuer to discover them from"))
		}
		for _, u := range []string{p.Endpoint.AuthURL, p.Endpoint.TokenURL, p.Endpoint.DeviceAuthURL, p.RevocationURL} {
			if u != "" {
				if err := checkEndpoint(u); err != nil {
					return nil, err
				}
			}
		}
		if len(p.Scopes) == 0 {
			return nil, errors.New(i18n.T("oauth.err.custom_scopes", "a custom sign-in needs the scopes that allow sending mail (ask the provider)"))
		}
	default:
		return nil, errors.New(i18n.T("oauth.err.unknown_provider", "unknown sign-in provider {{.Provider}} (google, microsoft or custom)", map[string]any{"Provider": fmt.Sprintf("%q", string(s.Kind))}))
	}
	if p.ClientID == "" {
		return nil, &NoClientIDError{Kind: s.Kind}
	}
	return p, nil
}

// checkEndpoint allows https, and plain http only to a loopback address
// (tests, a local server).
func checkEndpoint(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New(i18n.T("oauth.err.endpoint_not_url", "the sign-in endpoint {{.URL}} is not a web address", map[string]any{"URL": fmt.Sprintf("%q", raw)}))
	}
	if u.Scheme == "https" || u.Scheme == "http" && isLoopbackHost(u.Hostname()) {
		return nil
	}
	return errors.New(i18n.T("oauth.err.endpoint_http", "the sign-in endpoint {{.URL}} must use https", map[string]any{"URL": fmt.Sprintf("%q", raw)}))
}
