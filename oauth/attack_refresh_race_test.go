package oauth_test

import (
	"context"
	"errors"
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
	wait    time.Duration // how long a read waits for the other (0: 10 s)
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
	wait := k.wait
	k.mu.Unlock()
	if wait == 0 {
		wait = 10 * time.Second
	}
	if n <= 2 {
		select {
		case <-k.arrived:
		case <-time.After(wait):
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

	// Two processes: two Secrets over the one keyring, two Managers, one
	// settings folder (where the sign-in lock lives). With the lock the
	// reads never meet: the rendezvous's wait runs out.
	kr.wait = 2 * time.Second
	dir := t.TempDir()
	appM, cliM := oauth.NewManager(account.NewSecretsWith(kr)), oauth.NewManager(account.NewSecretsWith(kr))
	appM.LockDir, cliM.LockDir = dir, dir
	app := appM.Session(id, p)
	cli := cliM.Session(id, p)
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

// gatedKeyring holds its first read of user's entry until gate closes
// (it reads the value first): a process that read the refresh token just
// before another one rotated it.
type gatedKeyring struct {
	*account.LimitedKeyring
	user  string
	gate  <-chan struct{}
	first sync.Once
}

func (k *gatedKeyring) Get(service, user string) (string, error) {
	v, err := k.LimitedKeyring.Get(service, user)
	if user == k.user {
		k.first.Do(func() {
			select {
			case <-k.gate:
			case <-time.After(10 * time.Second):
			}
		})
	}
	return v, err
}

// savedKeyring closes saved after its first write of user's entry.
type savedKeyring struct {
	*account.LimitedKeyring
	user  string
	saved chan struct{}
	once  sync.Once
}

func (k *savedKeyring) Set(service, user, secret string) error {
	err := k.LimitedKeyring.Set(service, user, secret)
	if user == k.user && err == nil {
		k.once.Do(func() { close(k.saved) })
	}
	return err
}

// TestARefreshRefusedAfterAnotherProcessRotatedTheTokenRetriesWithTheNewOne:
// without a shared lock (each Manager its own folder), process B reads the
// refresh token, process A then refreshes (the provider rotates it) and
// saves the new one, and only then does B ask the provider with the old
// one: invalid_grant. B reads the keyring again, finds A's token, and
// refreshes with it, instead of saying "sign in again".
func TestARefreshRefusedAfterAnotherProcessRotatedTheTokenRetriesWithTheNewOne(t *testing.T) {
	const id = "me@example.com"
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)
	kr := account.NewLimitedKeyring()
	tok := signIn(t, srv, p)
	if _, err := oauth.NewManager(account.NewSecretsWith(kr)).Session(id, p).Complete(ctx, tok); err != nil {
		t.Fatal(err)
	}
	saved := make(chan struct{})
	aM := oauth.NewManager(account.NewSecretsWith(&savedKeyring{LimitedKeyring: kr, user: id, saved: saved}))
	bM := oauth.NewManager(account.NewSecretsWith(&gatedKeyring{LimitedKeyring: kr, user: id, gate: saved}))
	aM.LockDir, bM.LockDir = t.TempDir(), t.TempDir()
	b := bM.Session(id, p)
	bDone := make(chan error, 1)
	go func() { _, err := b.Refresh(ctx); bDone <- err }()
	if _, err := aM.Session(id, p).Refresh(ctx); err != nil {
		t.Fatalf("process A: %v", err)
	}
	if err := <-bDone; err != nil {
		t.Fatalf("process B, refused the token A rotated: %v (NeedsSignIn %v)", err, b.NeedsSignIn())
	}
	rt, _, _, err := account.NewSecretsWith(kr).RefreshToken(ctx, id)
	if err != nil || !srv.RefreshTokenActive(ctx, rt) {
		t.Fatalf("the keyring does not hold a working sign-in after both refreshes: %v", err)
	}
}
