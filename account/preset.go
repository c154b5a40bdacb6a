package account

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"golang.org/x/net/idna"
	"golang.org/x/text/language"

	"stamp/i18n"
)

// Endpoint is one way to reach a submission server.
type Endpoint struct {
	Host     string
	Port     int
	Security Security
}

// String is "host:port (security)".
func (e Endpoint) String() string {
	return fmt.Sprintf("%s:%d (%s)", e.Host, e.Port, e.Security)
}

// Login says what secret a provider wants from a mail program.
type Login int

const (
	// LoginPassword: the account's normal password.
	LoginPassword Login = iota
	// LoginAppPassword: a separate app password generated in the
	// provider's security settings (usually after turning on 2-step
	// verification); the normal password is refused.
	LoginAppPassword
	// LoginAuthCode: an authorization code (授权码) generated in the web
	// settings after SMTP is enabled; the normal password is refused.
	LoginAuthCode
	// LoginOAuth2Only: only a browser sign-in (OAuth 2) works; the provider
	// refuses every password, including app passwords.
	LoginOAuth2Only
	// LoginOAuth2OrAppPassword: a browser sign-in (OAuth 2), or an app password.
	LoginOAuth2OrAppPassword
)

// String describes the login for a person.
func (l Login) String() string {
	switch l {
	case LoginPassword:
		return i18n.T("preset.login.password", "your account password")
	case LoginAppPassword:
		return i18n.T("preset.login.app_password", "an app password (not your normal password)")
	case LoginAuthCode:
		return i18n.T("preset.login.auth_code", "an authorization code, 授权码 (not your normal password)")
	case LoginOAuth2Only:
		return i18n.T("preset.login.oauth_only", "sign-in with the provider (OAuth 2) only; passwords are refused")
	case LoginOAuth2OrAppPassword:
		return i18n.T("preset.login.oauth_or_app_password", "sign-in with the provider (OAuth 2), or an app password")
	}
	return fmt.Sprintf("Login(%d)", int(l))
}

// Note is one piece of advice. Text is looked up in the person's language
// when shown (String); EN and ZH are the English and, for Chinese providers,
// the Chinese text, for front ends that show both.
type Note struct {
	EN string
	ZH string
	// Text is the note's key and English (i18n), Data its template fields;
	// a field that is an i18n.Message is looked up too.
	Text i18n.Message
	Data map[string]any
}

// String returns the note in the person's language.
func (n Note) String() string {
	if n.Text.Key == "" {
		return n.EN
	}
	return n.Text.In(i18n.Language(), resolve(i18n.Language(), n.Data))
}

// resolve looks up the i18n.Message values of data in tag.
func resolve(tag language.Tag, data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		if m, ok := v.(i18n.Message); ok {
			v = m.In(tag, nil)
		}
		out[k] = v
	}
	return out
}

// note makes a Note from a translatable text; EN is its English.
func note(m i18n.Message, data ...map[string]any) Note {
	n := Note{Text: m}
	if len(data) > 0 {
		n.Data = data[0]
	}
	n.EN = m.In(i18n.English, resolve(i18n.English, n.Data))
	return n
}

// noteZH is note with ZH set too: the Chinese providers' advice is shown in
// both languages.
func noteZH(m i18n.Message, data ...map[string]any) Note {
	n := note(m, data...)
	n.ZH = m.In(i18n.SimplifiedChinese, resolve(i18n.SimplifiedChinese, n.Data))
	return n
}

// Preset is what Stamp knows about a provider's submission server.
type Preset struct {
	// Provider is the provider's name ("Gmail").
	Provider string
	// Domains are the address domains the preset is for, lower case. A
	// preset for custom domains (Microsoft 365, Alibaba Mail enterprise)
	// may list none and is then chosen by name.
	Domains []string
	// Endpoints are the ways to reach the server, best first.
	Endpoints []Endpoint
	// Auth is the mechanism to configure.
	Auth AuthMechanism
	// Login says which secret the provider accepts.
	Login Login
	// SenderMustBeLogin: the server refuses a From / MAIL FROM other than
	// the login address (QQ 501, NetEase 553).
	SenderMustBeLogin bool
	// Checklist is what the person must do at the provider before the first
	// send, in order.
	Checklist []Note
	// HelpURL is the provider's own page about mail-program settings.
	HelpURL string
	// Guess marks settings derived from the domain name alone, for a domain
	// Stamp does not know. Test the connection before trusting them.
	Guess bool
	// Unverified marks settings taken from third-party pages only.
	Unverified bool
}

