package ui

import (
	"fyne.io/fyne/v2/lang"

	"stamp/account"
	"stamp/smtpclient"
)

// securityText names a connection's security mode in a few words of the
// person's language, for a line that says how Stamp connects (the send
// panel's header, the Accounts window's folded server settings): never
// the flag value ("none", "tls", "starttls") the settings store.
func securityText(s smtpclient.Security) string {
	switch s {
	case smtpclient.SecurityTLS:
		return lang.X("security.short.tls", "TLS")
	case smtpclient.SecuritySTARTTLS:
		return lang.X("security.short.starttls", "STARTTLS")
	case smtpclient.SecurityNone:
		return lang.X("security.short.none", "no encryption")
	}
	return smtpclient.Printable(s.String())
}

// accountSecurityText is securityText for an account's stored mode; ""
// (nothing picked) stays "".
func accountSecurityText(s account.Security) string {
	if s == "" {
		return ""
	}
	sec, err := smtpclient.ParseSecurity(string(s))
	if err != nil {
		return smtpclient.Printable(string(s))
	}
	return securityText(sec)
}

// endpointText is a server as a person reads it: host:port and the
// security mode in words ("smtp.example.org:587 (STARTTLS)"), where
// account.Endpoint.String gives the settings' names.
func endpointText(e account.Endpoint) string {
	return lang.X("security.endpoint", "{{.Host}}:{{.Port}} ({{.Security}})",
		map[string]any{"Host": smtpclient.Printable(e.Host), "Port": e.Port, "Security": accountSecurityText(e.Security)})
}
