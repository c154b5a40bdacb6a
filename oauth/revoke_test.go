package oauth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"stamp/account"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
)

func TestManagerSignOutRevokesAtTheProviderAndForgetsEveryEntry(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)
	if !p.CanRevoke() {
		t.Fatal("discovery found no revocation endpoint on the test provider")
	}
	kr := account.NewLimitedKeyring()
	secrets := account.NewSecretsWith(kr)
	m := oauth.NewManager(secrets)
	sess := m.Session("me", p)
	if _, err := sess.Complete(ctx, signIn(t, srv, p)); err != nil {
		t.Fatal(err)
	}
	if err := secrets.SaveClientSecret(ctx, "me", "stamp-test-secret-client"); err != nil {
		t.Fatal(err)
	}
	rt, _, _, err := secrets.RefreshToken(ctx, "me")
	if err != nil || !srv.RefreshTokenActive(ctx, rt) {
		t.Fatalf("no active sign-in to sign out of: %v", err)
	}

	out, err := m.SignOut(ctx, "me", p)
	if err != nil || !out.Revoked || out.RevokeErr != nil {
		t.Fatalf("SignOut = %+v, %v; want revoked", out, err)
	}
	if srv.RefreshTokenActive(ctx, rt) {
		t.Fatal("the provider still knows the refresh token after signing out")
	}
	if kr.Len() != 0 {
		t.Fatalf("%d keyring entries left (refresh token, parts or client secret)", kr.Len())
	}
	if !sess.NeedsSignIn() {
		t.Fatal("the session held by a composer does not say sign in again")
	}
	if _, err := sess.Token(ctx); !errors.Is(err, oauth.ErrSignInAgain) {
		t.Fatalf("Token after signing out = %v, want ErrSignInAgain", err)
	}

	t.Run("a provider without revocation: forgotten here, and it says so", func(t *testing.T) {
		if _, err := sess.Complete(ctx, signIn(t, srv, p)); err != nil {
			t.Fatal(err)
		}
		rt, _, _, _ := secrets.RefreshToken(ctx, "me")
		noRevoke := *p
		noRevoke.RevocationURL = ""
		out, err := m.SignOut(ctx, "me", &noRevoke)
		if err != nil || out.Revoked || !errors.Is(out.RevokeErr, oauth.ErrNoRevocation) {
			t.Fatalf("SignOut = %+v, %v; want not revoked with ErrNoRevocation", out, err)
		}
		if kr.Len() != 0 {
			t.Fatal("the keyring entries stay when the provider cannot revoke")
		}
		if !srv.RefreshTokenActive(ctx, rt) {
			t.Fatal("the refresh token was revoked although no endpoint was named")
		}
	})

	t.Run("nothing saved: nothing to revoke, not an error", func(t *testing.T) {
		out, err := m.SignOut(ctx, "me", p)
		if err != nil || out.Revoked || !errors.Is(out.RevokeErr, oauth.ErrSignInAgain) {
			t.Fatalf("SignOut of a signed-out account = %+v, %v", out, err)
		}
	})

	t.Run("Revoke's errors hold no token", func(t *testing.T) {
		broken := *p
		broken.RevocationURL = "http://127.0.0.1:1/revoke"
		err := oauth.Revoke(ctx, &broken, "stamp-test-secret-refresh")
		if err == nil || strings.Contains(err.Error(), "stamp-test-secret-refresh") {
			t.Fatalf("Revoke to a closed port = %v", err)
		}
	})
}