// Account returns an account for address with the preset's first endpoint.
// The ID is the address; the caller may change it.
func (p Preset) Account(address string) Account {
	e := p.Endpoints[0]
	return Account{
		ID:       strings.ToLower(address),
		Address:  address,
		Host:     e.Host,
		Port:     e.Port,
		Security: e.Security,
		Auth:     p.Auth,
		SaveSent: true,
	}
}

// Apply sets a's server fields (host, port, security, auth) from the
// endpoint at index i of the preset, keeping everything else.
func (p Preset) Apply(a *Account, i int) {
	e := p.Endpoints[i]
	a.Host, a.Port, a.Security, a.Auth = e.Host, e.Port, e.Security, p.Auth
}

// chinaChecklist is the checklist shared by the Chinese webmail providers:
// SMTP is off until enabled, the password is an authorization code, and the
// sender must be the login.
func chinaChecklist(where i18n.Message) []Note {
	return []Note{
		noteZH(i18n.M("preset.china.enable_smtp", "Sign in to the webmail and turn on SMTP ({{.Where}})."), map[string]any{"Where": where}),
		noteZH(i18n.M("preset.china.auth_code", "Generate an authorization code (授权码) there and enter it as the password; the normal login password is refused (535).")),
		noteZH(i18n.M("preset.china.same_sender", "Send from the same address you log in with: the server refuses any other sender.")),
	}
}

var (
	tls465 = func(host string) Endpoint { return Endpoint{host, 465, SecurityTLS} }
	st587  = func(host string) Endpoint { return Endpoint{host, 587, SecuritySTARTTLS} }
)

