package oauth

import (
	"errors"

	"stamp/i18n"
)

// ExplainSignIn words why a sign-in, or the renewal of one before a send,
// failed with kind's provider: the likely cause and what to do, the same
// words in the app and in stamp-send. ok is false when Stamp knows nothing
// more than err says (a network error: err's own text says it).
func ExplainSignIn(kind Kind, err error) (Explanation, bool) {
	var nc *NoClientIDError
	switch {
	case errors.As(err, &nc):
		return Explanation{
			Cause: i18n.T("oauth.explain.no_client_id.cause", "This build of Stamp has no client ID for {{.Provider}} sign-in, and the account sets none.",
				map[string]any{"Provider": nc.Kind.Name()}),
			Fix: nc.Hint(),
		}, true
	case errors.Is(err, ErrAdminApproval):
		return Explanation{
			Cause:       i18n.T("oauth.explain.admin_approval.cause", "Your organization lets people sign in only to apps an administrator approved (\"Need admin approval\", AADSTS65001, consent_required)."),
			Fix:         i18n.T("oauth.explain.admin_approval.fix", "Ask your Microsoft 365 administrator to grant admin consent to Stamp (or to the client ID the account uses) in the Microsoft Entra admin center, Enterprise applications, then sign in again. If the administrator registered their own app, enter its client ID in the account."),
			SignInAgain: true,
		}, true
	case errors.Is(err, ErrSignInAgain) && kind == Google:
		return Explanation{
			Cause:       i18n.T("oauth.explain.google_sign_in_again.cause", "Google no longer accepts the saved sign-in: it was revoked, the Google password was changed, it went unused for six months, or the client's Google Cloud project is in \"Testing\" status, whose sign-ins end after 7 days."),
			Fix:         i18n.T("oauth.explain.google_sign_in_again.fix", "Sign in again. If this happens every week, publish the project's OAuth consent screen (or use Stamp's own client ID)."),
			SignInAgain: true,
		}, true
	case errors.Is(err, ErrSignInAgain) && kind == Microsoft:
		return Explanation{
			Cause:       i18n.T("oauth.explain.microsoft_sign_in_again.cause", "Microsoft no longer accepts the saved sign-in: it was revoked (by you or an administrator), the password was changed, or it went unused for 90 days."),
			Fix:         i18n.T("oauth.explain.microsoft_sign_in_again.fix", "Sign in again."),
			SignInAgain: true,
		}, true
	case errors.Is(err, ErrSignInAgain):
		return Explanation{
			Cause:       i18n.T("oauth.explain.sign_in_again.cause", "The provider no longer accepts the saved sign-in (revoked, expired, or the password was changed), or none is saved."),
			Fix:         i18n.T("oauth.explain.sign_in_again.fix", "Sign in again."),
			SignInAgain: true,
		}, true
	case errors.Is(err, ErrTimedOut):
		return Explanation{
			Cause: i18n.T("oauth.explain.timed_out.cause", "The browser never came back to Stamp: the sign-in page was left unfinished, or the browser could not reach Stamp at http://127.0.0.1 (a proxy or security software in the way)."),
			Fix:   i18n.T("oauth.explain.timed_out.fix", "Sign in again and finish on the provider's page. If the browser shows an error for 127.0.0.1, let it reach loopback addresses without the proxy, or sign in on another device (Microsoft)."),
		}, true
	case errors.Is(err, ErrCancelled):
		return Explanation{
			Cause: i18n.T("oauth.explain.cancelled.cause", "The sign-in was cancelled, in Stamp or on the provider's page."),
			Fix:   i18n.T("oauth.explain.cancelled.fix", "Sign in again when you are ready."),
		}, true
	case errors.Is(err, ErrNoRefreshToken):
		return Explanation{
			Cause: i18n.T("oauth.explain.no_refresh_token.cause", "The provider signed you in but sent no refresh token, so Stamp cannot keep the sign-in."),
			Fix:   i18n.T("oauth.explain.no_refresh_token.fix", "Check that the client may ask for offline access (Microsoft: the offline_access scope; a custom provider: its refresh-token setting), then sign in again."),
		}, true
	}
	return Explanation{}, false
}
