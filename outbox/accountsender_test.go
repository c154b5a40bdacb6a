//go:build unix

package outbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stamp/account"
	"stamp/smtpclient/sandbox"
)

const accountTestSecret = "stamp-test-secret-outbox-7Qz"

// A saved account with a password: the outbox sends through the engine
// with the keyring's password; a refused one needs the person (sign in),
// is not retried, and its record never holds the password.
func TestAccountSenderUsesTheKeyringPasswordAndNeverStoresIt(t *testing.T) {
	e := newEnv(t, sandbox.Options{Username: "ann", Password: accountTestSecret})
	st, err := account.Open(filepath.Join(t.TempDir(), "config"))
	if err != nil {
		t.Fatal(err)
	}
	a := account.Account{ID: "work", Address: "ann@example.com", Host: "127.0.0.1", Port: e.srv.Port(),
		Security: account.SecurityNone, Username: "ann", Auth: account.AuthPlain, SaveSent: true}
	if err := st.Add(a); err != nil {
		t.Fatal(err)
	}
	secrets := account.NewSecretsWith(account.NewMemoryKeyring())
	if _, err := secrets.SavePassword(context.Background(), "work", "wrong-"+accountTestSecret); err != nil {
		t.Fatal(err)
	}
	o := e.open(Options{Sender: &AccountSender{Store: st, Secrets: secrets}})
	n := testNew("with a password")
	n.Account = "work"
	r, _ := o.Enqueue(n)
	o.Flush(context.Background(), false)
	got, _ := o.Get(r.ID)
	if got.State != NeedsAttention || got.Reason != ReasonSignIn || got.LastError == nil || got.LastError.Code != 535 {
		t.Fatalf("after a refused login: %+v %+v", got, got.LastError)
	}
	b, _ := os.ReadFile(filepath.Join(e.dir, r.ID+".json"))
	if strings.Contains(string(b), accountTestSecret) {
		t.Fatalf("the record holds the password:\n%s", b)
	}
	// The person fixes the password and sends it again.
	secrets.SavePassword(context.Background(), "work", accountTestSecret)
	if got, err := o.SendNow(context.Background(), r.ID, false); err != nil || got.State != Sent {
		t.Fatalf("after the fix: %+v %v", got, err)
	}
	if d := e.delivered(); d["with a password"] != 1 {
		t.Fatalf("delivered %v", d)
	}
	if m := e.srv.Messages(); m[0].User != "ann" {
		t.Fatalf("logged in as %q", m[0].User)
	}
	// An account that is gone needs attention too, with a clear text.
	n.Account = "gone"
	r, _ = o.Enqueue(n)
	o.Flush(context.Background(), false)
	if got, _ := o.Get(r.ID); got.State != NeedsAttention || !strings.Contains(got.LastError.Text, "gone") {
		t.Fatalf("a missing account: %+v", got)
	}
}