// presets is the table. Sources: the Thunderbird ISPDB (thunderbird/autoconfig)
// and the providers' help pages, collected in ../shared/providers.md.
var presets = []Preset{
	{
		Provider:  "Gmail",
		Domains:   []string{"gmail.com", "googlemail.com"},
		Endpoints: []Endpoint{tls465("smtp.gmail.com"), st587("smtp.gmail.com")},
		Auth:      AuthAuto,
		Login:     LoginOAuth2OrAppPassword,
		Checklist: []Note{
			note(i18n.M("preset.gmail.two_step", "Turn on 2-Step Verification in your Google Account (Security).")),
			note(i18n.M("preset.gmail.app_password", "Create an app password (Google Account → Security → App passwords) and enter it as the password; your Google password is refused (535 5.7.8).")),
		},
		HelpURL: "https://support.google.com/mail/answer/185833",
	},
	{
		Provider: "Outlook.com / Hotmail",
		Domains: []string{
			"outlook.com", "hotmail.com", "live.com", "msn.com", "windowslive.com",
			"outlook.de", "outlook.fr", "outlook.es", "outlook.it", "outlook.jp", "outlook.com.au", "outlook.com.br",
			"hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es", "hotmail.ca", "hotmail.com.au", "hotmail.com.br", "hotmail.co.jp",
			"live.co.uk", "live.fr", "live.de", "live.it", "live.nl", "live.ca", "live.com.au", "live.cn", "live.jp",
		},
		Endpoints: []Endpoint{st587("smtp-mail.outlook.com"), st587("smtp.office365.com")},
		Auth:      AuthXOAUTH2,
		Login:     LoginOAuth2Only,
		Checklist: []Note{
			note(i18n.M("preset.outlook.oauth_only", "Sign in with Microsoft (a browser sign-in, OAuth 2): Outlook.com refuses password login for mail programs, app passwords included (535 5.7.139 \"basic authentication is disabled\").")),
		},
		HelpURL: "https://support.microsoft.com/office/d088b986-291d-42b8-9564-9c414e2aa040",
	},
	{
		Provider:  "Microsoft 365",
		Domains:   []string{"onmicrosoft.com"},
		Endpoints: []Endpoint{st587("smtp.office365.com")},
		Auth:      AuthXOAUTH2,
		Login:     LoginOAuth2Only,
		Checklist: []Note{
			note(i18n.M("preset.m365.admin", "Your organisation's administrator must allow \"Authenticated SMTP\" (SMTP AUTH) for your mailbox; it is off in many tenants.")),
			note(i18n.M("preset.m365.oauth", "Sign in with Microsoft (a browser sign-in, OAuth 2); password login is being retired and is refused where the tenant disabled it (535 5.7.139).")),
		},
		HelpURL: "https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission",
	},
	{
		Provider: "Yahoo Mail",
		Domains: []string{
			"yahoo.com", "ymail.com", "rocketmail.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.it",
			"yahoo.es", "yahoo.ca", "yahoo.com.au", "yahoo.com.br", "yahoo.co.in", "yahoo.com.sg", "yahoo.com.hk", "yahoo.com.tw",
		},
		Endpoints: []Endpoint{tls465("smtp.mail.yahoo.com"), st587("smtp.mail.yahoo.com")},
		Auth:      AuthAuto,
		Login:     LoginAppPassword,
		Checklist: []Note{
			note(i18n.M("preset.yahoo.app_password", "Create an app password (Yahoo Account Security → Generate app password) and enter it as the password; your Yahoo password is refused.")),
		},
		HelpURL: "https://help.yahoo.com/kb/SLN15241.html",
	},
	{
		Provider:  "iCloud Mail",
		Domains:   []string{"icloud.com", "me.com", "mac.com"},
		Endpoints: []Endpoint{st587("smtp.mail.me.com")},
		Auth:      AuthAuto,
		Login:     LoginAppPassword,
		Checklist: []Note{
			note(i18n.M("preset.icloud.two_factor", "Turn on two-factor authentication for your Apple Account.")),
			note(i18n.M("preset.icloud.app_password", "Create an app-specific password (account.apple.com → Sign-In and Security → App-Specific Passwords) and enter it as the password.")),
			note(i18n.M("preset.icloud.full_address", "Log in with your full iCloud address.")),
		},
		HelpURL: "https://support.apple.com/102525",
	},
	{
		Provider:  "Fastmail",
		Domains:   []string{"fastmail.com", "fastmail.fm", "fastmail.net", "fastmail.org", "fastmail.us", "fastmail.to", "messagingengine.com", "sent.com"},
		Endpoints: []Endpoint{tls465("smtp.fastmail.com"), st587("smtp.fastmail.com")},
		Auth:      AuthAuto,
		Login:     LoginOAuth2OrAppPassword,
		Checklist: []Note{
			note(i18n.M("preset.fastmail.app_password", "Create an app password with SMTP access (Settings → Privacy & Security → Manage app passwords) and enter it as the password.")),
		},
		HelpURL: "https://www.fastmail.help/hc/en-us/articles/1500000278342",
	},
	zoho("Zoho Mail", "smtp.zoho.com", "zoho.com", "zohomail.com"),
	zoho("Zoho Mail (EU)", "smtp.zoho.eu", "zoho.eu", "zohomail.eu"),
	zoho("Zoho Mail (India)", "smtp.zoho.in", "zoho.in", "zohomail.in"),
	zoho("Zoho Mail (Australia)", "smtp.zoho.com.au", "zoho.com.au", "zohomail.com.au"),
	zoho("Zoho Mail (Japan)", "smtp.zoho.jp", "zoho.jp", "zohomail.jp"),
	zoho("Zoho Mail (Canada)", "smtp.zohocloud.ca", "zohocloud.ca"),
	{
		Provider: "GMX (gmx.net)",
		Domains: []string{"gmx.net", "gmx.de", "gmx.at", "gmx.ch", "gmx.eu", "gmx.biz", "gmx.org", "gmx.info",
			"mein.gmx", "mail.gmx", "email.gmx"},
		Endpoints: []Endpoint{tls465("mail.gmx.net"), st587("mail.gmx.net")},
		Auth:      AuthAuto,
		Login:     LoginPassword,
		Checklist: []Note{
			note(i18n.M("preset.gmx_net.enable", "Allow access by POP3 and IMAP once in the GMX mail settings (E-Mail → Einstellungen → POP3 & IMAP Abruf); until then the server refuses mail programs.")),
		},
		HelpURL: "https://hilfe.gmx.net/pop-imap/einschalten.html",
	},
	{
		Provider: "GMX (gmx.com)",
		Domains: []string{"gmx.com", "gmx.us", "gmx.co.uk", "gmx.fr", "gmx.es", "gmx.it", "gmx.ca", "gmx.ie",
			"gmx.pt", "gmx.se", "gmx.com.br", "gmx.com.tr", "gmx.ru", "gmx.cn", "gmx.co.in", "gmx.hk", "gmx.sg", "gmx.tw", "gmx.ph", "gmx.li", "gmx.tm", "gmx.com.my"},
		Endpoints: []Endpoint{tls465("mail.gmx.com"), st587("mail.gmx.com")},
		Auth:      AuthAuto,
		Login:     LoginPassword,
		Checklist: []Note{
			note(i18n.M("preset.gmx_com.enable", "Enable POP3/IMAP access in the GMX mail settings if the server refuses the login.")),
		},
		HelpURL: "https://support.gmx.com/pop-imap/toggle.html",
	},
	{
		Provider:          "QQ Mail",
		Domains:           []string{"qq.com", "foxmail.com"},
		Endpoints:         []Endpoint{tls465("smtp.qq.com"), st587("smtp.qq.com")},
		Auth:              AuthAuto,
		Login:             LoginAuthCode,
		SenderMustBeLogin: true,
		Checklist:         chinaChecklist(i18n.M("preset.qq.where", "Settings → Account → POP3/IMAP/SMTP service")),
		HelpURL:           "https://service.mail.qq.com/detail/0/75",
	},
	netease("NetEase 163 Mail", "163.com"),
	netease("NetEase 126 Mail", "126.com"),
	netease("NetEase yeah.net", "yeah.net"),
	{
		Provider:          "Sina Mail",
		Domains:           []string{"sina.com", "sina.cn"},
		Endpoints:         []Endpoint{tls465("smtp.sina.com")},
		Auth:              AuthAuto,
		Login:             LoginAuthCode,
		SenderMustBeLogin: true,
		Checklist: append(chinaChecklist(i18n.M("preset.sina.where", "Settings → Client POP/IMAP/SMTP, confirmed by SMS")),
			noteZH(i18n.M("preset.sina.old_server", "Older pages name the server smtp.sina.com.cn; use it if smtp.sina.com does not answer."))),
		HelpURL:    "https://mail.sina.com.cn",
		Unverified: true,
	},
	{
		Provider:          "Sohu Mail",
		Domains:           []string{"sohu.com"},
		Endpoints:         []Endpoint{tls465("smtp.sohu.com")},
		Auth:              AuthAuto,
		Login:             LoginAuthCode,
		SenderMustBeLogin: true,
		Checklist: append(chinaChecklist(i18n.M("preset.sohu.where", "Settings → POP3/SMTP/IMAP; the code is the \"independent password\" issued after SMS verification")),
			noteZH(i18n.M("preset.sohu.whitelist", "Keep the login IP whitelist switched off, or the server refuses Stamp."))),
		HelpURL:    "https://mail.sohu.com",
		Unverified: true,
	},
	{
		Provider:          "Aliyun Mail (personal)",
		Domains:           []string{"aliyun.com"},
		Endpoints:         []Endpoint{tls465("smtp.aliyun.com")},
		Auth:              AuthAuto,
		Login:             LoginPassword,
		SenderMustBeLogin: true,
		Checklist: []Note{
			noteZH(i18n.M("preset.aliyun.enable", "Turn on POP3/SMTP in the webmail settings (Settings → POP3/SMTP/IMAP).")),
			noteZH(i18n.M("preset.aliyun.same_sender", "Send from the same address you log in with.")),
		},
		HelpURL:    "https://mail.aliyun.com",
		Unverified: true,
	},
	{
		Provider:          "Alibaba Mail (enterprise, 阿里企业邮箱)",
		Endpoints:         []Endpoint{tls465("smtp.qiye.aliyun.com")},
		Auth:              AuthAuto,
		Login:             LoginPassword,
		SenderMustBeLogin: true,
		Checklist: []Note{
			noteZH(i18n.M("preset.alibaba.admin", "Your administrator must allow third-party mail clients (POP/IMAP/SMTP) for your mailbox.")),
			noteZH(i18n.M("preset.alibaba.security_password", "Use a client \"security password\" (三方客户端安全密码) if your organisation requires one; otherwise your mailbox password.")),
			noteZH(i18n.M("preset.alibaba.same_sender", "Send from the same address you log in with. Some organisations use smtp.<their domain> instead of smtp.qiye.aliyun.com.")),
		},
		HelpURL: "https://help.aliyun.com/document_detail/36687.html",
	},
}

