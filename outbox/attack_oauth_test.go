//go:build unix

package outbox

// A sign-in provider down for a moment (issue 18 review, finding 9).

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"stamp/oauth"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// Finding 9: a sign-in provider that is down for a moment (HTTP 503 from
// its discovery document, the same for 429/503 from its token endpoint) is
// a temporary failure — nothing was sent, trying later works. It was filed
// as "needs attention: problem", never retried; now oauth marks it
// (oauth.ErrProviderUnavailable) and classify retries it. The sender is the one AccountSender runs for a custom
// provider (oauth.Resolve, as ProviderFor calls it) against a real
// loopback HTTP server.
func TestAProviderDownForAMomentIsRetried(t *testing.T) {
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer provider.Close()
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{Sender: SenderFunc(func(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
		if _, err := oauth.Resolve(ctx, oauth.Settings{Kind: oauth.Custom, ClientID: "stamp", Issuer: provider.URL, Scopes: []string{"smtp"}}, provider.Client()); err != nil {
			return nil, err
		}
		t.Fatal("the provider answered")
		return nil, nil
	})})
	r, err := o.Enqueue(testNew("provider down"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := o.SendNow(context.Background(), r.ID, false)
	if got.State != Retrying {
		t.Fatalf("the provider answered 503 (nothing sent, try later) and the message is %q (%q), not retrying: %+v", got.State, got.Reason, got.LastError)
	}
}
