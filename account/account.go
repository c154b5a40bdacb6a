package account

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"stamp/i18n"
	"stamp/internal/boundedfile"
	"stamp/smtpclient"
)

// Security says how the connection to the server is protected. The values
// are the words used in the config file and on the command line, as
// smtpclient.SecurityModes defines them.
type Security string

const (
	// SecurityTLS is implicit TLS from the first byte (RFC 8314, usually port 465).
	SecurityTLS Security = "tls"
	// SecuritySTARTTLS starts in plain text and upgrades with STARTTLS
	// (RFC 3207, usually port 587); it never continues without TLS.
	SecuritySTARTTLS Security = "starttls"
	// SecurityNone is plain text end to end. A password is only ever sent
	// this way to a loopback address.
	SecurityNone Security = "none"
)

// ParseSecurity accepts a mode's name or alias as smtpclient.SecurityModes
// defines them ("tls", "ssl", "smtps", "starttls", "none", …), in any case,
// and returns its stored name.
func ParseSecurity(s string) (Security, error) {
	m, ok := smtpclient.LookupSecurity(s)
	if !ok {
		_, err := smtpclient.ParseSecurity(s)
		return "", err
	}
	return Security(m.Name), nil
}

// DefaultPort is the usual port for a security mode: 465 for implicit TLS,
// 587 for STARTTLS and 25 for none.
func (s Security) DefaultPort() int { return s.engine().DefaultPort() }

// Describe says in a few words what the mode means to a person.
func (s Security) Describe() string {
	switch s {
	case SecurityTLS:
		return i18n.T("account.security.tls", "TLS from the first byte (implicit TLS)")
	case SecuritySTARTTLS:
		return i18n.T("account.security.starttls", "STARTTLS: upgrades to TLS, never continues without it")
	case SecurityNone:
		return i18n.T("account.security.none", "no encryption (local relays and test servers only)")
	}
	return i18n.T("account.security.unknown", "unknown security {{.Security}}", map[string]any{"Security": strconv.Quote(string(s))})
}

// engine is the engine's value for the mode (implicit TLS for an unknown
// one, the safe default).
func (s Security) engine() smtpclient.Security {
	sec, _ := smtpclient.ParseSecurity(string(s))
	return sec
}

// valid accepts the stored names only (not the aliases).
func (s Security) valid() bool {
	m, ok := smtpclient.LookupSecurity(string(s))
	return ok && m.Name == string(s)
}

// AuthMechanism says how Stamp logs in to the server. The values are the
// names smtpclient.LoginMethods defines.
type AuthMechanism string

const (
	// AuthAuto picks the best mechanism the server offers.
	AuthAuto AuthMechanism = "auto"
	// AuthPlain is SASL PLAIN (RFC 4616).
	AuthPlain AuthMechanism = "plain"
	// AuthLogin is the LOGIN mechanism most servers still offer.
	AuthLogin AuthMechanism = "login"
	// AuthCRAMMD5 is CRAM-MD5 (RFC 2195).
	AuthCRAMMD5 AuthMechanism = "cram-md5"
	// AuthXOAUTH2 sends an OAuth 2 access token (Gmail, Outlook, Microsoft 365).
	AuthXOAUTH2 AuthMechanism = "xoauth2"
	// AuthOAuthBearer sends an OAuth 2 access token the standard way (RFC 7628).
	AuthOAuthBearer AuthMechanism = "oauthbearer"
	// AuthNone does not log in at all: for relays that accept mail without
	// authentication (a local MTA, a test server). No secret is kept.
	AuthNone AuthMechanism = "none"
)

// ParseAuthMechanism accepts the login methods smtpclient.LoginMethods
// defines (auto, plain, login, cram-md5, xoauth2, oauthbearer and none), in
// any case, and returns the stored name. The empty string means auto.
func ParseAuthMechanism(s string) (AuthMechanism, error) {
	m, err := smtpclient.ParseLoginMethod(s)
	if err != nil {
		return "", err
	}
	return AuthMechanism(m.Name), nil
}