func zoho(name, host string, domains ...string) Preset {
	return Preset{
		Provider:  name,
		Domains:   domains,
		Endpoints: []Endpoint{tls465(host), st587(host)},
		Auth:      AuthAuto,
		Login:     LoginPassword,
		Checklist: []Note{
			note(i18n.M("preset.zoho.app_password", "If two-factor authentication is on, create an application-specific password (Zoho Accounts → Security → App Passwords) and enter it as the password.")),
			note(i18n.M("preset.zoho.region", "Use the server of the region your account lives in ({{.Host}}); the wrong region refuses the login."), map[string]any{"Host": host}),
		},
		HelpURL: "https://www.zoho.com/mail/help/zoho-smtp.html",
	}
}

func netease(name, domain string) Preset {
	return Preset{
		Provider:          name,
		Domains:           []string{domain},
		Endpoints:         []Endpoint{tls465("smtp." + domain)},
		Auth:              AuthAuto,
		Login:             LoginAuthCode,
		SenderMustBeLogin: true,
		Checklist:         chinaChecklist(i18n.M("preset.netease.where", "Settings → POP3/SMTP/IMAP, then \"new authorization code\"")),
		HelpURL:           "https://help.mail.163.com",
	}
}

// Presets returns every known preset, in the table's order (for a
// provider menu).
func Presets() []Preset {
	out := make([]Preset, len(presets))
	copy(out, presets)
	return out
}

