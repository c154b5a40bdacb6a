package oauth

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"stamp/i18n"
	"stamp/smtpclient"
)

var (
	// ErrSignInAgain: the provider no longer accepts the saved sign-in
	// (invalid_grant: revoked, expired, unused for months, password
	// changed, or a Google app in testing status after 7 days), or none is
	// saved. Mark the account "Sign in again" and start a new sign-in.
	ErrSignInAgain = newTextError(i18n.M("oauth.err.sign_in_again", "the sign-in has expired or was revoked: sign in again"))
	// ErrTimedOut: the browser never came back to Stamp within the time
	// limit.
	ErrTimedOut = newTextError(i18n.M("oauth.err.timed_out", "the sign-in timed out: the browser did not come back to Stamp"))
	// ErrCancelled: the person cancelled the sign-in, in Stamp or on the
	// provider's page.
	ErrCancelled = newTextError(i18n.M("oauth.err.cancelled", "the sign-in was cancelled"))
	// ErrAdminApproval: the organization's administrator must approve Stamp
	// (or the client ID in use) before its people can sign in with it.
	ErrAdminApproval = newTextError(i18n.M("oauth.err.admin_approval", "an administrator of your organization must approve this app before you can sign in"))
	// ErrNoRefreshToken: the provider signed the person in but sent no
	// refresh token, so Stamp could not keep the sign-in.
	ErrNoRefreshToken = newTextError(i18n.M("oauth.err.no_refresh_token", "the provider sent no refresh token, so the sign-in cannot be kept"))
	// ErrDeviceUnsupported: the provider has no device-code sign-in
	// (Google refuses it for mail).
	ErrDeviceUnsupported = newTextError(i18n.M("oauth.err.device_unsupported", "this provider does not offer sign-in on another device"))
)

// NoClientIDError says no OAuth client ID is configured for the provider:
// this build of Stamp has none built in and the account sets none.
type NoClientIDError struct {
	Kind Kind
}

func (e *NoClientIDError) Error() string {
	return i18n.T("oauth.err.no_client_id", "this build of Stamp has no client ID for {{.Provider}} sign-in, and the account sets none.",
		map[string]any{"Provider": e.Kind.Name()}) + " " + e.Hint()
}

// Hint says how to get a client ID.
func (e *NoClientIDError) Hint() string {
	switch e.Kind {
	case Google:
		return i18n.T("oauth.hint.client_id.google", "Create a \"Desktop app\" OAuth client in the Google Cloud console (APIs & Services, Credentials), add the scope https://mail.google.com/ to its consent screen, and enter its client ID and client secret in the account's sign-in settings.")
	case Microsoft:
		return i18n.T("oauth.hint.client_id.microsoft", "Register an app in the Microsoft Entra admin center (App registrations) as a public client with the redirect URI http://127.0.0.1/callback (\"Mobile and desktop applications\"), allow public client flows for sign-in on another device, add the delegated permission SMTP.Send, and enter its Application (client) ID in the account's sign-in settings.")
	}
	return i18n.T("oauth.hint.client_id.custom", "Ask the mail provider's administrator to register a client for Stamp (redirect URI http://127.0.0.1/callback, any port) and enter its client ID in the account's sign-in settings.")
}

// ProviderError is an error the authorization server reported, from the
// redirect (error=access_denied) or the token endpoint (error=invalid_grant).
// Code and Description are the server's words with every secret of the
// request masked (smtpclient.Mask), made printable (smtpclient.Printable):
// safe to show as they are.
type ProviderError struct {
	Code        string
	Description string
	// Err is the sentinel callers act on (ErrSignInAgain, ErrCancelled,
	// ErrAdminApproval, ErrProviderUnavailable), or nil.
	Err error
}

func (e *ProviderError) Error() string {
	// Printable again: a ProviderError built elsewhere is shown safely too.
	answer := i18n.T("oauth.err.provider_answered", "the provider answered {{.Code}}",
		map[string]any{"Code": smtpclient.Printable(e.Code)})
	if e.Description != "" {
		answer = i18n.T("oauth.err.provider_answered_desc", "the provider answered {{.Code}}: {{.Description}}",
			map[string]any{"Code": smtpclient.Printable(e.Code), "Description": smtpclient.Printable(e.Description)})
	}
	if e.Err == nil {
		return answer
	}
	return i18n.T("oauth.err.provider_wrapped", "{{.Why}} ({{.Answer}})", map[string]any{"Why": e.Err.Error(), "Answer": answer})
}

