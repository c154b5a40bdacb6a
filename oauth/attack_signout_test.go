package oauth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"stamp/account"
	"stamp/oauth"
)

// slowKeyring is the account package's LimitedKeyring answering after a
// few milliseconds, as the Secret Service over D-Bus does (each call is a
// round trip to another process).
type slowKeyring struct{ *account.LimitedKeyring }

func (k slowKeyring) Get(service, user string) (string, error) {
	time.Sleep(20 * time.Millisecond)
	return k.LimitedKeyring.Get(service, user)
}

func (k slowKeyring) Delete(service, user string) error {
	time.Sleep(20 * time.Millisecond)
	return k.LimitedKeyring.Delete(service, user)
}

// stillSaved reports whether the keyring still holds the account's entry
// (read directly, not through Secrets, which may call the keyring stuck).
func stillSaved(kr *account.LimitedKeyring, id string) bool {
	_, ok := kr.Entries()[account.KeyringService+"\x00"+id]
	return ok
}

// hangingRevocation is a custom provider whose revocation endpoint never
// answers; arrived receives once the revocation request is there.
func hangingRevocation(t *testing.T) (*oauth.Provider, <-chan struct{}) {
	t.Helper()
	arrived := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	p, err := oauth.Resolve(context.Background(), oauth.Settings{Kind: oauth.Custom, ClientID: "stamp-test",
		AuthURL: srv.URL + "/auth", TokenURL: srv.URL + "/token", RevocationURL: srv.URL + "/revoke",
		Scopes: []string{"mail"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p, arrived
}

// TestAttackSignOutWithAHangingRevocationKeepsTheSignIn: the Accounts
// window's Sign out (Session.SignOut under a one-minute context) asks the
// provider first and deletes the keyring entry after. When the provider
// never answers, the context ends during the revocation, and the delete
// then runs with the ended context and fails: the refresh token stays in
// the keyring ("Not signed out: context deadline exceeded").
func TestAttackSignOutWithAHangingRevocationKeepsTheSignIn(t *testing.T) {
	p, arrived := hangingRevocation(t)
	kr := account.NewLimitedKeyring()
	secrets := account.NewSecretsWith(slowKeyring{kr})
	if _, err := secrets.SaveRefreshToken(context.Background(), "me", "custom", "attack-rt-hanging"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }() // the minute passes (or the person quits)
	err := oauth.NewManager(secrets).Session("me", p).SignOut(ctx)
	t.Logf("SignOut: %v", err)
	if stillSaved(kr, "me") {
		t.Fatal("after Sign out the refresh token is still in the keyring")
	}
}

// TestAttackLogoutInterruptedDuringRevocationKeepsTheSignIn: the same
// for stamp-send account logout (Manager.SignOut under the signal
// context, no time limit): it waits for the provider forever, and Ctrl-C
// then leaves the sign-in in the keyring.
func TestAttackLogoutInterruptedDuringRevocationKeepsTheSignIn(t *testing.T) {
	p, arrived := hangingRevocation(t)
	kr := account.NewLimitedKeyring()
	secrets := account.NewSecretsWith(slowKeyring{kr})
	if _, err := secrets.SaveRefreshToken(context.Background(), "me", "custom", "attack-rt-hanging"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }() // Ctrl-C
	out, err := oauth.NewManager(secrets).SignOut(ctx, "me", p)
	t.Logf("SignOut: %+v, %v", out, err)
	if stillSaved(kr, "me") {
		t.Fatal("after logout the refresh token is still in the keyring")
	}
}
