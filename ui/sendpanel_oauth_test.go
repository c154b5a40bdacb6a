package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/account"
	"stamp/oauth"
	"stamp/smtpclient"
)

// A renewal of the sign-in that fails for another reason than a revoked
// sign-in is told in words: the provider out of reach, the send cancelled,
// an administrator's approval missing (a token endpoint on 127.0.0.1
// answering as Microsoft does).
func TestAFailedRenewalIsExplainedInThePanel(t *testing.T) {
	const refresh = "stamp-test-secret-refresh-token"
	consent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_grant","error_description":"AADSTS65001: The user or administrator has not consented to use the application."}`))
	}))
	defer consent.Close()
	for _, tc := range []struct {
		name, tokenURL string
		cancelled      bool
		want           string
		signIn         bool
	}{
		{"the provider out of reach", "http://127.0.0.1:1/token", false, "check the network connection", false},
		{"cancelled while renewing", "http://127.0.0.1:1/token", true, "Cancelled while renewing the sign-in", false},
		{"an administrator must approve", consent.URL + "/token", false, "grant admin consent", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			secrets := account.NewSecretsWith(account.NewMemoryKeyring())
			if _, err := secrets.SaveRefreshToken(ctx, "work", "custom", refresh); err != nil {
				t.Fatal(err)
			}
			prov, err := oauth.Resolve(ctx, oauth.Settings{Kind: oauth.Custom, ClientID: "stamp-test", AuthURL: "http://127.0.0.1:1/auth",
				TokenURL: tc.tokenURL, Scopes: []string{"smtp"}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			sess := oauth.NewManager(secrets).Session("work", prov)
			p := newSendPanel(test.NewTempApp(t))
			p.OnSignIn = func() {}
			finished := make(chan error, 1)
			p.OnFinished = func(_ *smtpclient.Result, err error) { finished <- err }
			sendCtx, cancel := context.WithCancel(ctx)
			if tc.cancelled {
				cancel()
			}
			p.StartWith(sendCtx, cancel, sendJob{Config: smtpclient.Config{Host: "127.0.0.1", Port: 1, Username: "me@example.com"},
				Envelope: smtpclient.Envelope{From: "me@example.com", To: []string{"ann@example.com"}},
				Message:  rawMessage("Subject: hi\r\n\r\nhello\r\n"), Title: "hi",
				Transmit: func(ctx context.Context, cfg smtpclient.Config, env smtpclient.Envelope, msg smtpclient.Message, on func(smtpclient.Event)) (*smtpclient.Result, error) {
					return oauth.Send(ctx, sess, cfg, env, msg, on)
				}})
			waitRecv(t, finished, "the send")
			if p.StepState(oauth.StepRefresh) != "failed" || !p.byStep[oauth.StepRefresh].box.Visible() || p.StepState(smtpclient.StepConnect) != "waiting" {
				t.Fatalf("steps: renew sign-in %s, connect %s", p.StepState(oauth.StepRefresh), p.StepState(smtpclient.StepConnect))
			}
			if !strings.Contains(p.Outcome.Text, tc.want) || p.SignInAgain.Visible() != tc.signIn {
				t.Fatalf("the panel says %q (Sign in again shown %v); want %q", p.Outcome.Text, p.SignInAgain.Visible(), tc.want)
			}
			if strings.Contains(p.TranscriptText()+p.Outcome.Text, refresh) {
				t.Fatal("the refresh token reached the panel")
			}
		})
	}
}
