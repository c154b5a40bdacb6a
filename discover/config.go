package discover

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"unicode/utf8"

	"stamp/account"
	"stamp/i18n"
	"stamp/smtpclient"
)

// SocketType is an outgoingServer's socketType in config-v1.1.xml.
type SocketType string

// The socket types the format defines.
const (
	// SocketSSL is TLS from the first byte (implicit TLS, usually port 465).
	SocketSSL SocketType = "SSL"
	// SocketSTARTTLS starts in plain text and upgrades with STARTTLS.
	SocketSTARTTLS SocketType = "STARTTLS"
	// SocketPlain is no encryption at all.
	SocketPlain SocketType = "plain"
)

// Security is the account's security mode for the socket type.
func (s SocketType) Security() account.Security {
	switch s {
	case SocketSSL:
		return account.SecurityTLS
	case SocketSTARTTLS:
		return account.SecuritySTARTTLS
	}
	return account.SecurityNone
}

// AuthMethod is one authentication value of an outgoingServer, as the
// file spells it ("password-cleartext", "OAuth2", …).
type AuthMethod string

// The authentication values of config-v1.1.xml.
const (
	AuthPasswordCleartext AuthMethod = "password-cleartext"
	AuthPasswordEncrypted AuthMethod = "password-encrypted"
	AuthOAuth2            AuthMethod = "OAuth2"
	AuthNone              AuthMethod = "none"
	AuthClientIPAddress   AuthMethod = "client-IP-address"
	AuthSMTPAfterPOP      AuthMethod = "smtp-after-pop"
	AuthGSSAPI            AuthMethod = "GSSAPI"
	AuthNTLM              AuthMethod = "NTLM"
	AuthTLSClientCert     AuthMethod = "TLS-client-cert"
)

// Mechanism is how Stamp logs in for this method; ok is false for a
// method Stamp does not speak (GSSAPI, NTLM, client certificates, an
// unknown word).
func (m AuthMethod) Mechanism() (mech account.AuthMechanism, ok bool) {
	switch m {
	case AuthPasswordCleartext, "plain": // "plain" is the format's old word
		return account.AuthAuto, true
	case AuthPasswordEncrypted, "secure":
		return account.AuthCRAMMD5, true
	case AuthOAuth2:
		return account.AuthXOAUTH2, true
	case AuthNone, AuthClientIPAddress, AuthSMTPAfterPOP:
		return account.AuthNone, true
	}
	return "", false
}

// OutgoingServer is one outgoingServer of type smtp, placeholders expanded.
type OutgoingServer struct {
	// Hostname is the server's name, lower case; HostnameTemplate the
	// same as written, with its placeholders.
	Hostname         string
	HostnameTemplate string
	// Port is the TCP port (0 when the file's value was not a port).
	Port int
	// SocketType is the first supported socketType listed.
	SocketType SocketType
	// Methods are the authentication values listed, in order.
	Methods []AuthMethod
	// UsernameTemplate is the username as written, with its placeholders;
	// Username is the same expanded for the address.
	UsernameTemplate string
	Username         string
	// NotUsable says why this server cannot be used ("port 99999 is not a
	// TCP port"); empty when it can.
	NotUsable string
	// problems are the reasons in NotUsable that do not depend on the
	// address (all but the expanded hostname's).
	problems string
}

// Auth is the login mechanism for the first authentication method Stamp
// speaks; with none listed it is account.AuthAuto (a password). ok is
// false when only methods Stamp does not speak are listed.
func (s OutgoingServer) Auth() (mech account.AuthMechanism, ok bool) {
	if len(s.Methods) == 0 {
		return account.AuthAuto, true
	}
	for _, m := range s.Methods {
		if mech, ok := m.Mechanism(); ok {
			return mech, true
		}
	}
	return "", false
}

// OAuth2 is the clientConfig's oAuth2 element: where to sign in.
type OAuth2 struct {
	Issuer   string
	Scope    string
	AuthURL  string
	TokenURL string
}

// ClientConfig is what Stamp reads of a config-v1.1.xml file: the
// provider and its SMTP servers. Incoming servers are not read.
type ClientConfig struct {
	// ProviderID is emailProvider's id attribute.
	ProviderID string
	// DisplayName and ShortName are the provider's names.
	DisplayName string
	ShortName   string
	// Domains are the address domains the provider serves, lower case.
	Domains []string
	// Outgoing are the SMTP servers, best first. Each is an alternative;
	// one may be unusable (NotUsable says why) while others are fine.
	Outgoing []OutgoingServer
	// OAuth2 is the sign-in information, when the file has it.
	OAuth2 *OAuth2
}

// Usable reports whether at least one outgoing server can be used.
func (c *ClientConfig) Usable() bool {
	for _, s := range c.Outgoing {
		if s.NotUsable == "" {
			return true
		}
	}
	return false
}

// Limits of the parser: a file beyond them is refused as a whole.
const (
	// MaxConfigBytes is the largest file read (real ones are a few KiB).
	MaxConfigBytes = 256 << 10
	// MaxConfigDepth is the deepest element nesting accepted.
	MaxConfigDepth = 16
	// MaxConfigTokens is the most XML tokens (elements, text, comments…).
	MaxConfigTokens = 20000
	// MaxOutgoingServers is how many outgoingServer elements are kept;
	// more are ignored.
	MaxOutgoingServers = 16
	// maxText bounds one element's text.
	maxText = 4096
	// maxDomains bounds the domain list kept.
	maxDomains = 1000
)

// ConfigError says why a config-v1.1.xml file cannot be used at all.
type ConfigError struct {
	Reason string
}

func (e *ConfigError) Error() string { return "not a usable config-v1.1.xml file: " + e.Reason }

func configErr(format string, args ...any) error {
	return &ConfigError{Reason: fmt.Sprintf(format, args...)}
}

// ParseConfig reads a config-v1.1.xml file (as the ISPDB and the
// providers' autoconfig servers publish it) and expands the username and
// hostname placeholders %EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN%
// for address. It returns a *ConfigError when the file is not XML of that
// format, is beyond the limits above, or lists no SMTP server; a server
// that is wrong on its own (a port of 0, an unknown socketType) is kept
// with NotUsable set.
func ParseConfig(data []byte, address string) (*ClientConfig, error) {
	if len(data) > MaxConfigBytes {
		return nil, configErr("the file is larger than %d KiB", MaxConfigBytes>>10)
	}
	p := &parser{d: xml.NewDecoder(bytes.NewReader(data))}
	p.d.Strict = true
	p.d.CharsetReader = charsetReader
	cfg, err := p.parse()
	if err != nil {
		return nil, err
	}
	if len(cfg.Outgoing) == 0 {
		return nil, configErr("it lists no SMTP server (outgoingServer of type smtp)")
	}
	for i := range cfg.Outgoing {
		cfg.Outgoing[i].expand(address)
	}
	return cfg, nil
}

// charsetReader accepts the encodings real files declare: UTF-8 (and its
// ASCII subset) and ISO-8859-1.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1":
		b, err := io.ReadAll(in) // bounded: the whole file is at most MaxConfigBytes
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(b))
		for _, c := range b {
			out = utf8.AppendRune(out, rune(c))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

type parser struct {
	d      *xml.Decoder
	tokens int
	stack  []string // local names of the open elements
	text   strings.Builder
	cfg    ClientConfig
	out    *rawServer // the outgoingServer being read, nil outside one
	oauth  *OAuth2
	inProv bool // inside the first emailProvider
	provs  int  // emailProvider elements seen
}

// rawServer is an outgoingServer as written, before checks.
type rawServer struct {
	hostname, port, username  string
	hasHost, hasPort, hasUser bool
	socketTypes               []string
	methods                   []AuthMethod
}

func (p *parser) parse() (*ClientConfig, error) {
	sawRoot := false
	for {
		tok, err := p.d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, configErr("broken XML: %v", err)
		}
		if p.tokens++; p.tokens > MaxConfigTokens {
			return nil, configErr("more than %d XML tokens", MaxConfigTokens)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(p.stack) == 0 {
				if sawRoot {
					return nil, configErr("more than one root element")
				}
				if t.Name.Local != "clientConfig" {
					return nil, configErr("the root element is <%s>, not <clientConfig>", t.Name.Local)
				}
				sawRoot = true
			}
			p.stack = append(p.stack, t.Name.Local)
			if len(p.stack) > MaxConfigDepth {
				return nil, configErr("elements nested deeper than %d", MaxConfigDepth)
			}
			p.text.Reset()
			p.start(t)
		case xml.EndElement:
			if err := p.end(); err != nil {
				return nil, err
			}
			p.stack = p.stack[:len(p.stack)-1]
			p.text.Reset()
		case xml.CharData:
			if p.text.Len()+len(t) > maxText {
				return nil, configErr("an element's text is longer than %d bytes", maxText)
			}
			p.text.Write(t)
		}
	}
	if !sawRoot {
		return nil, configErr("no <clientConfig> element (an empty or non-XML answer)")
	}
	if p.provs == 0 {
		return nil, configErr("no <emailProvider> element")
	}
	p.cfg.OAuth2 = p.oauth
	return &p.cfg, nil
}

// path is the open elements below clientConfig, joined by "/".
func (p *parser) path() string { return strings.Join(p.stack[1:], "/") }

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (p *parser) start(t xml.StartElement) {
	switch p.path() {
	case "emailProvider":
		p.provs++
		p.inProv = p.provs == 1 // the format has one; later ones are ignored
		if p.inProv {
			p.cfg.ProviderID = strings.TrimSpace(attr(t, "id"))
		}
	case "emailProvider/outgoingServer":
		if p.inProv && attr(t, "type") == "smtp" {
			p.out = &rawServer{}
		}
	case "oAuth2":
		if p.oauth == nil {
			p.oauth = &OAuth2{}
		}
	}
}

func (p *parser) end() error {
	text := strings.TrimSpace(p.text.String())
	path := p.path()
	if strings.HasPrefix(path, "emailProvider") && !p.inProv {
		return nil
	}
	switch path {
	case "emailProvider/domain":
		d := strings.TrimSuffix(strings.ToLower(text), ".")
		if d != "" && len(p.cfg.Domains) < maxDomains {
			p.cfg.Domains = append(p.cfg.Domains, d)
		}
	case "emailProvider/displayName":
		// Shown to people as it is: made Printable here (XML allows a line
		// feed, C1 controls, bidi overrides).
		p.cfg.DisplayName = smtpclient.Printable(text)
	case "emailProvider/displayShortName":
		p.cfg.ShortName = smtpclient.Printable(text)
	case "emailProvider":
		p.inProv = false
	case "emailProvider/outgoingServer":
		if p.out != nil {
			if len(p.cfg.Outgoing) < MaxOutgoingServers {
				p.cfg.Outgoing = append(p.cfg.Outgoing, p.out.check())
			}
			p.out = nil
		}
	case "emailProvider/outgoingServer/hostname":
		if p.out != nil && !p.out.hasHost {
			p.out.hostname, p.out.hasHost = text, true
		}
	case "emailProvider/outgoingServer/port":
		if p.out != nil && !p.out.hasPort {
			p.out.port, p.out.hasPort = text, true
		}
	case "emailProvider/outgoingServer/socketType":
		if p.out != nil && len(p.out.socketTypes) < 8 {
			p.out.socketTypes = append(p.out.socketTypes, text)
		}
	case "emailProvider/outgoingServer/authentication":
		if p.out != nil && len(p.out.methods) < 16 && text != "" {
			p.out.methods = append(p.out.methods, AuthMethod(text))
		}
	case "emailProvider/outgoingServer/username":
		if p.out != nil && !p.out.hasUser {
			p.out.username, p.out.hasUser = text, true
		}
	case "oAuth2/issuer":
		p.oauth.Issuer = text
	case "oAuth2/scope":
		p.oauth.Scope = text
	case "oAuth2/authURL":
		p.oauth.AuthURL = text
	case "oAuth2/tokenURL":
		p.oauth.TokenURL = text
	}
	return nil
}

// check turns what was written into a server, noting the first reason it
// cannot be used. The hostname is checked after expansion (expand).
func (r *rawServer) check() OutgoingServer {
	s := OutgoingServer{Hostname: r.hostname, HostnameTemplate: r.hostname, UsernameTemplate: r.username, Methods: r.methods}
	var problems []string
	if !r.hasHost || r.hostname == "" {
		problems = append(problems, "no hostname")
	}
	switch port, err := strconv.Atoi(r.port); {
	case !r.hasPort || r.port == "":
		problems = append(problems, "no port")
	case err != nil || port < 1 || port > 65535:
		problems = append(problems, fmt.Sprintf("port %q is not a TCP port (1 to 65535)", clip(r.port)))
	default:
		s.Port = port
	}
	for _, st := range r.socketTypes {
		switch SocketType(st) {
		case SocketSSL, SocketSTARTTLS, SocketPlain:
			s.SocketType = SocketType(st)
		}
		if s.SocketType != "" {
			break
		}
	}
	if s.SocketType == "" {
		if len(r.socketTypes) == 0 {
			problems = append(problems, "no socketType")
		} else {
			problems = append(problems, fmt.Sprintf("unknown socketType %q (want SSL, STARTTLS or plain)", clip(r.socketTypes[0])))
		}
	}
	if p := smtpclient.Printable(r.username); p != r.username {
		// A line feed or a bidi override in a login name is no one's
		// user name; it would end up in an account and on the screen.
		s.UsernameTemplate = p
		problems = append(problems, i18n.T("discover.problem.username", "the username holds control or invisible characters"))
	}
	if _, ok := s.Auth(); !ok {
		var names []string
		for _, m := range r.methods {
			names = append(names, string(m))
		}
		problems = append(problems, i18n.T("discover.problem.auth", "Stamp cannot log in with {{.Methods}}", map[string]any{"Methods": clip(strings.Join(names, ", "))}))
	}
	s.NotUsable = strings.Join(problems, "; ")
	return s
}

// clip shortens a hostile value for a message.
func clip(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// expand fills in the placeholders for address and checks the hostname.
func (s *OutgoingServer) expand(address string) {
	s.Username = expand(s.UsernameTemplate, address)
	s.problems = s.NotUsable
	s.Hostname, s.NotUsable = expandHost(s.HostnameTemplate, s.problems, address)
}

// expandHost is hostname template t expanded for address, lower case,
// and the reasons not to use the server: problems (those that do not
// depend on the address) and the hostname's own. %EMAILDOMAIN% is the
// domain as the lookups asked for it (account.Domain: lower case, IDNA
// A-label), since a host name holds no other form.
func expandHost(t, problems, address string) (host, notUsable string) {
	dom, err := account.Domain(address)
	if err != nil {
		dom = ""
	}
	host = strings.TrimSuffix(strings.ToLower(expandWith(t, address, dom)), ".")
	if t == "" || validHost(host) {
		return host, problems
	}
	problem := fmt.Sprintf("hostname %q is not a host name", clip(host))
	host = smtpclient.Printable(host) // kept to be shown, never to connect
	switch {
	case problems == "":
		return host, problem
	case strings.Contains(problems, "hostname"):
		return host, problems
	}
	return host, problem + "; " + problems
}

// expand replaces %EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN% in t.
func expand(t, address string) string { return expandWith(t, address, "") }

// expandWith is expand with %EMAILDOMAIN% as domain; empty means the
// address's domain as typed, lower case.
func expandWith(t, address, domain string) string {
	if !strings.Contains(t, "%") {
		return t
	}
	local, typed := address, ""
	if at := strings.LastIndexByte(address, '@'); at >= 0 {
		local, typed = address[:at], strings.ToLower(address[at+1:])
	}
	if domain == "" {
		domain = typed
	}
	return strings.NewReplacer(
		"%EMAILADDRESS%", address,
		"%EMAILLOCALPART%", local,
		"%EMAILDOMAIN%", domain,
	).Replace(t)
}

// validHost accepts a DNS name (letters, digits, hyphens and underscores
// in dot-separated labels) or an IP address.
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
