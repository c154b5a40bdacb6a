package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSecretsWithAWorkingKeyring(t *testing.T) {
	ctx := context.Background()
	kr := NewMemoryKeyring()
	s := NewSecretsWith(kr)
	pw := testPassword(t, 1)

	loc, err := s.SavePassword(ctx, "work", pw)
	if err != nil || loc != LocationKeyring {
		t.Fatalf("SavePassword = %v, %v; want the keyring", loc, err)
	}
	raw, _ := kr.Get(KeyringService, "work")
	var e struct {
		V    int
		Kind string
	}
	if err := json.Unmarshal([]byte(raw), &e); err != nil || e.V != 1 || e.Kind != "password" {
		t.Errorf("the keyring entry is not a versioned JSON entry with a kind (v=%d kind=%q err=%v)", e.V, e.Kind, err)
	}
	got, loc, err := s.Password(ctx, "work")
	if err != nil || loc != LocationKeyring || got != pw {
		t.Fatalf("Password = (match %v), %v, %v; want the saved password from the keyring", got == pw, loc, err)
	}
	if s.Problem() != nil {
		t.Errorf("Problem() = %v after working calls", s.Problem())
	}
	if err := s.Delete(ctx, "work"); err != nil {
		t.Fatal(err)
	}
	if _, loc, err := s.Get(ctx, "work"); !errors.Is(err, ErrNoSecret) || loc != LocationNone {
		t.Errorf("after Delete, Get = %v, %v; want ErrNoSecret", loc, err)
	}
	if err := s.Delete(ctx, "work"); err != nil {
		t.Errorf("deleting a password that is not there = %v, want nil", err)
	}
}

func TestSecretsFallBackToThisSessionWhenTheKeyringIsUnavailable(t *testing.T) {
	ctx := context.Background()
	kr := NewMemoryKeyring()
	kr.Fail = &KeyringUnavailableError{Reason: ReasonLocked, Err: errors.New("collection is locked")}
	s := NewSecretsWith(kr)
	pw := testPassword(t, 1)

	loc, err := s.SavePassword(ctx, "work", pw)
	if err != nil || loc != LocationSession {
		t.Fatalf("SavePassword = %v, %v; want this session only", loc, err)
	}
	p := s.Problem()
	if p == nil || p.Reason != ReasonLocked || p.Op != "save" {
		t.Fatalf("Problem() = %v, want locked during save", p)
	}
	if strings.Contains(p.Error(), pw) {
		t.Fatal("the error message contains the password")
	}
	got, loc, err := s.Password(ctx, "work")
	if err != nil || loc != LocationSession || got != pw {
		t.Fatalf("Password = (match %v), %v, %v; want it from this session", got == pw, loc, err)
	}
	if loc, _ := s.Location(ctx, "work"); loc.String() != "this session only (asked again next time)" {
		t.Errorf("Location says %q", loc)
	}

	// A fresh run (new Secrets) has nothing and says why.
	next := NewSecretsWith(kr)
	_, loc, err = next.Get(ctx, "work")
	var ku *KeyringUnavailableError
	if !errors.As(err, &ku) || ku.Reason != ReasonLocked || loc != LocationUnknown {
		t.Fatalf("next run Get = %v, %v; want a KeyringUnavailableError (locked)", loc, err)
	}

	// Once the keyring works again a Save moves the password there.
	kr.Fail = nil
	if loc, err := s.SavePassword(ctx, "work", pw); loc != LocationKeyring || err != nil {
		t.Fatalf("SavePassword after the keyring came back = %v, %v", loc, err)
	}
	if _, loc, _ := s.Get(ctx, "work"); loc != LocationKeyring {
		t.Errorf("after saving to the keyring the password is still read from %v", loc)
	}
	if s.Problem() != nil {
		t.Errorf("Problem() = %v after the keyring worked again", s.Problem())
	}
}

func TestSecretsKeepForSessionWinsUntilDeleted(t *testing.T) {
	ctx := context.Background()
	kr := NewMemoryKeyring()
	s := NewSecretsWith(kr)
	s.SavePassword(ctx, "work", testPassword(t, 1))
	typed := testPassword(t, 2)
	s.KeepForSession("work", PasswordCredential(typed))
	if got, loc, _ := s.Password(ctx, "work"); got != typed || loc != LocationSession {
		t.Errorf("Password = (match %v) from %v; want the one typed this session", got == typed, loc)
	}
	s.Delete(ctx, "work")
	if _, loc, err := s.Get(ctx, "work"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("after Delete, Get = %v, %v", loc, err)
	}
}

func TestSecretsOAuth2TokensUseTheSameEntry(t *testing.T) {
	ctx := context.Background()
	s := NewSecretsWith(NewMemoryKeyring())
	tok := &OAuth2Token{AccessToken: testPassword(t, 1), RefreshToken: testPassword(t, 2), TokenType: "Bearer",
		Expiry: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), Provider: "google"}
	if _, err := s.Save(ctx, "gmail", Credential{Kind: KindOAuth2, OAuth2: tok}); err != nil {
		t.Fatal(err)
	}
	c, _, err := s.Get(ctx, "gmail")
	if err != nil || c.Kind != KindOAuth2 || c.OAuth2 == nil || *c.OAuth2 != *tok {
		t.Fatalf("Get = kind %q, err %v; want the same token back", c.Kind, err)
	}
	if _, _, err := s.Password(ctx, "gmail"); err == nil {
		t.Error("Password on an OAuth 2 entry succeeded")
	}
}

