package oauth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"stamp/oauth"
	"stamp/oauth/oauthtest"
)

func TestRevokeEndsTheSignInOnTheServer(t *testing.T) {
	srv := oauthtest.Start(t)
	p := provider(t, srv)
	if p.RevocationURL == "" {
		t.Fatal("the test server's discovery names no revocation endpoint")
	}
	tok := signIn(t, srv, p)
	ctx := context.Background()
	if !srv.RefreshTokenActive(ctx, tok.RefreshToken) {
		t.Fatal("the fresh refresh token is not active before revoking")
	}
	if err := oauth.Revoke(ctx, p, tok.RefreshToken); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if srv.RefreshTokenActive(ctx, tok.RefreshToken) {
		t.Fatal("the server still knows the refresh token after Revoke")
	}
	// Revoking again is no error (RFC 7009: an unknown token is fine).
	if err := oauth.Revoke(ctx, p, tok.RefreshToken); err != nil {
		t.Fatalf("Revoke of a revoked token: %v", err)
	}
}

func TestRevokeWithoutEndpointSaysSo(t *testing.T) {
	p, err := oauth.Resolve(context.Background(), oauth.Settings{Kind: oauth.Microsoft, ClientID: "cid"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := oauth.Revoke(context.Background(), p, "rt"); !errors.Is(err, oauth.ErrNoRevocation) {
		t.Fatalf("Revoke with Microsoft: %v, want ErrNoRevocation", err)
	}
}

func TestRevokeRefusedKeepsTheTokenOutOfTheError(t *testing.T) {
	srv := oauthtest.Start(t)
	p := provider(t, srv)
	p.ClientID = "no-such-client"
	p.ClientSecret = "wrong-secret-xyz"
	const tok = "refresh-token-that-must-not-show"
	err := oauth.Revoke(context.Background(), p, tok)
	if err == nil {
		t.Fatal("an unknown client's revocation was accepted")
	}
	if strings.Contains(err.Error(), tok) || strings.Contains(err.Error(), p.ClientSecret) {
		t.Fatalf("the error shows a secret: %v", err)
	}
}
