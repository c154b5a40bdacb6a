package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"stamp/account"
	"stamp/oauth/oauthtest"
)

// TestWindowTestSignInFixture is no test: scripts/window-test-accounts.sh
// runs it (STAMP_SIGNIN_FIXTURE=DIR, with the window test's XDG folders) to
// play the provider and the person's browser for a sign-in from the real
// Accounts window. It starts the OpenID provider of oauth/oauthtest on
// 127.0.0.1, saves an account that signs in with it (custom provider) in
// the window test's settings, and writes DIR/ready. When DIR/url appears
// (written by the xdg-open stand-in the window test puts first on the
// app's PATH), headless Chromium opens it, logs in on the provider's page
// and follows the redirect to Stamp's loopback listener; DIR/browsed then
// holds "ok" and the listener's page, or the error. It stops when DIR/stop
// appears (or after five minutes).
//
// The account's server is a sandbox SMTP server on 127.0.0.1 (its CA in
// DIR/sandbox-ca.pem) that accepts only XOAUTH2/OAUTHBEARER logins with a
// token the provider's introspection calls active (sandboxCheckingTokens):
// a send from the composer needs the sign-in. Each message it receives is
// parsed back (go-message) into DIR/received; DIR/tokens holds every token
// the fixture saw, for the window test's check that none reached its logs
// or screenshots.
func TestWindowTestSignInFixture(t *testing.T) {
	dir := os.Getenv("STAMP_SIGNIN_FIXTURE")
	if dir == "" {
		t.Skip("only for scripts/window-test-accounts.sh (STAMP_SIGNIN_FIXTURE=DIR)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		os.WriteFile(filepath.Join(dir, "ready"), []byte("no chromium: "+err.Error()), 0o600)
		t.Skip("no chromium")
	}
	srv := oauthtest.Start(t)
	sb := sandboxCheckingTokens(t, srv, dir)
	ca := filepath.Join(dir, "sandbox-ca.pem")
	if err := os.WriteFile(ca, sb.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := account.DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	store, err := account.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Add(account.Account{ID: "signin", Name: "Window Test", Address: fixtureMailbox,
		Host: sb.Host(), Port: sb.Port(), Security: account.SecurityTLS, CAFile: ca, Auth: account.AuthAuto, SaveSent: true,
		OAuth: &account.OAuthSettings{Provider: account.OAuthCustom, ClientID: oauthtest.ClientID, Issuer: srv.Issuer,
			Scopes: oauthtest.Scopes}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ready"), []byte("ok"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for ctx.Err() == nil {
		if _, err := os.Stat(filepath.Join(dir, "stop")); err == nil {
			return
		}
		u, err := os.ReadFile(filepath.Join(dir, "url"))
		if err == nil && len(u) > 0 {
			os.Remove(filepath.Join(dir, "url"))
			result := "ok\n"
			body, err := browse(ctx, chromium, strings.TrimSpace(string(u)), srv, t.TempDir())
			if err != nil {
				result = "error: " + err.Error() + "\n"
			}
			os.WriteFile(filepath.Join(dir, "browsed"), []byte(result+body), 0o600)
		}
		sb.report(ctx)
		time.Sleep(100 * time.Millisecond)
	}
}

// browse logs in at u in headless Chromium and returns the page the
// browser ends on (Stamp's loopback listener's).
func browse(ctx context.Context, chromium, u string, srv *oauthtest.Server, profile string) (string, error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.UserDataDir(profile),
		chromedp.DisableGPU, chromedp.Flag("no-first-run", true))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), srv.Username()),
		chromedp.SendKeys(chromedp.CSS(`#password`), oauthtest.Password),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`))); err != nil {
		return "", err
	}
	for ctx.Err() == nil {
		loc, err := chromedp.Run(bctx, chromedp.Location())
		if err == nil && strings.HasPrefix(loc, "http://127.0.0.1:") && strings.Contains(loc, "/callback") {
			body, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`body`)))
			if err == nil && strings.Contains(body, "Stamp") {
				return body, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", ctx.Err()
}