// PresetByName returns the preset whose Provider equals name, ignoring case.
func PresetByName(name string) (Preset, bool) {
	for _, p := range presets {
		if strings.EqualFold(p.Provider, name) {
			return p, true
		}
	}
	return Preset{}, false
}

// Domain returns the lower-case domain of an address (the part after the
// last "@"), with international names in their ASCII form.
func Domain(address string) (string, error) {
	addr := strings.TrimSpace(address)
	if parsed, err := mail.ParseAddress(addr); err == nil {
		addr = parsed.Address
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || at == len(addr)-1 {
		return "", errors.New(i18n.T("account.invalid.not_address", "{{.Address}} is not an email address", map[string]any{"Address": fmt.Sprintf("%q", address)}))
	}
	d := strings.TrimSuffix(strings.ToLower(addr[at+1:]), ".")
	if ascii, err := idna.Lookup.ToASCII(d); err == nil {
		d = ascii
	}
	if err := checkHost(d); err != nil || !strings.Contains(d, ".") {
		return "", errors.New(i18n.T("account.invalid.no_domain", "{{.Address}} does not end in a domain name", map[string]any{"Address": fmt.Sprintf("%q", address)}))
	}
	return d, nil
}

// Lookup finds the preset for an address, ignoring case. Tenant addresses
// such as name@contoso.onmicrosoft.com match their parent domain. For an
// unknown domain it returns a guess (Guess set): smtp.<domain> with implicit
// TLS on 465, then STARTTLS on 587, to be confirmed by testing the
// connection.
func Lookup(address string) (Preset, error) {
	d, err := Domain(address)
	if err != nil {
		return Preset{}, err
	}
	for name := d; ; {
		for _, p := range presets {
			for _, pd := range p.Domains {
				if pd == name {
					return p, nil
				}
			}
		}
		// Only a few parents are shared by many tenants; do not climb
		// from "mail.example.co.uk" to "co.uk".
		dot := strings.IndexByte(name, '.')
		if dot < 0 || name[dot+1:] != "onmicrosoft.com" {
			break
		}
		name = name[dot+1:]
	}
	host := "smtp." + d
	return Preset{
		Provider:  d,
		Domains:   []string{d},
		Endpoints: []Endpoint{tls465(host), st587(host)},
		Auth:      AuthAuto,
		Login:     LoginPassword,
		Guess:     true,
		Checklist: []Note{
			note(i18n.M("preset.guess", "Stamp does not know {{.Domain}}; these settings are a guess ({{.Host}}, port 465 with TLS, then 587 with STARTTLS). Test the connection, and check your provider's help pages for \"SMTP settings\"."), map[string]any{"Domain": d, "Host": host}),
		},
	}, nil
}
