package account

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// fakeRefreshToken makes a token-like string of n bytes that no code here
// computes from anything else.
func fakeRefreshToken(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

func TestLimitedKeyringRefusesWhatRealKeyringsRefuse(t *testing.T) {
	l := NewLimitedKeyring()
	if err := l.Set(KeyringService, "a", strings.Repeat("x", 2561)); !errors.Is(err, ErrKeyringValueTooBig) {
		t.Fatalf("2,561 bytes: %v, want ErrKeyringValueTooBig (Windows)", err)
	}
	if err := l.Set(KeyringService, "a", strings.Repeat("x", 2560)); err != nil {
		t.Fatalf("2,560 bytes: %v", err)
	}
	if err := l.Set(KeyringService, strings.Repeat("u", 1000), strings.Repeat("x", 2500)); !errors.Is(err, ErrKeyringValueTooBig) {
		t.Fatalf("a 4 KB+ macOS command line: %v, want ErrKeyringValueTooBig", err)
	}
}

func TestRefreshTokenSmallFitsTheAccountEntry(t *testing.T) {
	ctx := context.Background()
	kr := NewLimitedKeyring()
	s := NewSecretsWith(kr)
	tok := fakeRefreshToken(t, 200)
	loc, err := s.SaveRefreshToken(ctx, "me@example.com", "google", tok)
	if err != nil || loc != LocationKeyring {
		t.Fatalf("SaveRefreshToken = %v, %v", loc, err)
	}
	if kr.Len() != 1 {
		t.Fatalf("%d keyring entries, want 1", kr.Len())
	}
	// The usual reader sees an OAuth 2 entry with the refresh token only.
	c, _, err := NewSecretsWith(kr).Get(ctx, "me@example.com")
	if err != nil || c.Kind != KindOAuth2 || c.OAuth2.RefreshToken != tok || c.OAuth2.AccessToken != "" || c.OAuth2.Provider != "google" {
		t.Fatalf("Get = %v (refresh token kept %v, access token kept %v), %v", c, c.OAuth2 != nil && c.OAuth2.RefreshToken == tok,
			c.OAuth2 != nil && c.OAuth2.AccessToken != "", err)
	}
	got, prov, loc, err := NewSecretsWith(kr).RefreshToken(ctx, "me@example.com")
	if err != nil || got != tok || prov != "google" || loc != LocationKeyring {
		t.Fatalf("RefreshToken = (match %v), %q, %v, %v", got == tok, prov, loc, err)
	}
}

func TestRefreshTokenOversizedIsSplitUnderTheKeyringLimits(t *testing.T) {
	ctx := context.Background()
	kr := NewLimitedKeyring()
	s := NewSecretsWith(kr)
	big := fakeRefreshToken(t, 9000) // larger than any keyring takes in one entry

	// The stand-in really refuses it whole.
	if err := kr.Set(KeyringService, "probe", big); !errors.Is(err, ErrKeyringValueTooBig) {
		t.Fatalf("the stand-in took a 9,000-byte value: %v", err)
	}

	loc, err := s.SaveRefreshToken(ctx, "big@example.com", "microsoft", big)
	if err != nil || loc != LocationKeyring {
		t.Fatalf("SaveRefreshToken = %v, %v", loc, err)
	}
	if kr.Len() < 2 {
		t.Fatalf("%d entries: the token was not split", kr.Len())
	}
	if kr.Largest > MaxKeyringValue+200 {
		t.Fatalf("an entry holds %d bytes", kr.Largest)
	}
	got, prov, _, err := NewSecretsWith(kr).RefreshToken(ctx, "big@example.com")
	if err != nil || got != big || prov != "microsoft" {
		t.Fatalf("RefreshToken: match %v, provider %q, %v", got == big, prov, err)
	}

	t.Run("a new token replaces the parts and leaves no stale ones", func(t *testing.T) {
		before := kr.Len()
		big2 := fakeRefreshToken(t, 7000)
		if _, err := s.SaveRefreshToken(ctx, "big@example.com", "microsoft", big2); err != nil {
			t.Fatal(err)
		}
		got, _, _, err := NewSecretsWith(kr).RefreshToken(ctx, "big@example.com")
		if err != nil || got != big2 {
			t.Fatalf("after rotation: match %v, %v", got == big2, err)
		}
		if after := kr.Len(); after >= before {
			t.Fatalf("%d entries after a smaller token replaced one in %d entries: old parts left behind", after, before)
		}
		for k, v := range kr.Entries() {
			if strings.Contains(v, big[:64]) {
				t.Fatalf("entry %q still holds the old token", strings.ReplaceAll(k, "\x00", " "))
			}
		}
	})
	t.Run("a small token after a split one removes the parts", func(t *testing.T) {
		small := fakeRefreshToken(t, 100)
		if _, err := s.SaveRefreshToken(ctx, "big@example.com", "microsoft", small); err != nil {
			t.Fatal(err)
		}
		if kr.Len() != 1 {
			t.Fatalf("%d entries, want 1", kr.Len())
		}
	})
	t.Run("a damaged part is ErrTokenDamaged, not a wrong token", func(t *testing.T) {
		if _, err := s.SaveRefreshToken(ctx, "big@example.com", "microsoft", big); err != nil {
			t.Fatal(err)
		}
		for k := range kr.Entries() {
			if strings.HasSuffix(k, "/2") {
				user := strings.SplitN(k, "\x00", 2)[1]
				kr.MemoryKeyring.Set(KeyringService, user, "tampered")
			}
		}
		_, _, _, err := NewSecretsWith(kr).RefreshToken(ctx, "big@example.com")
		if !errors.Is(err, ErrTokenDamaged) {
			t.Fatalf("RefreshToken = %v, want ErrTokenDamaged", err)
		}
	})
	t.Run("DeleteRefreshToken removes the entry and every part", func(t *testing.T) {
		if err := s.DeleteRefreshToken(ctx, "big@example.com"); err != nil {
			t.Fatal(err)
		}
		if kr.Len() != 0 {
			t.Fatalf("%d entries left", kr.Len())
		}
		if _, _, _, err := s.RefreshToken(ctx, "big@example.com"); !errors.Is(err, ErrNoSecret) {
			t.Fatalf("after delete: %v, want ErrNoSecret", err)
		}
	})
}

func TestRefreshTokenKeptForSessionWhenKeyringUnavailable(t *testing.T) {
	ctx := context.Background()
	kr := NewMemoryKeyring()
	kr.Fail = errors.New("org.freedesktop.DBus.Error.ServiceUnknown: no secret service")
	s := NewSecretsWith(kr)
	tok := fakeRefreshToken(t, 100)
	loc, err := s.SaveRefreshToken(ctx, "me", "google", tok)
	if err != nil || loc != LocationSession {
		t.Fatalf("SaveRefreshToken = %v, %v; want LocationSession", loc, err)
	}
	got, _, loc, err := s.RefreshToken(ctx, "me")
	if err != nil || got != tok || loc != LocationSession {
		t.Fatalf("RefreshToken = match %v, %v, %v", got == tok, loc, err)
	}
}

func TestRefreshTokenOfAPasswordAccountIsNoSecret(t *testing.T) {
	ctx := context.Background()
	s := NewSecretsWith(NewMemoryKeyring())
	s.SavePassword(ctx, "pw", "hunter2hunter2")
	if _, _, _, err := s.RefreshToken(ctx, "pw"); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("RefreshToken of a password account = %v, want ErrNoSecret", err)
	}
}