// method is the mechanism's definition (ok false for an unknown name).
func (m AuthMechanism) method() (smtpclient.LoginMethod, bool) {
	if m == "" {
		m = AuthAuto
	}
	return smtpclient.LookupLoginMethod(string(m))
}

// NeedsSecret reports whether the mechanism logs in with a password or token.
func (m AuthMechanism) NeedsSecret() bool {
	lm, ok := m.method()
	return !ok || lm.Login
}

// valid accepts the stored names only.
func (m AuthMechanism) valid() bool {
	lm, ok := m.method()
	return ok && lm.Name == string(m)
}

// Account is one saved sending account. It never holds a secret: the
// password or token lives in the OS keyring under the account's ID (see
// Secrets).
type Account struct {
	// ID names the account for good: the keyring entry and --account use
	// it. It does not change when the label does.
	ID string `json:"id"`
	// Label is what the person calls the account ("Work"); empty means the ID.
	Label string `json:"label,omitempty"`
	// Name is the sender's display name in the From header.
	Name string `json:"name,omitempty"`
	// Address is the sender's email address (From and MAIL FROM).
	Address string `json:"address"`
	// Host is the SMTP server's host name or IP address, stored and shown
	// as the person typed it: a name in Unicode ("smtp.bücher.example")
	// stays so here, and the engine dials and verifies its A-label form
	// (smtpclient.ASCIIHost).
	Host string `json:"host"`
	// Port is the SMTP server's TCP port; 0 means Security.DefaultPort().
	Port int `json:"port,omitempty"`
	// Security is implicit TLS, STARTTLS or none.
	Security Security `json:"security"`
	// Username is the login name; empty means the address.
	Username string `json:"username,omitempty"`
	// Auth is the login mechanism; empty means AuthAuto.
	Auth AuthMechanism `json:"auth,omitempty"`
	// CAFile is a PEM file of extra certificate authorities for a server
	// with a self-signed certificate. Verification stays on.
	CAFile string `json:"ca_file,omitempty"`
	// PinnedSHA256 trusts exactly one server certificate, named by the
	// SHA-256 of its DER bytes (64 hex digits, see NormalizeSHA256),
	// instead of a chain to a trusted CA: the other way to trust a server
	// with a self-signed certificate. Empty means no pin.
	PinnedSHA256 string `json:"pinned_sha256,omitempty"`
	// OAuth, when set, makes the account sign in with OAuth 2 (package
	// oauth) instead of a password: the keyring keeps the refresh token,
	// and the login sends a fresh access token with XOAUTH2 or OAUTHBEARER.
	OAuth *OAuthSettings `json:"oauth,omitempty"`
	// SaveSent keeps a copy of each sent message in Stamp's Sent folder.
	SaveSent bool `json:"save_sent"`
	// Signature is plain text the composer puts under the RFC 3676 "-- "
	// line of a new message and swaps when the From account changes
	// (compose.WithSignature, compose.SwapSignature). It is the same text
	// in a Markdown message: the lines under the delimiter are shown as
	// typed, not read as Markdown. Empty means none. At most
	// MaxSignatureLength characters, valid UTF-8, no NUL.
	Signature string `json:"signature,omitempty"`
	// Default marks the account used when none is chosen. The Store keeps
	// exactly one default while it holds any account.
	Default bool `json:"-"`
}

// DisplayName is the label, or the ID when there is no label.
func (a Account) DisplayName() string {
	if strings.TrimSpace(a.Label) != "" {
		return a.Label
	}
	return a.ID
}

// Login is the user name sent to the server: Username, or the address.
func (a Account) Login() string {
	if a.Username != "" {
		return a.Username
	}
	return a.Address
}

// EffectivePort is Port, or the default port for the security mode.
func (a Account) EffectivePort() int {
	if a.Port > 0 {
		return a.Port
	}
	return a.Security.DefaultPort()
}

