package oauth_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"stamp/account"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
)

// rendezvousKeyring is the account package's MemoryKeyring (through a
// LimitedKeyring) whose first two reads of one entry wait for each other:
// two processes (the app and stamp-send, each with its own Manager) that
// read the refresh token at about the same moment.
type rendezvousKeyring struct {
	*account.LimitedKeyring
	user    string
	mu      sync.Mutex
	n       int
	arrived chan struct{}
}

func (k *rendezvousKeyring) Get(service, user string) (string, error) {
	v, err := k.LimitedKeyring.Get(service, user)
	if user != k.user {
		return v, err
	}
	k.mu.Lock()
	k.n++
	n := k.n
	if n == 2 {
		close(k.arrived)
	}
	k.mu.Unlock()
	if n <= 2 {
		select {
		case <-k.arrived:
		case <-time.After(10 * time.Second):
		}
	}
	return v, err
}

// TestAttackTwoProcessesRefreshingOneAccountLoseTheSignIn: the app and
// stamp-send (two Managers over one keyring) both need a fresh access
// token for one account. Both read the same refresh token; the provider
// rotates it for the first and refuses the old one to the second, which
// then reports "sign in again" although the keyring holds a working
// sign-in (the first one just saved it).
func TestAttackTwoProcessesRefreshingOneAccountLoseTheSignIn(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack finding 1")
	}
	const id = "me@example.com"
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)
	kr := &rendezvousKeyring{LimitedKeyring: account.NewLimitedKeyring(), user: "none-yet", arrived: make(chan struct{})}
	secrets := account.NewSecretsWith(kr)
	tok := signIn(t, srv, p)
	if _, err := oauth.NewManager(secrets).Session(id, p).Complete(ctx, tok); err != nil {
		t.Fatal(err)
	}
	kr.mu.Lock()
	kr.user = id
	kr.mu.Unlock()

	// Two processes: two Secrets over the one keyring, two Managers.
	app := oauth.NewManager(account.NewSecretsWith(kr)).Session(id, p)
	cli := oauth.NewManager(account.NewSecretsWith(kr)).Session(id, p)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, s := range []*oauth.Session{app, cli} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Refresh(ctx)
		}()
	}
	wg.Wait()
	rt, _, _, err := account.NewSecretsWith(kr).RefreshToken(ctx, id)
	if err != nil || !srv.RefreshTokenActive(ctx, rt) {
		t.Fatalf("the keyring does not hold a working sign-in after the refreshes: %v", err)
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v (sign in again: %v; NeedsSignIn %v) although the keyring holds a working sign-in",
				i, err, errors.Is(err, oauth.ErrSignInAgain), []*oauth.Session{app, cli}[i].NeedsSignIn())
		}
	}
}
