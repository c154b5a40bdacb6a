package oauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"stamp/i18n"
	"stamp/smtpclient"
)

// DeviceSignIn is a sign-in on another device (RFC 8628): show UserCode and
// VerificationURI, then call Wait. Offered by Microsoft and custom
// providers with a device endpoint; never by Google, which refuses it for
// mail.
type DeviceSignIn struct {
	p  *Provider
	da *oauth2.DeviceAuthResponse
}

// UserCode is the code the person types on the other device, made
// printable (smtpclient.Printable): a line feed or a bidi override in it is
// shown as an escape, never acted on.
func (d *DeviceSignIn) UserCode() string { return smtpclient.Printable(d.da.UserCode) }

// VerificationURI is where they type it: an https address (plain http only
// to a loopback IP, for tests) with no user name, control, format or space
// character in it; StartDevice refuses any other.
func (d *DeviceSignIn) VerificationURI() string { return d.da.VerificationURI }

// VerificationURIComplete is VerificationURI with the code filled in, when
// the provider sends one (for a QR code); checked like VerificationURI.
func (d *DeviceSignIn) VerificationURIComplete() string { return d.da.VerificationURIComplete }

// Expiry is when the code stops working.
func (d *DeviceSignIn) Expiry() time.Time { return d.da.Expiry }

// StartDevice asks the provider for a device code.
func StartDevice(ctx context.Context, p *Provider) (*DeviceSignIn, error) {
	if p == nil || p.ClientID == "" {
		kind := Custom
		if p != nil {
			kind = p.Kind
		}
		return nil, &NoClientIDError{Kind: kind}
	}
	if !p.Device() {
		return nil, ErrDeviceUnsupported
	}
	da, err := p.config("").DeviceAuth(p.withClient(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ErrCancelled
		}
		return nil, tokenError(i18n.T("oauth.op.device_code", "ask for a device code"), err, p.ClientSecret)
	}
	if err := checkVerificationURI(da.VerificationURI, da.DeviceCode, p.ClientSecret); err != nil {
		return nil, err
	}
	if da.VerificationURIComplete != "" { // optional
		if err := checkVerificationURI(da.VerificationURIComplete, da.DeviceCode, p.ClientSecret); err != nil {
			return nil, err
		}
	}
	return &DeviceSignIn{p: p, da: da}, nil
}

// checkVerificationURI refuses an address to show the person that is not
// plainly a web address: not https (plain http only to a loopback IP, for
// tests), with a user name ("https://login.microsoft.com@evil.example"),
// or with a space, control or format character (a right-to-left override
// spells "https://evil.example" backwards as something else).
func checkVerificationURI(raw string, secrets ...string) error {
	shown := safeText(raw, secrets)
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return errors.New(i18n.T("oauth.err.device_no_uri", "the provider sent no address for signing in on another device"))
	case err != nil || u.Host == "" || shown != raw || strings.ContainsAny(raw, " \t"):
		return errors.New(i18n.T("oauth.err.device_uri_not_plain", "the provider's address for signing in on another device, {{.URI}}, is not a plain web address; sign-in refused", map[string]any{"URI": shown}))
	case u.User != nil:
		return errors.New(i18n.T("oauth.err.device_uri_user", "the provider's address for signing in on another device, {{.URI}}, holds a user name before the host, a way to disguise an address; sign-in refused", map[string]any{"URI": shown}))
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && net.ParseIP(u.Hostname()) != nil && net.ParseIP(u.Hostname()).IsLoopback():
		return nil
	}
	return errors.New(i18n.T("oauth.err.device_uri_http", "the provider's address for signing in on another device, {{.URI}}, does not use https; sign-in refused", map[string]any{"URI": shown}))
}

// Wait polls until the person has signed in on the other device, the code
// expires (ErrTimedOut), they decline (ErrCancelled) or ctx is cancelled
// (ErrCancelled). Prefer WaitTokens, whose Tokens never print.
func (d *DeviceSignIn) Wait(ctx context.Context) (*oauth2.Token, error) {
	tok, err := d.p.config("").DeviceAccessToken(d.p.withClient(ctx), d.da)
	if err != nil {
		var re *oauth2.RetrieveError
		switch {
		case ctx.Err() != nil:
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, ErrTimedOut
			}
			return nil, ErrCancelled
		case errors.Is(err, context.DeadlineExceeded):
			return nil, fmt.Errorf("%w (%s)", ErrTimedOut, i18n.T("oauth.err.code_expired", "the code expired"))
		case errors.As(err, &re) && re.ErrorCode == "expired_token":
			return nil, fmt.Errorf("%w (%s)", ErrTimedOut, i18n.T("oauth.err.code_expired", "the code expired"))
		}
		return nil, tokenError(i18n.T("oauth.op.device_sign_in", "sign in on another device"), err, d.da.DeviceCode, d.p.ClientSecret)
	}
	if tok.RefreshToken == "" {
		return nil, ErrNoRefreshToken
	}
	return tok, nil
}