// EffectiveAuth is Auth, or AuthAuto when it is empty.
func (a Account) EffectiveAuth() AuthMechanism {
	if a.Auth == "" {
		return AuthAuto
	}
	return a.Auth
}

// Server is "host:port", the address Stamp connects to.
func (a Account) Server() string {
	return net.JoinHostPort(a.Host, strconv.Itoa(a.EffectivePort()))
}

// From is the From header value: "Name <address>", or the bare address.
func (a Account) From() string {
	if a.Name == "" {
		return a.Address
	}
	return (&mail.Address{Name: a.Name, Address: a.Address}).String()
}

// FieldError is one problem with one field of an Account. Field is the JSON
// name of the field ("host", "port", ...), so a form can point at it.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// ValidationError lists every problem Validate found, in field order.
type ValidationError struct {
	Problems []*FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return i18n.T("account.invalid", "invalid account: {{.Problems}}", map[string]any{"Problems": strings.Join(parts, "; ")})
}

// Field returns the problem with the named field, or nil.
func (e *ValidationError) Field(name string) *FieldError {
	for _, p := range e.Problems {
		if p.Field == name {
			return p
		}
	}
	return nil
}

// Unwrap lets errors.As find each *FieldError.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// MaxSignatureLength bounds a signature, in characters: far above a few
// lines of name, title and phone numbers.
const MaxSignatureLength = 4000

// MaxIDLength bounds an account ID, in characters.
const MaxIDLength = 64

// ValidateID checks an account ID: 1 to MaxIDLength printable characters,
// no spaces, no slashes. Addresses ("me@example.com") and short names
// ("work") are both fine.
func ValidateID(id string) error {
	switch {
	case id == "":
		return errors.New(i18n.T("account.invalid.id_empty", "the account needs a name"))
	case !utf8.ValidString(id):
		return errors.New(i18n.T("account.invalid.id_utf8", "the name is not valid UTF-8"))
	case utf8.RuneCountInString(id) > MaxIDLength:
		return errors.New(i18n.T("account.invalid.id_long", "the name is longer than {{.Max}} characters", map[string]any{"Max": MaxIDLength}))
	}
	for _, r := range id {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) || r == '/' || r == '\\' {
			return errors.New(i18n.T("account.invalid.id_chars", "the name {{.ID}} may not contain spaces, control characters or slashes", map[string]any{"ID": fmt.Sprintf("%q", id)}))
		}
	}
	return nil
}

