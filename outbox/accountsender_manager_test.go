//go:build unix

package outbox

import (
	"context"
	"path/filepath"
	"testing"

	"stamp/account"
	"stamp/oauth"
	"stamp/smtpclient/sandbox"
)

// The app hands its one oauth.Manager to the AccountSender: a sign-in the
// outbox finds gone is what the composer's session (from that Manager)
// then shows as "Sign in again", with no second Manager in the process.
func TestAccountSenderUsesTheManagerItIsGiven(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	st, err := account.Open(filepath.Join(t.TempDir(), "config"))
	if err != nil {
		t.Fatal(err)
	}
	a := account.Account{ID: "work", Address: "ann@example.com", Host: "127.0.0.1", Port: e.srv.Port(),
		Security: account.SecurityNone, SaveSent: true, OAuth: &account.OAuthSettings{Provider: account.OAuthCustom,
			ClientID: "stamp-test", AuthURL: "https://127.0.0.1:1/auth", TokenURL: "https://127.0.0.1:1/token", Scopes: []string{"smtp"}}}
	if err := st.Add(a); err != nil {
		t.Fatal(err)
	}
	secrets := account.NewSecretsWith(account.NewMemoryKeyring()) // no sign-in saved
	mgr := oauth.NewManager(secrets)
	mgr.LockDir = t.TempDir()
	o := e.open(Options{Sender: &AccountSender{Store: st, Secrets: secrets, Manager: mgr}})
	n := testNew("signed out")
	n.Account = "work"
	r, _ := o.Enqueue(n)
	o.Flush(context.Background(), false)
	if got, _ := o.Get(r.ID); got.State != NeedsAttention || got.Reason != ReasonSignIn {
		t.Fatalf("an account with no sign-in: %q %q", got.State, got.Reason)
	}
	p, err := oauth.ProviderFor(context.Background(), a, secrets, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !mgr.Session("work", p).NeedsSignIn() {
		t.Error("the Manager given to the AccountSender does not know the sign-in is gone: the sender used another one")
	}
}