func TestSecretsReadEntriesMadeByOtherTools(t *testing.T) {
	ctx := context.Background()
	kr := NewMemoryKeyring()
	pw := testPassword(t, 1)
	kr.Set(KeyringService, "handmade", pw) // e.g. secret-tool store service Stamp username handmade
	got, _, err := NewSecretsWith(kr).Password(ctx, "handmade")
	if err != nil || got != pw {
		t.Errorf("a bare password entry reads as (match %v), %v", got == pw, err)
	}
}

func TestSecretsRefuseNonsense(t *testing.T) {
	s := NewSecretsWith(NewMemoryKeyring())
	if _, err := s.SavePassword(context.Background(), "work", ""); err == nil {
		t.Error("an empty password was saved")
	}
	if _, err := s.SavePassword(context.Background(), "", testPassword(t, 1)); err == nil {
		t.Error("a password was saved for an account without a name")
	}
}

func TestCredentialPrintsNoSecret(t *testing.T) {
	pw := testPassword(t, 1)
	c := Credential{Kind: KindOAuth2, Password: pw, OAuth2: &OAuth2Token{AccessToken: pw}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, c); strings.Contains(out, testSecretMarker) {
			t.Errorf("%s prints the secret", verb)
		}
	}
}

// blockingKeyring never answers until released, like a keyring waiting for
// an unlock prompt nobody sees.
type blockingKeyring struct {
	release chan struct{}
}

func (b *blockingKeyring) Set(string, string, string) error { <-b.release; return nil }
func (b *blockingKeyring) Get(string, string) (string, error) {
	<-b.release
	return "", ErrNoSecret
}
func (b *blockingKeyring) Delete(string, string) error { <-b.release; return nil }

func TestSecretsTimeOut(t *testing.T) {
	ctx := context.Background()
	b := &blockingKeyring{release: make(chan struct{})}
	s := NewSecretsWith(b)
	s.Timeout = 100 * time.Millisecond

	start := time.Now()
	loc, err := s.SavePassword(ctx, "work", testPassword(t, 1))
	if err != nil || loc != LocationSession {
		t.Fatalf("SavePassword on a hung keyring = %v, %v; want this session only", loc, err)
	}
	if p := s.Problem(); p == nil || p.Reason != ReasonTimedOut {
		t.Fatalf("Problem() = %v, want timed out", p)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("SavePassword waited %s on a hung keyring", waited)
	}

	// While the first call still hangs, new calls fail at once.
	start = time.Now()
	_, _, err = s.Get(ctx, "other")
	var ku *KeyringUnavailableError
	if !errors.As(err, &ku) || ku.Reason != ReasonTimedOut || !strings.Contains(err.Error(), "still waiting") {
		t.Fatalf("Get while the keyring hangs = %v", err)
	}
	if time.Since(start) > s.Timeout {
		t.Errorf("the second call waited for the timeout again")
	}

	// When the keyring finally answers, calls go through again.
	close(b.release)
	deadline := time.Now().Add(5 * time.Second)
	for s.stuck.Load() != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if _, _, err := s.Get(ctx, "other"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("after the keyring answered, Get = %v; want ErrNoSecret", err)
	}
}

func TestSecretsCancelledByTheCaller(t *testing.T) {
	b := &blockingKeyring{release: make(chan struct{})}
	defer close(b.release)
	s := NewSecretsWith(b)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, _, err := s.Get(ctx, "work")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestKeyringUnavailableErrorExplains(t *testing.T) {
	for _, r := range []Reason{ReasonNoService, ReasonLocked, ReasonTimedOut, ReasonDenied, ReasonUnsupported, ReasonFailed} {
		e := &KeyringUnavailableError{Reason: r, Op: "save"}
		msg := e.Error()
		if !strings.HasPrefix(msg, "cannot save the password in the system keyring: ") || !strings.Contains(msg, "each time") {
			t.Errorf("reason %d says %q; want what failed and what to do", r, msg)
		}
	}
}

func TestForgetSessionDropsOnlyTheSessionCopy(t *testing.T) {
	kr := NewMemoryKeyring()
	s := NewSecretsWith(kr)
	ctx := context.Background()
	if _, err := s.SavePassword(ctx, "work", "keyring-pw"); err != nil {
		t.Fatal(err)
	}
	s.KeepForSession("work", PasswordCredential("typed-pw"))
	s.ForgetSession("work")
	got, loc, err := s.Password(ctx, "work")
	if err != nil || got != "keyring-pw" || loc != LocationKeyring {
		t.Fatalf("after ForgetSession: %q at %v (%v), want the keyring's password", got, loc, err)
	}
}