func (e *ProviderError) Unwrap() error { return e.Err }

// maxDescription bounds how much of a server's error text reaches a
// message, in bytes.
const maxDescription = 300

// providerError classifies an OAuth error code and description, then
// keeps them safe to show: secrets (the tokens, codes and client secret of
// the request; a server may quote them) masked, made printable, the
// description cut to maxDescription.
func providerError(code, desc string, secrets []string) *ProviderError {
	e := &ProviderError{Code: safeText(code, secrets),
		Description: safeText(smtpclient.Clip(mask(desc, secrets), maxDescription), secrets)}
	switch {
	case adminApproval(code, desc):
		e.Err = ErrAdminApproval
	case code == "invalid_grant":
		e.Err = ErrSignInAgain
	case code == "access_denied":
		e.Err = ErrCancelled
	case code == "temporarily_unavailable":
		e.Err = ErrProviderUnavailable
	}
	return e
}

// shownError is an error from below (the network, TLS, x/oauth2) with a
// text safe to show: the secrets of the request masked, then made
// printable (a certificate's names or a proxy's answer may carry escape
// sequences). Unwrap returns the original for errors.Is and errors.As;
// its own text is raw, so never show it.
type shownError struct {
	text string
	err  error
}

func (e *shownError) Error() string { return e.text }
func (e *shownError) Unwrap() error { return e.err }

// wrapShown returns "op: err" as a shownError, masking secrets.
func wrapShown(op string, err error, secrets []string) error {
	return &shownError{text: safeText(op+": "+err.Error(), secrets), err: err}
}

// safeText masks secrets in t, makes it printable, and masks again (an
// escape may complete an escaped form of a secret), as the SMTP engine
// does with a server's text.
func safeText(t string, secrets []string) string {
	return mask(smtpclient.Printable(mask(t, secrets)), secrets)
}

// mask replaces every secret in t, in the forms a server may echo it in
// (as is, Printable's escapes, Go and JSON quoting, URL encoding), with
// smtpclient.Mask.
func mask(t string, secrets []string) string {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		for _, form := range secretForms(sec) {
			t = strings.ReplaceAll(t, form, smtpclient.Mask)
		}
	}
	return t
}

// secretForms lists the forms of sec that mask looks for, longest first:
// smtpclient.SecretForms (the one list the SMTP engine masks and the
// secret audit searches), plus the URL encodings a provider may echo from a
// form body.
func secretForms(sec string) []string {
	var forms []string
	for _, f := range smtpclient.SecretForms(sec) {
		forms = append(forms, f.Text)
	}
	forms = append(forms, url.QueryEscape(sec), url.PathEscape(sec))
	slices.SortFunc(forms, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b) // equal forms side by side for Compact
	})
	return slices.Compact(forms)
}

// adminApproval recognises Microsoft's "Need admin approval" answers:
// AADSTS65001 (no consent), AADSTS90094 / AADSTS90099 (admin consent
// required), AADSTS65004 (consent declined by policy).
func adminApproval(code, desc string) bool {
	if code == "consent_required" || code == "admin_consent_required" {
		return true
	}
	for _, s := range []string{"AADSTS65001", "AADSTS90094", "AADSTS90099", "AADSTS65004"} {
		if strings.Contains(desc, s) {
			return true
		}
	}
	return false
}

// tokenError turns an error from the token endpoint into one callers can
// act on and show. A *oauth2.RetrieveError becomes a *ProviderError (its
// body, which never holds a token on an error answer, is dropped anyway);
// any other error is wrapped in a shownError. secrets are the secrets of
// the request (refresh token, authorization code, device code, client
// secret, PKCE verifier), masked out of the text.
func tokenError(op string, err error, secrets ...string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		code := re.ErrorCode
		if code == "" && re.Response != nil {
			code = fmt.Sprintf("HTTP %d", re.Response.StatusCode)
		}
		pe := providerError(code, re.ErrorDescription, secrets)
		if pe.Err == nil && re.Response != nil && temporaryStatus(re.Response.StatusCode) {
			pe.Err = ErrProviderUnavailable // 429, 503: try again later
		}
		return fmt.Errorf("%s: %w", op, pe)
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Timeout() {
		return fmt.Errorf("%s: %w", op, ErrNoAnswer)
	}
	return wrapShown(op, err, secrets)
}

