package oauth_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

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
	p, err := oauth.Resolve(context.Background(), oauth.Settings{Kind: oauth.Custom, Issuer: srv.Issuer,
		ClientID: oauthtest.ClientID, Scopes: oauthtest.Scopes}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := oauth.Start(p, oauth.Options{})
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
