package oauth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"stamp/internal/chromiumtest"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
)

// TestSignInWithRealBrowser has headless Chromium open the authorization
// URL, fill the server's login page and follow its redirects, so the
// loopback listener gets the callback from a real browser.
func TestSignInWithRealBrowser(t *testing.T) {
	bctx := chromiumtest.Start(t, "the sign-in in a real browser", 2*time.Minute)
	ctx := bctx
	srv := oauthtest.Start(t)
	p := provider(t, srv)

	s, err := oauth.Start(p, oauth.Options{Timeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	done := waitAsync(s, ctx)

	err = chromedp.Do(bctx,
		chromedp.Navigate(s.AuthURL()),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), srv.Username()),
		chromedp.SendKeys(chromedp.CSS(`#password`), oauthtest.Password),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
	)
	if err != nil {
		t.Fatalf("driving Chromium through the login page: %v", err)
	}
	// The server redirects the browser to the loopback listener; wait for
	// the browser to get there (a poll inside the page would die with each
	// navigation, so ask again until the page is the listener's).
	var final, body string
	for {
		final, err = chromedp.Run(bctx, chromedp.Location())
		if err == nil && strings.HasPrefix(final, s.RedirectURL()) {
			body, err = chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`body`)))
			if err == nil && strings.Contains(body, "Stamp") {
				break
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("the browser never showed the loopback listener's page (last at %q: %v)", strings.SplitN(final, "?", 2)[0], err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.HasPrefix(final, s.RedirectURL()) {
		t.Fatalf("the browser ended on %q, not the loopback listener", strings.SplitN(final, "?", 2)[0])
	}
	if !strings.Contains(body, "You can close this tab and return to Stamp") {
		t.Fatalf("the browser shows %.300q", body)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("Wait: %v", r.err)
	}
	in, err := srv.Introspect(ctx, r.tok.AccessToken)
	if err != nil || !in.Active || in.Subject != oauthtest.Subject {
		t.Fatalf("the browser sign-in's access token is not active for the user: %+v, %v", in, err)
	}
}
