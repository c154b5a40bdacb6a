package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"stamp/i18n"
)

// DefaultRequestTimeout bounds each token, device and revocation request
// when Provider.Timeout is 0: a provider (or a proxy) that accepts the
// connection and never answers must not hold a send or a sign-out for
// ever.
const DefaultRequestTimeout = 30 * time.Second

// ErrRedirected: the provider answered a token, device or revocation
// request with a redirect. Stamp never follows one: the request's form
// holds the refresh token or the code and PKCE verifier, and following a
// 307/308 would send them to the new address, which nothing has checked
// (RFC 6749 gives the token endpoint no redirects).
var ErrRedirected = newTextError(i18n.M("oauth.err.redirected", "the sign-in server answered with a redirect, which Stamp does not follow for sign-in requests; check the endpoint's address"))

// ErrNoAnswer: the provider did not answer a token, device or revocation
// request within the time limit (Provider.Timeout, or the caller's
// context's deadline).
var ErrNoAnswer = newTextError(i18n.M("oauth.err.no_answer", "the sign-in server did not answer in time"))

// refuseRedirect is the CheckRedirect of the provider's requests: the
// redirect is not followed, so the body is not sent again. The error
// (a *url.Error) names the address the redirect pointed to.
func refuseRedirect(*http.Request, []*http.Request) error { return ErrRedirected }

// client is the HTTP client of every token, device and revocation request:
// the caller's Transport (Provider.HTTPClient: its proxy, its trusted CAs),
// never following redirects, under the request time limit.
func (p *Provider) client() *http.Client {
	c := &http.Client{CheckRedirect: refuseRedirect, Timeout: p.requestTimeout()}
	if p.HTTPClient != nil {
		c.Transport = p.HTTPClient.Transport
		c.Jar = p.HTTPClient.Jar
		if t := p.HTTPClient.Timeout; t > 0 && t < c.Timeout {
			c.Timeout = t
		}
	}
	return c
}

func (p *Provider) requestTimeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return DefaultRequestTimeout
}

// withClient puts the provider's HTTP client in the context for x/oauth2.
func (p *Provider) withClient(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, p.client())
}

// timedOut reports whether err is a request that ran out of time: the
// client's limit or ctx's deadline (not a cancel).
func timedOut(ctx context.Context, err error) bool {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return true
	}
	var ue *url.Error
	return errors.As(err, &ue) && ue.Timeout()
}