// Validate checks every field and returns a *ValidationError naming each
// field that is wrong, or nil. It reads the CA file, if one is set, to make
// sure it holds a certificate.
func (a Account) Validate() error {
	var probs []*FieldError
	add := func(field, format string, args ...any) {
		probs = append(probs, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	say := func(field, text string) { add(field, "%s", text) } // a translated reason

	if err := ValidateID(a.ID); err != nil {
		add("id", "%s", err)
	}
	if hasLineBreak(a.Label) {
		say("label", i18n.T("account.invalid.line_breaks", "may not contain line breaks"))
	}
	if hasLineBreak(a.Name) {
		say("name", i18n.T("account.invalid.line_breaks", "may not contain line breaks"))
	}
	if err := checkAddress(a.Address); err != nil {
		add("address", "%s", err)
	}
	if err := checkHost(a.Host); err != nil {
		add("host", "%s", err)
	}
	if a.Port < 0 || a.Port > 65535 {
		say("port", i18n.T("account.invalid.port", "{{.Port}} is out of range (1 to 65535, or 0 for the default)", map[string]any{"Port": a.Port}))
	}
	if !a.Security.valid() {
		say("security", i18n.T("account.invalid.choice", "{{.Value}} is not {{.Choices}}", map[string]any{"Value": fmt.Sprintf("%q", a.Security), "Choices": smtpclient.SecurityNames()}))
	}
	if hasLineBreak(a.Username) || strings.ContainsRune(a.Username, 0) {
		say("username", i18n.T("account.invalid.line_breaks_nul", "may not contain line breaks or NUL"))
	}
	auth := a.EffectiveAuth()
	if !auth.valid() {
		say("auth", i18n.T("account.invalid.choice", "{{.Value}} is not {{.Choices}}", map[string]any{"Value": fmt.Sprintf("%q", a.Auth), "Choices": smtpclient.AuthNames(true)}))
	}
	if a.Security == SecurityNone && auth.NeedsSecret() && a.Host != "" && !IsLoopback(a.Host) {
		say("security", i18n.T("account.invalid.cleartext_password", "refusing to send a password without encryption to {{.Host}}: anyone on the network between you and the server could read it. Choose TLS or STARTTLS, or set auth to none if this relay accepts mail without logging in", map[string]any{"Host": a.Host}))
	}
	a.validateOAuth(add)
	switch {
	case !utf8.ValidString(a.Signature) || strings.ContainsRune(a.Signature, 0):
		say("signature", i18n.T("account.invalid.signature_text", "is not valid text (invalid UTF-8 or a NUL character)"))
	case utf8.RuneCountInString(a.Signature) > MaxSignatureLength:
		say("signature", i18n.T("account.invalid.signature_long", "is longer than {{.Max}} characters", map[string]any{"Max": MaxSignatureLength}))
	}
	if a.CAFile != "" {
		if err := checkCAFile(a.CAFile); err != nil {
			add("ca_file", "%s", err)
		}
	}
	if a.PinnedSHA256 != "" {
		if _, err := NormalizeSHA256(a.PinnedSHA256); err != nil {
			add("pinned_sha256", "%s", err)
		}
		if a.Security == SecurityNone {
			// The engine would refuse it at send time; say so now.
			say("pinned_sha256", i18n.T("account.invalid.pin_without_tls", "a pinned certificate needs an encrypted connection (security tls or starttls): with security none there is no certificate to check and everything goes in clear text; choose TLS or STARTTLS, or stop trusting the pinned certificate"))
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return &ValidationError{Problems: probs}
}

// NormalizeSHA256 checks a certificate fingerprint and returns it in the
// form Stamp stores and prints: 64 lower-case hex digits. It accepts upper
// case and the colon-separated form browsers and openssl show
// ("AB:CD:…"), and surrounding spaces.
func NormalizeSHA256(s string) (string, error) {
	h := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), ":", ""))
	if len(h) != 64 {
		return "", errors.New(i18n.T("account.invalid.sha256_length", "the SHA-256 fingerprint must be 64 hex digits (colons allowed), got {{.Count}}", map[string]any{"Count": len(h)}))
	}
	for _, r := range h {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return "", errors.New(i18n.T("account.invalid.sha256_digit", "the SHA-256 fingerprint may hold only hex digits and colons, not {{.Char}}", map[string]any{"Char": fmt.Sprintf("%q", r)}))
		}
	}
	return h, nil
}

// IsLoopback reports whether host names this machine without DNS: "localhost"
// (and names under ".localhost", RFC 6761 §6.3) or a loopback IP address.
func IsLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func hasLineBreak(s string) bool { return strings.ContainsAny(s, "\r\n") }

func checkAddress(addr string) error {
	if strings.TrimSpace(addr) == "" {
		return errors.New(i18n.T("account.invalid.address_empty", "the sender address is empty"))
	}
	if hasLineBreak(addr) {
		return errors.New(i18n.T("account.invalid.line_breaks", "may not contain line breaks"))
	}
	parsed, err := mail.ParseAddress(addr)
	if err != nil {
		return errors.New(i18n.T("account.invalid.not_address", "{{.Address}} is not an email address", map[string]any{"Address": fmt.Sprintf("%q", addr)}))
	}
	if parsed.Address != addr || parsed.Name != "" {
		return errors.New(i18n.T("account.invalid.bare_address", "write the bare address (like name@example.com) here and the name in the name field, not {{.Address}}", map[string]any{"Address": fmt.Sprintf("%q", addr)}))
	}
	return nil
}

