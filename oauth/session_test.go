package oauth_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/oauth"
)

func TestOversizedRefreshTokenWithSizeLimitedKeyring(t *testing.T) {
	ctx := context.Background()
	kr := account.NewLimitedKeyring()
	secrets := account.NewSecretsWith(kr)
	p, err := oauth.Resolve(ctx, oauth.Settings{Kind: oauth.Microsoft, ClientID: "00000000-test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("M.C5", 1500) + "end" // 6 KB, as Microsoft's can be
	sess := oauth.NewManager(secrets).Session("work", p)
	if loc, err := sess.Complete(ctx, &oauth2.Token{AccessToken: "at", RefreshToken: big}); err != nil || loc != account.LocationKeyring {
		t.Fatalf("Complete = %v, %v", loc, err)
	}
	if kr.Largest > account.WindowsCredentialLimit {
		t.Fatalf("an entry holds %d bytes", kr.Largest)
	}
	got, prov, _, err := account.NewSecretsWith(kr).RefreshToken(ctx, "work")
	if err != nil || got != big || prov != "microsoft" {
		t.Fatalf("read back: match %v, %q, %v", got == big, prov, err)
	}
}
