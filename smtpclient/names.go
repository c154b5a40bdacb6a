package smtpclient

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"stamp/i18n"
)

// SecurityMode is one security mode as people and settings name it: the
// one definition that the engine, the account settings, stamp-send's flags
// and the GUI's picker use.
type SecurityMode struct {
	Security Security
	// Name is the word stored in settings and given to --security.
	Name string
	// Aliases are other words accepted for it, in any case ("ssl").
	Aliases []string
	// Label is what a picker shows.
	Label string
	// Description says in a few words what the mode means.
	Description string
}

var securityModes = []SecurityMode{
	{SecurityTLS, "tls", []string{"ssl", "smtps", "implicit"}, "Implicit TLS (SSL), usually port 465",
		"TLS from the first byte (implicit TLS)"},
	{SecuritySTARTTLS, "starttls", nil, "STARTTLS, usually port 587",
		"STARTTLS: upgrades to TLS, never continues without it"},
	{SecurityNone, "none", []string{"plain", "insecure"}, "None: plain text (local test servers only)",
		"no encryption (local relays and test servers only)"},
}

// SecurityModes lists the security modes in the order a picker shows them.
func SecurityModes() []SecurityMode { return slices.Clone(securityModes) }

// LoginMethod is one way of logging in as people and settings name it: the
// one definition that the engine, the account settings, stamp-send's flags
// and the GUI's picker use.
type LoginMethod struct {
	// Name is the word stored in settings and given to --auth.
	Name string
	// Mechanism is what the engine speaks; AuthAuto for "auto" and "none".
	Mechanism AuthMechanism
	// Label is what a picker shows.
	Label string
	// Login is false only for "none": the server needs no login, so no
	// secret is kept and no AUTH is sent.
	Login bool
}

var loginMethods = []LoginMethod{
	{"auto", AuthAuto, "Automatic (best the server offers)", true},
	{"plain", AuthPlain, "PLAIN", true},
	{"login", AuthLogin, "LOGIN", true},
	{"cram-md5", AuthCRAMMD5, "CRAM-MD5", true},
	{"xoauth2", AuthXOAUTH2, "XOAUTH2 (OAuth 2 token)", true},
	{"oauthbearer", AuthOAuthBearer, "OAUTHBEARER (OAuth 2 token, RFC 7628)", true},
	{"none", AuthAuto, "None (the server needs no login)", false},
}

// LoginMethods lists the login methods in the order a picker shows them.
func LoginMethods() []LoginMethod { return slices.Clone(loginMethods) }

// LookupSecurity finds the mode named s (its name or an alias, any case,
// spaces around ignored).
func LookupSecurity(s string) (SecurityMode, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, m := range securityModes {
		if s == m.Name || slices.Contains(m.Aliases, s) {
			return m, true
		}
	}
	return SecurityMode{}, false
}

// LookupLoginMethod finds the method named s (any case, spaces around
// ignored; "" is "auto").
func LookupLoginMethod(s string) (LoginMethod, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		s = "auto"
	}
	for _, m := range loginMethods {
		if s == m.Name {
			return m, true
		}
	}
	return LoginMethod{}, false
}

// SecurityNames lists the modes' names for a message: "tls, starttls or none".
func SecurityNames() string {
	var names []string
	for _, m := range securityModes {
		names = append(names, m.Name)
	}
	return orList(names)
}

// AuthNames lists the login methods' names for a message: "auto, plain,
// login, cram-md5, xoauth2 or oauthbearer", and "none" too when withNone.
func AuthNames(withNone bool) string {
	var names []string
	for _, m := range loginMethods {
		if m.Login || withNone {
			names = append(names, m.Name)
		}
	}
	return orList(names)
}

// securityError and authError say that a name is unknown, listing the
// accepted ones.
func securityError(s string) error {
	return errors.New(i18n.T("smtp.names.unknown_security", "unknown security {{.Name}} (want {{.Names}})",
		map[string]any{"Name": strconv.Quote(s), "Names": SecurityNames()}))
}

func authError(s string, withNone bool) error {
	return errors.New(i18n.T("smtp.names.unknown_auth", "unknown auth mechanism {{.Name}} (want {{.Names}})",
		map[string]any{"Name": strconv.Quote(s), "Names": AuthNames(withNone)}))
}

// ParseLoginMethod is LookupLoginMethod with an error that lists the names,
// for settings and flags that accept "none" too.
func ParseLoginMethod(s string) (LoginMethod, error) {
	if m, ok := LookupLoginMethod(s); ok {
		return m, nil
	}
	return LoginMethod{}, authError(s, true)
}

// orList writes "a, b or c" in the current language.
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return i18n.T("smtp.names.or_list", "{{.List}} or {{.Last}}",
		map[string]any{"List": strings.Join(names[:len(names)-1], ", "), "Last": names[len(names)-1]})
}

// Describe says in a few words what the mode means to a person.
func (s Security) Describe() string {
	for _, m := range securityModes {
		if m.Security == s {
			return m.Description
		}
	}
	return "unknown security " + s.String()
}
