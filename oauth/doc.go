// Package oauth signs a person in to their mail provider with OAuth 2 and
// keeps the sign-in alive: the authorization code grant with PKCE (S256)
// and state through a one-shot redirect listener on 127.0.0.1, Microsoft's
// device-code grant as a second way, provider profiles (Google, Microsoft,
// custom), and refresh tokens kept in the OS keyring (through
// account.Secrets) while access tokens stay in memory.
//
// A sign-in from the UI:
//
//	p, err := oauth.Resolve(ctx, settings, nil)     // *NoClientIDError: say how to get one
//	s, err := oauth.Start(p, oauth.Options{})       // listens on 127.0.0.1:0
//	app.OpenURL(s.AuthURL())                        // or offer "Copy the sign-in link"
//	tok, err := s.Wait(ctx)                         // ErrTimedOut, ErrCancelled, ...
//	loc, err := manager.Session(id, p).Complete(ctx, tok) // keeps the refresh token
//
// Sending with an account (both front ends): ProviderFor(ctx, account,
// secrets, nil) resolves its provider, then Send(ctx, session, cfg, env,
// msg, onEvent) gets a fresh token (the StepRefresh step), logs in with
// XOAUTH2 or OAUTHBEARER as EHLO offers, refreshes once and retries once
// when the server refuses the token, and returns a *SignInAgainError (no
// connection made) or an explained *AuthError.
//
// Signing out: Manager.SignOut(ctx, id, provider) revokes the refresh
// token where the provider can (Revoke, RFC 7009; ErrNoRevocation for
// Microsoft) and deletes the account's keyring entries. ExplainSignIn and
// ExplainSMTP word a failed sign-in and a server's refusal for a person.
//
// Session.Token returns a fresh access token, refreshing (and
// storing a rotated refresh token first) when it is about to expire;
// ErrSignInAgain says the person must sign in again. The token is an
// AccessToken, which prints as a mask; its Secret() goes into
// smtpclient.Config.OAuth2Token and nowhere else.
//
// The package never logs, prints or writes a token. Its errors are safe to
// show: every secret of the request (refresh token, authorization code,
// PKCE verifier, device code, client secret, access token) is masked out
// of them, in the forms a server may echo it in, and the provider's words,
// a certificate's names or a proxy's answer are made printable
// (smtpclient.Printable); a ProviderError's fields are kept that way.
// Provider, Settings and AccessToken print without their secrets.
package oauth
