package smtpclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// Security says how the connection to the server is protected.
type Security int

const (
	// SecurityTLS is implicit TLS: the handshake starts as soon as the TCP
	// connection is open (RFC 8314, usually port 465). It is the zero value,
	// so a Config that forgets to choose is secure.
	SecurityTLS Security = iota
	// SecuritySTARTTLS starts in plain text and upgrades with STARTTLS
	// (RFC 3207, usually port 587). It never falls back to plain text.
	SecuritySTARTTLS
	// SecurityNone sends everything in plain text. AUTH is then allowed only
	// to a loopback address (the sandbox).
	SecurityNone
)

// String returns the name used in flags and settings: "tls", "starttls" or
// "none" (SecurityModes).
func (s Security) String() string {
	for _, m := range securityModes {
		if m.Security == s {
			return m.Name
		}
	}
	return "Security(" + strconv.Itoa(int(s)) + ")"
}

// ParseSecurity turns a mode's name or alias (SecurityModes: "tls", "ssl",
// "smtps", "starttls", "none", …; any case) into a Security.
func ParseSecurity(s string) (Security, error) {
	if m, ok := LookupSecurity(s); ok {
		return m.Security, nil
	}
	return 0, securityError(s)
}

// DefaultPort is the usual port for a security mode: 465 for implicit TLS,
// 587 for STARTTLS and 25 for none.
func (s Security) DefaultPort() int {
	switch s {
	case SecurityTLS:
		return 465
	case SecuritySTARTTLS:
		return 587
	}
	return 25
}

// AuthMechanism names a SASL mechanism, or AuthAuto to pick one from what
// the server offers.
type AuthMechanism string

// The mechanisms the engine speaks (LoginMethods names them for people).
const (
	AuthAuto    AuthMechanism = ""
	AuthPlain   AuthMechanism = "PLAIN"
	AuthLogin   AuthMechanism = "LOGIN"
	AuthCRAMMD5 AuthMechanism = "CRAM-MD5"
	AuthXOAUTH2 AuthMechanism = "XOAUTH2"
	// AuthOAuthBearer is RFC 7628's standard form of XOAUTH2.
	AuthOAuthBearer AuthMechanism = "OAUTHBEARER"
)

// ParseAuthMechanism accepts auto, plain, login, cram-md5, xoauth2 or
// oauthbearer (LoginMethods, any case; "" is auto). "none" is not a
// mechanism: a Config without Username does not log in.
func ParseAuthMechanism(s string) (AuthMechanism, error) {
	if m, ok := LookupLoginMethod(s); ok && m.Login {
		return m.Mechanism, nil
	}
	return "", authError(s, false)
}

// Default timeouts.
const (
	// DefaultTimeout bounds each network step (connect, handshake, each reply).
	DefaultTimeout = 30 * time.Second
	// DefaultFinalReplyTimeout bounds the wait for the reply after the
	// message's final "." — RFC 5321 §4.5.3.2.6 asks clients to allow 10 minutes.
	DefaultFinalReplyTimeout = 10 * time.Minute
)

// Config describes how to reach and log in to one server. Secrets are
// supplied by the caller for one session and never stored by this package.
type Config struct {
	// Host is the server's name or IP address. The certificate must match it.
	// A name typed in Unicode is converted to A-labels (ASCIIHost) before
	// it is dialled and checked against the certificate.
	Host string
	// Port is the TCP port; 0 means Security.DefaultPort().
	Port int
	// Security is implicit TLS (the zero value), STARTTLS or none.
	Security Security

	// Username enables AUTH; empty means no authentication.
	Username string
	// Password is used by PLAIN, LOGIN and CRAM-MD5.
	Password string
	// OAuth2Token is an OAuth 2 access token for XOAUTH2 or OAUTHBEARER.
	OAuth2Token string
	// Auth is the mechanism to use; AuthAuto picks from the server's offer.
	Auth AuthMechanism

	// HeloName is the name sent with EHLO. Empty means this machine's fully
	// qualified name if it has one, otherwise an address literal such as
	// "[192.0.2.1]" (RFC 5321 §4.1.4).
	HeloName string

	// CAFile is a PEM file of extra certificate authorities trusted for this
	// account, in addition to the system roots. Verification stays on.
	CAFile string
	// CAPEM is the same as CAFile, given as bytes (the sandbox hands out its
	// CA this way).
	CAPEM []byte
	// PinnedSHA256 trusts exactly one certificate, given as the SHA-256 of
	// its DER bytes in hex (colons and case ignored), instead of a chain to
	// a trusted CA: the other explicit way to trust a self-signed server.
	// TLSInfo.SHA256 and Error.CertificateSHA256 show the value to pin.
	// Only the server's own certificate can match (not a CA's), and the
	// handshake still proves the server holds its key; the pinned
	// certificate is trusted as it is: its dates, names and key usage are
	// not checked, and CAFile and CAPEM are not consulted (not even read).
	// A pin needs TLS or STARTTLS: with SecurityNone, Send and Probe refuse
	// it (ErrPinWithoutTLS) rather than send in clear text.
	PinnedSHA256 string

	// Timeout bounds each network step; 0 means DefaultTimeout.
	Timeout time.Duration
	// FinalReplyTimeout bounds the wait for the reply to the end of the
	// message; 0 means DefaultFinalReplyTimeout.
	FinalReplyTimeout time.Duration

	// ContinueOnRejected sends the message to the accepted recipients when
	// some (not all) were refused. By default one refusal stops the send.
	ContinueOnRejected bool

	// DisablePipelining sends one command at a time even when the server
	// offers PIPELINING (for comparisons and stubborn servers).
	DisablePipelining bool

	// Background streams the message from threads of lower scheduling
	// priority (nice +10 on Linux, below normal on Windows; no effect on
	// macOS yet), so that
	// preparing and encrypting a large message yields the CPU to a desktop
	// app's interface. With nothing else to run, the transfer is as fast.
	// Events still arrive on the goroutine that called Send.
	Background bool

	// Dialer opens the TCP connection; nil means a net.Dialer. Tests and
	// proxies can replace it. With a Dialer, a password is never sent
	// without TLS, even when the connection seems to end on this machine
	// (a local proxy may relay it further).
	Dialer func(ctx context.Context, network, address string) (net.Conn, error)
}

