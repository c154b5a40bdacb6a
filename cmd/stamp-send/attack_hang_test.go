package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"stamp/oauth/oauthtest"
)

// TestAttackAHangingTokenEndpointHangsSendPastItsTimeout: a cron job runs
// stamp-send --account NAME --timeout 3s. The provider's token endpoint
// accepts the connection and never answers (slow-loris, a stuck proxy).
// The refresh runs under the signal context only, with http.DefaultClient
// (no time limit), so --timeout does not bound it and stamp-send never
// ends.
func TestAttackAHangingTokenEndpointHangsSendPastItsTimeout(t *testing.T) {
	const mailbox = "me@example.test"
	e := newAccountEnv(t)
	srv := oauthtest.Start(t)
	ctx := context.Background()
	md, err := srv.Metadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tokenURL, _ := url.Parse(md["token_endpoint"].(string))
	real := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: tokenURL.Scheme, Host: tokenURL.Host})
	var hang atomic.Bool
	release := make(chan struct{})
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hang.Load() {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		real.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	t.Cleanup(func() { close(release) }) // runs first: let the hung request end
	sb, ca := introspectingSandbox(t, srv, mailbox, "XOAUTH2")
	browserLogsIn(t, srv)
	code, out, errOut := runCmd(t, "", "account", "add", e.name, "--from", mailbox, "--server", sb.Addr(), "--security", "tls",
		"--ca-file", ca, "--oauth", "custom", "--client-id", oauthtest.ClientID, "--auth-url", md["authorization_endpoint"].(string),
		"--token-url", proxy.URL+tokenURL.Path, "--scopes", "openid offline_access")
	if code != exitOK {
		t.Fatalf("add --oauth: exit %d\n%s%s", code, out, errOut)
	}
	hang.Store(true)
	done := make(chan int, 1)
	var errText string
	go func() {
		code, _, eo := runCmd(t, "", "--account", e.name, "--timeout", "1s", "--to", "bob@example.test", "--subject", "cron", "--body", "Hello")
		errText = eo
		done <- code
	}()
	select {
	case code := <-done:
		if code != exitTimeout {
			t.Errorf("stamp-send against a silent token endpoint: exit %d, want %d (timeout)\n%s", code, exitTimeout, errText)
		}
		if !strings.Contains(errText, "did not answer in time") {
			t.Errorf("stamp-send does not say the provider did not answer:\n%s", errText)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("stamp-send --timeout 1s is still waiting for the token endpoint after 30 s")
	}
	if n := sb.Messages(); len(n) != 0 { // nothing is sent without a fresh token
		t.Errorf("%d messages reached the server without a fresh token", len(n))
	}
}