func checkHost(host string) error {
	switch {
	case host == "":
		return errors.New(i18n.T("account.invalid.host_empty", "the server name is empty"))
	case strings.Contains(host, "://"):
		return errors.New(i18n.T("account.invalid.host_scheme", "write the server name only (like smtp.example.com), without {{.Scheme}}", map[string]any{"Scheme": fmt.Sprintf("%q", host[:strings.Index(host, "://")+3])}))
	case strings.ContainsAny(host, " \t\r\n/@"):
		return errors.New(i18n.T("account.invalid.host_not_name", "{{.Host}} is not a server name", map[string]any{"Host": fmt.Sprintf("%q", host)}))
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
		return nil
	}
	if h, p, err := net.SplitHostPort(host); err == nil {
		return errors.New(i18n.T("account.invalid.host_port", "put the port {{.Port}} in the port field and only {{.Host}} here", map[string]any{"Port": p, "Host": fmt.Sprintf("%q", h)}))
	}
	// A name in Unicode is kept as typed; it must have an A-label form,
	// which is what the engine dials and checks the certificate against,
	// and DNS lengths apply to that form.
	ascii, err := smtpclient.ASCIIHost(host)
	if err != nil {
		return errors.New(i18n.T("account.invalid.host_invalid", "{{.Host}} is not a valid server name", map[string]any{"Host": fmt.Sprintf("%q", host)}))
	}
	if len(ascii) > 253 {
		return errors.New(i18n.T("account.invalid.host_long", "the server name is longer than 253 characters"))
	}
	// The lookup rules fold some characters into others and drop
	// invisible ones (fullwidth "ｅｘａｍｐｌｅ" is dialled as "example", a
	// zero-width space vanishes): the name saved must read as the name
	// dialled, apart from letter case.
	if ascii != host {
		u, err := idna.Lookup.ToUnicode(ascii)
		if err != nil {
			u = ascii
		}
		if u != strings.ToLower(host) {
			return errors.New(i18n.T("account.invalid.host_dialled_as", "{{.Host}} would be dialled as {{.ASCII}}: write it as {{.Unicode}}", map[string]any{"Host": fmt.Sprintf("%q", host), "ASCII": fmt.Sprintf("%q", ascii), "Unicode": fmt.Sprintf("%q", u)}))
		}
	}
	for _, label := range strings.Split(strings.TrimSuffix(host, "."), ".") {
		if label == "" || len(label) > 63 && isASCII(label) || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return errors.New(i18n.T("account.invalid.host_invalid", "{{.Host}} is not a valid server name", map[string]any{"Host": fmt.Sprintf("%q", host)}))
		}
		for _, r := range label {
			if !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r > unicode.MaxASCII && unicode.IsLetter(r)) {
				return errors.New(i18n.T("account.invalid.host_invalid", "{{.Host}} is not a valid server name", map[string]any{"Host": fmt.Sprintf("%q", host)}))
			}
		}
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// checkCAFile makes sure path holds at least one PEM certificate that parses,
// so a typo shows up when the account is saved rather than at send time.
func checkCAFile(path string) error {
	if !filepath.IsAbs(path) {
		return errors.New(i18n.T("account.invalid.ca_not_absolute", "{{.Path}} is not an absolute path", map[string]any{"Path": fmt.Sprintf("%q", path)}))
	}
	data, err := boundedfile.Read(path, boundedfile.DefaultLimit)
	if err != nil {
		return fmt.Errorf("%s: %w", i18n.T("account.invalid.ca_unreadable", "cannot read the CA file"), err)
	}
	found := 0
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			return errors.New(i18n.T("account.invalid.ca_bad_cert", "{{.Path}} holds a certificate that does not parse: {{.Error}}", map[string]any{"Path": path, "Error": err.Error()}))
		}
		found++
	}
	if found == 0 {
		return errors.New(i18n.T("account.invalid.ca_no_cert", "{{.Path}} holds no PEM certificate (BEGIN CERTIFICATE)", map[string]any{"Path": path}))
	}
	return nil
}
