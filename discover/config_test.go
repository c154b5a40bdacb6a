package discover

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"stamp/account"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// srv is the part of an OutgoingServer the tests compare.
type srv struct {
	host     string
	port     int
	socket   SocketType
	auth     account.AuthMechanism
	user     string
	problem  string // substring of NotUsable; "" means usable
	plainish bool
}

func servers(c *ClientConfig) []srv {
	var out []srv
	for _, s := range c.Outgoing {
		auth, _ := s.Auth()
		out = append(out, srv{host: s.Hostname, port: s.Port, socket: s.SocketType, auth: auth, user: s.Username, problem: s.NotUsable})
	}
	return out
}

func TestParseConfigRealShapes(t *testing.T) {
	tests := []struct {
		name, file, address string
		provider            string
		domains             []string // a prefix of the domain list
		want                []srv
		oauthIssuer         string
	}{
		{
			name: "Gmail: implicit TLS on 465, OAuth2 listed before the password", file: "googlemail.com.xml", address: "Ann.Lee@gmail.com",
			provider: "Google Mail", domains: []string{"gmail.com", "googlemail.com", "google.com"},
			want:        []srv{{host: "smtp.gmail.com", port: 465, socket: SocketSSL, auth: account.AuthXOAUTH2, user: "Ann.Lee@gmail.com"}},
			oauthIssuer: "accounts.google.com",
		},
		{
			name: "Outlook.com: STARTTLS on 587, OAuth2 only", file: "hotmail.com.xml", address: "bob@hotmail.co.uk",
			provider: "Outlook.com (Microsoft)", domains: []string{"hotmail.com", "live.com", "outlook.com"},
			want: []srv{{host: "smtp-mail.outlook.com", port: 587, socket: SocketSTARTTLS, auth: account.AuthXOAUTH2, user: "bob@hotmail.co.uk"}},
		},
		{
			name: "Microsoft 365: incoming EWS entries with a broken placeholder do not disturb SMTP", file: "office365.com.xml", address: "cy@contoso.example",
			provider: "Microsoft 365", domains: []string{"office365.com", "onmicrosoft.com", "mail.protection.outlook.com"},
			want:        []srv{{host: "smtp.office365.com", port: 587, socket: SocketSTARTTLS, auth: account.AuthXOAUTH2, user: "cy@contoso.example"}},
			oauthIssuer: "login.microsoftonline.com",
		},
		{
			name: "GMX: two alternatives kept in order, comment after the root accepted", file: "gmx.net.xml", address: "dora@gmx.de",
			provider: "GMX Freemail", domains: []string{"gmx.net", "gmx.de"},
			want: []srv{
				{host: "mail.gmx.net", port: 465, socket: SocketSSL, auth: account.AuthAuto, user: "dora@gmx.de"},
				{host: "mail.gmx.net", port: 587, socket: SocketSTARTTLS, auth: account.AuthAuto, user: "dora@gmx.de"},
			},
		},
		{
			name: "a hoster with three outgoing servers", file: "gransy.com.xml", address: "eva@internetserver.cz",
			provider: "G-Hosting.cz a Station.cz", domains: []string{"gransy.com", "internetserver.cz"},
			want: []srv{
				{host: "smtp.gransy.com", port: 465, socket: SocketSSL, auth: account.AuthAuto, user: "eva@internetserver.cz"},
				{host: "smtp.gransy.com", port: 587, socket: SocketSTARTTLS, auth: account.AuthAuto, user: "eva@internetserver.cz"},
				{host: "smtp.gransy.com", port: 25, socket: SocketSTARTTLS, auth: account.AuthAuto, user: "eva@internetserver.cz"},
			},
		},
		{
			name: "user name built from the local part and the domain; password-encrypted is CRAM-MD5", file: "iij4u.xml", address: "taro@dd.iij4u.or.jp",
			provider: "IIJ4U", domains: []string{"dd.iij4u.or.jp"},
			want: []srv{{host: "mbox.iij4u.or.jp", port: 587, socket: SocketSTARTTLS, auth: account.AuthCRAMMD5, user: "taro.dd.iij4u.or.jp"}},
		},
		{
			name: "plain relay without login; %EMAILDOMAIN% in the host name", file: "plain-relay.xml", address: "x@kokuyou.example",
			provider: "Relay ISP", domains: []string{"kokuyou.example"},
			want: []srv{{host: "smtp.kokuyou.example", port: 25, socket: SocketPlain, auth: account.AuthNone, user: ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(fixture(t, tt.file), tt.address)
			if err != nil {
				t.Fatal(err)
			}
			if c.DisplayName != tt.provider {
				t.Errorf("provider %q, want %q", c.DisplayName, tt.provider)
			}
			if len(c.Domains) < len(tt.domains) || !reflect.DeepEqual(c.Domains[:len(tt.domains)], tt.domains) {
				t.Errorf("domains %v, want them to start with %v", c.Domains, tt.domains)
			}
			if got := servers(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("servers\n got %+v\nwant %+v", got, tt.want)
			}
			if tt.oauthIssuer != "" && (c.OAuth2 == nil || c.OAuth2.Issuer != tt.oauthIssuer) {
				t.Errorf("oAuth2 %+v, want issuer %s", c.OAuth2, tt.oauthIssuer)
			}
		})
	}
}

// doc wraps outgoing servers in a minimal file.
func doc(outgoing string) []byte {
	return []byte(`<?xml version="1.0"?><clientConfig version="1.1"><emailProvider id="example.test">` +
		`<domain>example.test</domain><displayName>Example</displayName>` + outgoing + `</emailProvider></clientConfig>`)
}

func out(host, port, socket string, extra ...string) string {
	return `<outgoingServer type="smtp"><hostname>` + host + `</hostname><port>` + port + `</port><socketType>` + socket +
		`</socketType>` + strings.Join(extra, "") + `</outgoingServer>`
}

func TestParseConfigServersThatCannotBeUsed(t *testing.T) {
	tests := []struct {
		name    string
		xml     []byte
		problem []string // per server: substring of NotUsable, "" for usable
	}{
		{"port 0", doc(out("smtp.example.test", "0", "SSL")), []string{`port "0" is not a TCP port`}},
		{"port 99999", doc(out("smtp.example.test", "99999", "SSL")), []string{`port "99999" is not a TCP port`}},
		{"port that is not a number", doc(out("smtp.example.test", "465abc", "SSL")), []string{`port "465abc"`}},
		{"negative port", doc(out("smtp.example.test", "-465", "SSL")), []string{`port "-465"`}},
		{"no port", doc(`<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><socketType>SSL</socketType></outgoingServer>`), []string{"no port"}},
		{"no hostname", doc(`<outgoingServer type="smtp"><port>465</port><socketType>SSL</socketType></outgoingServer>`), []string{"no hostname"}},
		{"hostname with a space", doc(out("smtp example.test", "465", "SSL")), []string{"is not a host name"}},
		{"hostname with an unknown placeholder", doc(out("smtp.%REALNAME%.test", "465", "SSL")), []string{"is not a host name"}},
		{"unknown socket type", doc(out("smtp.example.test", "465", "TLS")), []string{`unknown socketType "TLS"`}},
		{"no socket type", doc(`<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port></outgoingServer>`), []string{"no socketType"}},
		{"only logins Stamp does not speak", doc(out("smtp.example.test", "465", "SSL", "<authentication>GSSAPI</authentication><authentication>NTLM</authentication>")), []string{"cannot log in with GSSAPI, NTLM"}},
		{"one bad alternative does not spoil the good one", doc(out("smtp.example.test", "99999", "SSL") + out("smtp.example.test", "587", "STARTTLS")), []string{"99999", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(tt.xml, "me@example.test")
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Outgoing) != len(tt.problem) {
				t.Fatalf("%d servers, want %d", len(c.Outgoing), len(tt.problem))
			}
			for i, want := range tt.problem {
				got := c.Outgoing[i].NotUsable
				if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
					t.Errorf("server %d: not usable %q, want %q", i, got, want)
				}
			}
			usable := false
			for _, p := range tt.problem {
				usable = usable || p == ""
			}
			if c.Usable() != usable {
				t.Errorf("Usable() = %v, want %v", c.Usable(), usable)
			}
		})
	}
}

func TestParseConfigChoices(t *testing.T) {
	t.Run("the first supported socketType wins", func(t *testing.T) {
		c, err := ParseConfig(doc(out("smtp.example.test", "465", "TLS</socketType><socketType>SSL</socketType><socketType>plain")), "a@example.test")
		if err != nil || c.Outgoing[0].SocketType != SocketSSL || c.Outgoing[0].NotUsable != "" {
			t.Fatalf("%+v %v", c, err)
		}
	})
	t.Run("the first supported authentication wins; all are kept", func(t *testing.T) {
		c, err := ParseConfig(doc(out("smtp.example.test", "465", "SSL",
			"<authentication>GSSAPI</authentication><authentication>password-encrypted</authentication><authentication>OAuth2</authentication>")), "a@example.test")
		if err != nil {
			t.Fatal(err)
		}
		s := c.Outgoing[0]
		if auth, _ := s.Auth(); auth != account.AuthCRAMMD5 || len(s.Methods) != 3 {
			t.Fatalf("auth %v, methods %v", auth, s.Methods)
		}
	})
	t.Run("client-IP-address and smtp-after-pop mean no login", func(t *testing.T) {
		for _, m := range []string{"client-IP-address", "smtp-after-pop", "none"} {
			c, err := ParseConfig(doc(out("smtp.example.test", "587", "STARTTLS", "<authentication>"+m+"</authentication>")), "a@example.test")
			if err != nil {
				t.Fatal(err)
			}
			if auth, _ := c.Outgoing[0].Auth(); auth != account.AuthNone {
				t.Errorf("%s: auth %v", m, auth)
			}
		}
	})
	t.Run("incoming and non-smtp outgoing servers are ignored", func(t *testing.T) {
		c, err := ParseConfig(doc(`<outgoingServer type="exchange"><hostname>ews.example.test</hostname><port>443</port><socketType>SSL</socketType></outgoingServer>`+
			`<incomingServer type="imap"><hostname>imap.example.test</hostname><port>993</port><socketType>SSL</socketType></incomingServer>`+
			out("smtp.example.test", "465", "SSL")), "a@example.test")
		if err != nil || len(c.Outgoing) != 1 || c.Outgoing[0].Hostname != "smtp.example.test" {
			t.Fatalf("%+v %v", c, err)
		}
	})
	t.Run("a second emailProvider is ignored", func(t *testing.T) {
		x := `<clientConfig><emailProvider id="one"><displayName>One</displayName>` + out("smtp.one.test", "465", "SSL") +
			`</emailProvider><emailProvider id="two"><displayName>Two</displayName>` + out("smtp.two.test", "465", "SSL") + `</emailProvider></clientConfig>`
		c, err := ParseConfig([]byte(x), "a@one.test")
		if err != nil || c.DisplayName != "One" || len(c.Outgoing) != 1 || c.Outgoing[0].Hostname != "smtp.one.test" {
			t.Fatalf("%+v %v", c, err)
		}
	})
	t.Run("ISO-8859-1 files are read", func(t *testing.T) {
		x := append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><clientConfig><emailProvider id="x"><displayName>M`), 0xfc)
		x = append(x, []byte(`nchen Mail</displayName>`+out("smtp.example.test", "465", "SSL")+`</emailProvider></clientConfig>`)...)
		c, err := ParseConfig(x, "a@example.test")
		if err != nil || c.DisplayName != "München Mail" {
			t.Fatalf("%+v %v", c, err)
		}
	})
	t.Run("upper-case host names are lowered, a trailing dot dropped", func(t *testing.T) {
		c, err := ParseConfig(doc(out("SMTP.Example.TEST.", "465", "SSL")), "a@example.test")
		if err != nil || c.Outgoing[0].Hostname != "smtp.example.test" || c.Outgoing[0].NotUsable != "" {
			t.Fatalf("%+v %v", c.Outgoing, err)
		}
	})
	t.Run("at most MaxOutgoingServers are kept", func(t *testing.T) {
		c, err := ParseConfig(doc(strings.Repeat(out("smtp.example.test", "465", "SSL"), MaxOutgoingServers+5)), "a@example.test")
		if err != nil || len(c.Outgoing) != MaxOutgoingServers {
			t.Fatalf("%d servers, %v", len(c.Outgoing), err)
		}
	})
}

func TestParseConfigRefusesWholeFiles(t *testing.T) {
	deep := strings.Repeat("<a>", MaxConfigDepth) + strings.Repeat("</a>", MaxConfigDepth)
	tests := []struct {
		name string
		xml  string
		want string
	}{
		{"empty answer", "", "no <clientConfig>"},
		{"garbage", "\x00\x01\x02 not xml at all <<<", "broken XML"},
		{"an HTML page served with 200", "<!DOCTYPE html><html><body>Welcome</body></html>", "root element is <html>"},
		{"truncated file", string(doc(out("smtp.example.test", "465", "SSL")))[:120], "broken XML"},
		{"no emailProvider", "<clientConfig></clientConfig>", "no <emailProvider>"},
		{"only incoming servers", `<clientConfig><emailProvider id="x"><incomingServer type="imap"><hostname>imap.x.test</hostname></incomingServer></emailProvider></clientConfig>`, "lists no SMTP server"},
		{"nested too deep", "<clientConfig><emailProvider>" + deep + "</emailProvider></clientConfig>", "nested deeper"},
		{"too many tokens", "<clientConfig><emailProvider>" + strings.Repeat("<x/>", MaxConfigTokens/2+1) + "</emailProvider></clientConfig>", "XML tokens"},
		{"larger than the limit", "<clientConfig>" + strings.Repeat(" ", MaxConfigBytes) + "</clientConfig>", "larger than"},
		{"a very long text", "<clientConfig><emailProvider><displayName>" + strings.Repeat("x", 10000) + "</displayName></emailProvider></clientConfig>", "longer than"},
		{"entity expansion (billion laughs)", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><clientConfig><emailProvider><displayName>&lol2;</displayName></emailProvider></clientConfig>`, "broken XML"},
		{"two roots", "<clientConfig><emailProvider>" + out("smtp.example.test", "465", "SSL") + "</emailProvider></clientConfig><clientConfig/>", "more than one root"},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC-US"?><clientConfig/>`, "broken XML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tt.xml), "a@example.test")
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %+v, %v; want a ConfigError saying %q", c, err, tt.want)
			}
		})
	}
}
