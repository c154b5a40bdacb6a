package oauth_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
)

// TestAttackASignInPrintsItsPKCEVerifier: *oauth.SignIn holds the PKCE
// verifier (and state) in plain string fields and has no String method, so
// t.Logf("%+v", s) or a log line of the value prints them. The token
// holders (AccessToken, OAuth2Token, Provider, Settings) mask themselves;
// this one does not. The verifier is checked against the challenge in the
// sign-in link (S256), so the test knows it found the real one.
func TestAttackASignInPrintsItsPKCEVerifier(t *testing.T) {
	srv := oauthtest.Start(t)
	s, err := oauth.Start(provider(t, srv), oauth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	au, _ := url.Parse(s.AuthURL())
	state := au.Query().Get("state")
	challenge := au.Query().Get("code_challenge")
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		out := fmt.Sprintf(verb, s)
		if strings.Contains(out, state) {
			t.Errorf("*oauth.SignIn printed with %s shows its state", verb)
		}
		for _, f := range strings.FieldsFunc(out, func(r rune) bool { return r == ' ' || r == '"' || r == ':' || r == '{' || r == '}' }) {
			if oauth2.S256ChallengeFromVerifier(f) == challenge {
				t.Errorf("*oauth.SignIn printed with %s shows its PKCE verifier", verb)
			}
		}
	}
}

// TestTokensFromASignInNeverPrint: the tokens a finished sign-in hands
// out (WaitTokens) print as a mask with every verb, unlike x/oauth2's
// *oauth2.Token, and still keep the sign-in (CompleteTokens) and the
// answer's other fields (Extra).
func TestTokensFromASignInNeverPrint(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)
	s, err := oauth.Start(p, oauth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	type waited struct {
		tok *oauth.Tokens
		err error
	}
	ch := make(chan waited, 1)
	go func() { tok, err := s.WaitTokens(ctx); ch <- waited{tok, err} }()
	if _, _, _, err := srv.Login(ctx, s.AuthURL(), srv.Username(), oauthtest.Password, true); err != nil {
		t.Fatalf("Login: %v", err)
	}
	w := <-ch
	if w.err != nil {
		t.Fatal(w.err)
	}
	secrets := account.NewSecretsWith(account.NewMemoryKeyring())
	if _, err := oauth.NewManager(secrets).Session("me", p).CompleteTokens(ctx, w.tok); err != nil {
		t.Fatal(err)
	}
	rt, _, _, err := secrets.RefreshToken(ctx, "me")
	if err != nil || rt == "" {
		t.Fatalf("CompleteTokens kept no refresh token: %v", err)
	}
	holder := struct{ T *oauth.Tokens }{w.tok}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{w.tok, holder} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, rt) || strings.Contains(out, "eyJ") {
				t.Errorf("oauth.Tokens printed with %s shows a token: %s", verb, out)
			}
		}
	}
	if _, ok := w.tok.Extra("id_token").(string); !ok {
		t.Error("Extra(\"id_token\") lost the ID token the provider sent")
	}
}
