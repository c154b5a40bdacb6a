package ui

import "fyne.io/fyne/v2/lang"

// choiceText is the Accounts window's words for a picker option whose
// English comes from smtpclient (names.go: the security modes and login
// methods, built before the language is chosen), in the person's
// language. A label that names a protocol (PLAIN, LOGIN, CRAM-MD5) or that
// smtpclient renamed since is shown as it is;
// TestEverySecurityAndLoginChoiceIsTranslated notices the latter.
func choiceText(english string) string {
	switch english {
	case "Implicit TLS (SSL), usually port 465":
		return lang.X("accounts.security.tls", "Implicit TLS (SSL), usually port 465")
	case "STARTTLS, usually port 587":
		return lang.X("accounts.security.starttls", "STARTTLS, usually port 587")
	case "None: plain text (local test servers only)":
		return lang.X("accounts.security.none", "None: plain text (local test servers only)")
	case "Automatic (best the server offers)":
		return lang.X("accounts.auth.auto", "Automatic (best the server offers)")
	case "XOAUTH2 (OAuth 2 token)":
		return lang.X("accounts.auth.xoauth2", "XOAUTH2 (OAuth 2 token)")
	case "OAUTHBEARER (OAuth 2 token, RFC 7628)":
		return lang.X("accounts.auth.oauthbearer", "OAUTHBEARER (OAuth 2 token, RFC 7628)")
	case "None (the server needs no login)":
		return lang.X("accounts.auth.none", "None (the server needs no login)")
	}
	return english
}