// ErrPinWithoutTLS is what Send and Probe wrap when a certificate is pinned
// on a connection without encryption (SecurityNone): there would be no
// certificate to check, and the message would go in clear text.
var ErrPinWithoutTLS = errors.New("a pinned certificate needs an encrypted connection (security tls or starttls): " +
	"with security none there is no certificate to check and everything goes in clear text; " +
	"choose TLS or STARTTLS, or stop trusting the pinned certificate")

func (c *Config) port() int {
	if c.Port > 0 {
		return c.Port
	}
	return c.Security.DefaultPort()
}

// ASCIIHost returns host with every Unicode label converted to its A-label
// by the IDNA lookup rules ("bücher.example" → "xn--bcher-kva.example"):
// the form that is resolved, dialled and named in certificates. A host that
// is ASCII already (a name, an IP address) is returned unchanged. Send and
// Probe convert Config.Host this way before dialling and verifying.
//
// A Unicode name that DNS cannot hold is refused: an empty label
// ("bücher..de"), a label over 63 bytes or a name over 253 once converted,
// a label that breaks the bidi rule. One trailing dot (a fully qualified
// name) is allowed and kept. The lookup rules fold case and compatibility
// forms and drop ignorable characters ("ｅｘａｍｐｌｅ.com" → "example.com",
// a zero-width space vanishes): Address shows the converted form, and
// callers that store names (account.Validate) can compare it with what was
// typed.
func ASCIIHost(host string) (string, error) {
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			name, dot := strings.CutSuffix(host, ".")
			a, err := idnaProfile.ToASCII(name)
			if err == nil && (name == "" || a == "" || strings.HasSuffix(name, ".")) {
				err = errors.New("empty name")
			}
			if err != nil {
				return "", fmt.Errorf("%q is not a valid international server name: %w", host, err)
			}
			if dot {
				a += "."
			}
			return a, nil
		}
	}
	return host, nil
}

// idnaProfile is the IDNA lookup profile (UTS #46 mapping, the bidi rule)
// that also verifies DNS lengths and refuses empty labels.
var idnaProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true))

// Address is "host:port", the address Send and Probe dial: Host in its
// ASCIIHost form ("smtp.xn--bcher-kva.example:465" for
// "smtp.bücher.example", "example.com:465" for the fullwidth
// "ｅｘａｍｐｌｅ.com"), so that whoever shows it shows what is dialled.
// A Host with no such form is shown as given (Send and Probe refuse it).
func (c *Config) Address() string {
	host := c.Host
	if a, err := ASCIIHost(host); err == nil {
		host = a
	}
	return net.JoinHostPort(host, strconv.Itoa(c.port()))
}

func (c *Config) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *Config) finalReplyTimeout() time.Duration {
	if c.FinalReplyTimeout > 0 {
		return c.FinalReplyTimeout
	}
	return DefaultFinalReplyTimeout
}

// secrets lists the values that must never leave the engine.
func (c *Config) secrets() []string {
	var s []string
	for _, v := range []string{c.Password, c.OAuth2Token} {
		if v != "" {
			s = append(s, v)
		}
	}
	return s
}

// redacted is Config without its methods, with the secrets replaced by Mask.
type redacted Config

func (c Config) redacted() redacted {
	if c.Password != "" {
		c.Password = Mask
	}
	if c.OAuth2Token != "" {
		c.OAuth2Token = Mask
	}
	return redacted(c)
}

// String prints the configuration with Password and OAuth2Token shown as
// Mask, so that %v and %+v in a log or a panic never print a secret (a
// struct that embeds Config prints this too).
func (c Config) String() string { return fmt.Sprintf("%+v", c.redacted()) }

// GoString hides the secrets from %#v too.
func (c Config) GoString() string { return fmt.Sprintf("%#v", c.redacted()) }
