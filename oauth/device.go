package oauth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// DeviceSignIn is a sign-in on another device (RFC 8628): show UserCode and
// VerificationURI, then call Wait. Offered by Microsoft and custom
// providers with a device endpoint; never by Google, which refuses it for
// mail.
type DeviceSignIn struct {
	p  *Provider
	da *oauth2.DeviceAuthResponse
}

// UserCode is the code the person types on the other device.
func (d *DeviceSignIn) UserCode() string { return d.da.UserCode }

// VerificationURI is where they type it.
func (d *DeviceSignIn) VerificationURI() string { return d.da.VerificationURI }

// VerificationURIComplete is VerificationURI with the code filled in, when
// the provider sends one (for a QR code).
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
		return nil, tokenError("ask for a device code", err)
	}
	return &DeviceSignIn{p: p, da: da}, nil
}

// Wait polls until the person has signed in on the other device, the code
// expires (ErrTimedOut), they decline (ErrCancelled) or ctx is cancelled
// (ErrCancelled).
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
			return nil, fmt.Errorf("%w (the code expired)", ErrTimedOut)
		case errors.As(err, &re) && re.ErrorCode == "expired_token":
			return nil, fmt.Errorf("%w (the code expired)", ErrTimedOut)
		}
		return nil, tokenError("sign in on another device", err)
	}
	if tok.RefreshToken == "" {
		return nil, ErrNoRefreshToken
	}
	return tok, nil
}