// Explanation is what an SMTP reply to an OAuth 2 login most likely means,
// in words for a person.
type Explanation struct {
	// Cause is the likely cause.
	Cause string
	// Fix is what the person (or their administrator) can do.
	Fix string
	// SignInAgain: a new sign-in may help.
	SignInAgain bool
}

// ExplainSMTP maps an SMTP server's reply to an OAuth 2 authentication
// (code 535 and so on, with its enhanced status and text) to words. kind is
// the account's provider. ok is false when Stamp knows nothing more than
// the reply itself says.
func ExplainSMTP(kind Kind, code int, text string) (Explanation, bool) {
	lower := strings.ToLower(text)
	switch {
	case hasStatus(text, "5.7.139") && strings.Contains(lower, "smtpclientauthentication is disabled"),
		hasStatus(text, "5.7.139") && strings.Contains(lower, "disabled for the tenant"):
		return Explanation{
			Cause: i18n.T("oauth.explain.smtp.smtp_auth_disabled.cause", "The organization's Microsoft 365 administrator has turned off authenticated SMTP (SMTP AUTH) for the tenant or this mailbox."),
			Fix:   i18n.T("oauth.explain.smtp.smtp_auth_disabled.fix", "Ask the administrator to enable \"Authenticated SMTP\" for your mailbox (Microsoft 365 admin center, Users, Mail, Manage email apps), or for the tenant. Signing in again does not help."),
		}, true
	case hasStatus(text, "5.7.139"):
		return Explanation{
			Cause: i18n.T("oauth.explain.smtp.ms_5_7_139.cause", "Microsoft refused the sign-in for sending (5.7.139): SMTP AUTH may be off for the mailbox, or security defaults block it."),
			Fix:   i18n.T("oauth.explain.smtp.ms_5_7_139.fix", "Ask the administrator to enable \"Authenticated SMTP\" for your mailbox; if it is on, sign in again."),
		}, true
	case hasStatus(text, "5.7.3") && kind == Microsoft:
		return Explanation{
			Cause:       i18n.T("oauth.explain.smtp.ms_5_7_3.cause", "Microsoft refused the login (5.7.3). Most often you signed in with another account than the address you send from."),
			Fix:         i18n.T("oauth.explain.smtp.ms_5_7_3.fix", "Sign in again and choose the account of the From address on Microsoft's page."),
			SignInAgain: true,
		}, true
	case hasStatus(text, "5.7.30"):
		return Explanation{
			Cause: i18n.T("oauth.explain.smtp.basic_auth_off.cause", "The server no longer accepts passwords (basic authentication) for SMTP."),
			Fix:   i18n.T("oauth.explain.smtp.basic_auth_off.fix", "Use \"Sign in with Microsoft\" for this account."),
		}, true
	case kind == Google && code == 535 || kind == Google && hasStatus(text, "5.7.8") ||
		kind == Google && strings.Contains(text, `"status":"401"`):
		return Explanation{
			Cause:       i18n.T("oauth.explain.smtp.google_token.cause", "Gmail refused the token. The sign-in may have ended: apps whose Google project is in \"Testing\" status get sign-ins that last only 7 days, and a password change or six months unused also ends them."),
			Fix:         i18n.T("oauth.explain.smtp.google_token.fix", "Sign in again. If this happens every week, publish the Google Cloud project's consent screen (or use Stamp's own client ID)."),
			SignInAgain: true,
		}, true
	case code == 535 || code == 454 && hasStatus(text, "4.7.0"):
		return Explanation{
			Cause:       i18n.T("oauth.explain.smtp.token_refused.cause", "The server refused the sign-in token."),
			Fix:         i18n.T("oauth.explain.smtp.token_refused.fix", "Sign in again; if it keeps failing, check that the account you sign in with is the one you send from."),
			SignInAgain: true,
		}, true
	}
	return Explanation{}, false
}

// hasStatus reports whether text holds the enhanced status code (RFC 3463)
// as a whole: "5.7.3" is not found in "5.7.30".
func hasStatus(text, code string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], code)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(code)
		before := start == 0 || !isDigit(text[start-1]) && !(text[start-1] == '.' && start >= 2 && isDigit(text[start-2]))
		after := end == len(text) || !isDigit(text[end]) && !(text[end] == '.' && end+1 < len(text) && isDigit(text[end+1]))
		if before && after {
			return true
		}
		i = start + 1
	}
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }
