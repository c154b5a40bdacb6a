package oauth

import (
	"errors"
	"fmt"
	"net/http"

	"stamp/i18n"
)

// ErrProviderUnavailable: the sign-in provider could not answer for the
// moment (HTTP 408, 429 or 5xx, or the OAuth error temporarily_unavailable):
// nothing was decided about the sign-in, and trying again later works.
// Errors from discovery and the token endpoint wrap it (a *ProviderError's
// Err, or "answered HTTP 503: …"), so errors.Is finds it: the outbox
// retries with back-off instead of asking the person.
var ErrProviderUnavailable = newTextError(i18n.M("oauth.err.unavailable", "the sign-in provider is not available for the moment: try again later"))

// temporaryStatus reports whether an HTTP status says "try again later".
func temporaryStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// statusError is the error of an HTTP answer other than 200 from u.
func statusError(u string, code int) error {
	if temporaryStatus(code) {
		return fmt.Errorf("%s: %w", i18n.T("oauth.err.answered_http", "{{.Provider}} answered HTTP {{.Status}}", map[string]any{"Provider": u, "Status": code}), ErrProviderUnavailable)
	}
	return errors.New(i18n.T("oauth.err.answered_http", "{{.Provider}} answered HTTP {{.Status}}", map[string]any{"Provider": u, "Status": code}))
}
