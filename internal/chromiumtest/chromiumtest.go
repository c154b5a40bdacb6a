// Package chromiumtest starts Debian's headless Chromium for tests, driven
// with github.com/chromedp/chromedp: the sign-in in a real browser
// (oauth) and the HTML of Markdown messages (compose). A test without
// Chromium is skipped with a message that says what was not tested.
package chromiumtest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds a Chromium or Chrome to drive ($STAMP_CHROMIUM first, then
// PATH), or skips t loudly, naming what is not tested.
func Path(t testing.TB, what string) string {
	t.Helper()
	if p := os.Getenv("STAMP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("SKIPPED, NOT TESTED: " + what + ". No Chromium found on PATH " +
		"(install Debian's chromium: scripts/deps.sh test, or set STAMP_CHROMIUM to a Chrome binary)")
	return ""
}

// Start starts a headless Chromium with a fresh profile (skipping t when
// there is none, see Path) and returns a chromedp context for its first
// tab that ends after timeout; the browser is stopped when t ends.
func Start(t testing.TB, what string, timeout time.Duration) context.Context {
	t.Helper()
	path := Path(t, what)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.DisableGPU,
		chromedp.Flag("no-first-run", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancel()
	})
	return bctx
}
