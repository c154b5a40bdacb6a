package account_test

import (
	"context"
	"errors"
	"testing"

	"stamp/account"
)

// blockingKeyring's reads of "slow" wait for release, as a D-Bus call in
// flight does.
type blockingKeyring struct {
	*account.MemoryKeyring
	started chan struct{}
	release chan struct{}
}

func (k *blockingKeyring) Get(service, user string) (string, error) {
	if user == "slow" {
		k.started <- struct{}{}
		<-k.release
	}
	return k.MemoryKeyring.Get(service, user)
}

// A keyring call the caller cancels (Ctrl-C, a sign-out's time running
// out) is the caller's doing, not a stuck keyring: the next call is still
// made, not refused with "an earlier keyring request is still waiting".
// A call whose context is already done is not made at all.
func TestACancelledKeyringCallDoesNotMakeTheKeyringStuck(t *testing.T) {
	kr := &blockingKeyring{MemoryKeyring: account.NewMemoryKeyring(), started: make(chan struct{}, 1), release: make(chan struct{})}
	defer close(kr.release)
	s := account.NewSecretsWith(kr)
	if _, err := s.SavePassword(context.Background(), "me", "a password"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-kr.started; cancel() }()
	if _, _, err := s.Get(ctx, "slow"); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled read: %v, want context.Canceled", err)
	}
	if _, _, err := s.Get(ctx, "me"); !errors.Is(err, context.Canceled) {
		t.Fatalf("a read with a context already done: %v, want context.Canceled", err)
	}
	if pw, _, err := s.Password(context.Background(), "me"); err != nil || pw != "a password" {
		t.Fatalf("the next read after a cancelled one: %q, %v", pw, err)
	}
}
