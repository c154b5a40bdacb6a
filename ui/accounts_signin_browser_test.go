package ui

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/chromedp/chromedp"

	"stamp/oauth/oauthtest"
)

// chromiumPath finds a Chromium or Chrome to drive, or skips loudly (as
// oauth/browser_test.go does).
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("STAMP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("SKIPPED, NOT TESTED: the Accounts window's sign-in in a real browser. No Chromium found on PATH " +
		"(install Debian's chromium: scripts/deps.sh test, or set STAMP_CHROMIUM to a Chrome binary)")
	return ""
}

// TestSignInFromTheAccountsWindowInARealBrowser: the window opens the
// sign-in page in the browser (here headless Chromium, handed the URL the
// window opens), the person logs in on the provider's page, the browser
// comes back to the loopback listener, and the window shows the sign-in
// kept in the keyring.
func TestSignInFromTheAccountsWindowInARealBrowser(t *testing.T) {
	path := chromiumPath(t)
	srv := oauthtest.Start(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.DisableGPU,
		chromedp.Flag("no-first-run", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	browsed := make(chan error, 1)
	w, _, secrets := signInWindow(t, func(u *url.URL) error {
		go func() { // the person in their browser
			browsed <- chromedp.Do(bctx,
				chromedp.Navigate(u.String()),
				chromedp.WaitVisible(chromedp.CSS(`#username`)),
				chromedp.SendKeys(chromedp.CSS(`#username`), srv.Username()),
				chromedp.SendKeys(chromedp.CSS(`#password`), oauthtest.Password),
				chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
			)
		}()
		return nil
	}, 2*time.Minute)
	customSignIn(t, w, srv)
	test.Tap(w.SignInButton)
	// Chromium may take a while to start on a loaded machine: wait up to
	// the test's two minutes, not waitRecv's ten seconds.
	for done := false; !done; {
		drainUI()
		select {
		case err := <-browsed:
			if err != nil {
				t.Fatalf("driving Chromium through the login page: %v", err)
			}
			done = true
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			t.Fatal("Chromium did not get through the login page within two minutes")
		}
	}
	for w.sign.flow != nil && ctx.Err() == nil {
		drainUI()
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(w.SignedIn.Text, "Signed in with your provider as") {
		t.Fatalf("after the browser sign-in the window says %q", w.SignedIn.Text)
	}
	// The browser shows the listener's page.
	body, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`body`)))
	if err != nil || !strings.Contains(body, "You can close this tab and return to Stamp") {
		t.Errorf("the browser shows %.300q (%v)", body, err)
	}
	rt, _, _, err := secrets.RefreshToken(ctx, w.current)
	if err != nil || !srv.RefreshTokenActive(ctx, rt) {
		t.Fatalf("the keyring holds no sign-in the provider knows: %v", err)
	}
}
