package account

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestOAuthSettingsRoundTripAndSchema(t *testing.T) {
	s := openTestStore(t)
	plain := testAccount("plain")
	if err := s.Put(plain); err != nil {
		t.Fatal(err)
	}
	schema := func() int {
		raw, err := os.ReadFile(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Schema int `json:"schema"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatal(err)
		}
		return f.Schema
	}
	if got := schema(); got != 1 {
		t.Fatalf("a file without OAuth accounts has schema %d, want 1 (older Stamps keep reading it)", got)
	}

	ms := testAccount("ms")
	ms.Host, ms.Port, ms.Security = "smtp.office365.com", 587, SecuritySTARTTLS
	ms.OAuth = &OAuthSettings{Provider: OAuthMicrosoft, ClientID: "11111111-2222-3333-4444-555555555555", Tenant: "contoso.onmicrosoft.com"}
	custom := testAccount("custom")
	custom.OAuth = &OAuthSettings{Provider: OAuthCustom, ClientID: "stamp-native", Issuer: "https://id.example.org",
		Scopes: []string{"openid", "offline_access", "smtp"}}
	for _, a := range []Account{ms, custom} {
		if err := s.Put(a); err != nil {
			t.Fatalf("Put(%s): %v", a.ID, err)
		}
	}
	if got := schema(); got != 2 {
		t.Fatalf("a file with OAuth accounts has schema %d, want 2 (older Stamps leave it untouched)", got)
	}
	other, err := Open(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []Account{ms, custom} {
		got, err := other.Find(want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.OAuth, want.OAuth) {
			t.Errorf("%s: OAuth read back as %+v, want %+v", want.ID, got.OAuth, want.OAuth)
		}
	}
	if got, _ := other.Find("plain"); got.OAuth != nil || got.UsesOAuth() {
		t.Errorf("a password account came back with OAuth settings %+v", got.OAuth)
	}
	// Removing the OAuth accounts makes the file readable by older Stamps again.
	for _, id := range []string{"ms", "custom"} {
		if err := s.Remove(context.Background(), id, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := schema(); got != 1 {
		t.Fatalf("schema %d after the OAuth accounts were removed, want 1", got)
	}
}

func TestOAuthSettingsValidate(t *testing.T) {
	good := func() Account {
		a := testAccount("a")
		a.OAuth = &OAuthSettings{Provider: OAuthGoogle}
		return a
	}
	if err := good().Validate(); err != nil {
		t.Fatalf("a Google account with the built-in client: %v", err)
	}
	for _, tc := range []struct {
		name, field string
		change      func(a *Account)
	}{
		{"unknown provider", "oauth.provider", func(a *Account) { a.OAuth.Provider = "yahoo" }},
		{"password mechanism", "auth", func(a *Account) { a.Auth = AuthPlain }},
		{"no login", "auth", func(a *Account) { a.Auth = AuthNone }},
		{"tenant with a slash", "oauth.tenant", func(a *Account) { a.OAuth.Provider, a.OAuth.Tenant = OAuthMicrosoft, "a/b" }},
		{"tenant for Google", "oauth.tenant", func(a *Account) { a.OAuth.Tenant = "common" }},
		{"client ID with a line break", "oauth.client_id", func(a *Account) { a.OAuth.ClientID = "id\r\nX: y" }},
		{"issuer for Google", "oauth.issuer", func(a *Account) { a.OAuth.Issuer = "https://evil.example" }},
		{"custom without a client ID", "oauth.client_id", func(a *Account) {
			a.OAuth = &OAuthSettings{Provider: OAuthCustom, Issuer: "https://id.example.org", Scopes: []string{"smtp"}}
		}},
		{"custom without endpoints", "oauth.issuer", func(a *Account) {
			a.OAuth = &OAuthSettings{Provider: OAuthCustom, ClientID: "c", TokenURL: "https://id.example.org/token", Scopes: []string{"smtp"}}
		}},
		{"custom without scopes", "oauth.scopes", func(a *Account) {
			a.OAuth = &OAuthSettings{Provider: OAuthCustom, ClientID: "c", Issuer: "https://id.example.org"}
		}},
		{"plain http issuer", "oauth.issuer", func(a *Account) {
			a.OAuth = &OAuthSettings{Provider: OAuthCustom, ClientID: "c", Issuer: "http://id.example.org", Scopes: []string{"smtp"}}
		}},
		{"scope with a space", "oauth.scopes", func(a *Account) {
			a.OAuth = &OAuthSettings{Provider: OAuthCustom, ClientID: "c", Issuer: "https://id.example.org", Scopes: []string{"a b"}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := good()
			tc.change(&a)
			err := a.Validate()
			ve, ok := err.(*ValidationError)
			if !ok || ve.Field(tc.field) == nil {
				t.Fatalf("Validate = %v, want a problem with %s", err, tc.field)
			}
		})
	}
	a := good()
	a.OAuth = &OAuthSettings{Provider: OAuthCustom, ClientID: "c", Issuer: "http://127.0.0.1:8080", Scopes: []string{"smtp"}}
	if err := a.Validate(); err != nil {
		t.Errorf("a custom provider on loopback over http: %v", err)
	}
}

func TestDeleteForgetsSplitRefreshTokenAndClientSecret(t *testing.T) {
	ctx := context.Background()
	kr := NewLimitedKeyring()
	sec := NewSecretsWith(kr)
	if _, err := sec.SaveRefreshToken(ctx, "big", "microsoft", fakeRefreshToken(t, 9000)); err != nil {
		t.Fatal(err)
	}
	clientSecret := testPassword(t, 7)
	if err := sec.SaveClientSecret(ctx, "big", clientSecret); err != nil {
		t.Fatal(err)
	}
	if got, err := NewSecretsWith(kr).ClientSecret(ctx, "big"); err != nil || got != clientSecret {
		t.Fatalf("ClientSecret read back: match %v, %v", got == clientSecret, err)
	}
	if kr.Len() < 4 {
		t.Fatalf("%d entries: want the head, several parts and the client secret", kr.Len())
	}
	// Signing out keeps the client secret (the account's settings).
	if err := sec.DeleteRefreshToken(ctx, "big"); err != nil {
		t.Fatal(err)
	}
	if kr.Len() != 1 {
		t.Fatalf("%d entries after sign-out, want only the client secret", kr.Len())
	}
	if _, err := sec.SaveRefreshToken(ctx, "big", "microsoft", fakeRefreshToken(t, 9000)); err != nil {
		t.Fatal(err)
	}
	// Removing the account (Store.Remove calls Delete) forgets everything.
	if err := sec.Delete(ctx, "big"); err != nil {
		t.Fatal(err)
	}
	if kr.Len() != 0 {
		t.Fatalf("the keyring still holds %d entries after Delete", kr.Len())
	}
	if got, err := sec.ClientSecret(ctx, "big"); got != "" || err != nil {
		t.Fatalf("ClientSecret after Delete: %d bytes, %v", len(got), err)
	}
	if !strings.Contains(ClientSecretName("big"), "/") {
		t.Fatal("the client secret's entry could name an account")
	}
}
