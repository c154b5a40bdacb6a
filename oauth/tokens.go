package oauth

import (
	"context"
	"time"

	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/smtpclient"
)

// Tokens is what a finished sign-in hands out (SignIn.WaitTokens,
// DeviceSignIn.WaitTokens): the provider's refresh and access tokens,
// kept with Session.CompleteTokens. Unlike x/oauth2's *oauth2.Token, which
// %v prints whole, it never prints a token: String and GoString show a
// mask. Extra reads the answer's other fields (id_token,
// refresh_token_expires_in).
type Tokens struct {
	// tok is behind a pointer and unexported: a struct holding Tokens
	// prints an address, not the tokens.
	tok *oauth2.Token
}

// String hides the tokens.
func (t *Tokens) String() string { return "oauth.Tokens{" + smtpclient.Mask + "}" }

// GoString hides the tokens from %#v too.
func (t *Tokens) GoString() string { return t.String() }

// Extra is a field of the provider's token answer other than the tokens
// (oauth2.Token.Extra), or nil.
func (t *Tokens) Extra(key string) any {
	if t == nil || t.tok == nil {
		return nil
	}
	return t.tok.Extra(key)
}

// Expiry is when the access token stops working (zero: not said).
func (t *Tokens) Expiry() time.Time {
	if t == nil || t.tok == nil {
		return time.Time{}
	}
	return t.tok.Expiry
}

func wrapTokens(tok *oauth2.Token, err error) (*Tokens, error) {
	if err != nil {
		return nil, err
	}
	return &Tokens{tok: tok}, nil
}

// WaitTokens is Wait, with the tokens wrapped so that they never print.
func (s *SignIn) WaitTokens(ctx context.Context) (*Tokens, error) { return wrapTokens(s.Wait(ctx)) }

// WaitTokens is Wait, with the tokens wrapped so that they never print.
func (d *DeviceSignIn) WaitTokens(ctx context.Context) (*Tokens, error) {
	return wrapTokens(d.Wait(ctx))
}

// CompleteTokens is Complete for the tokens of WaitTokens.
func (s *Session) CompleteTokens(ctx context.Context, t *Tokens) (account.PasswordLocation, error) {
	if t == nil {
		return account.LocationNone, ErrNoRefreshToken
	}
	return s.Complete(ctx, t.tok)
}
