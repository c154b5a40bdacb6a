package account

import (
	"strings"
	"testing"
	"unicode"
)

func TestEveryPresetValidates(t *testing.T) {
	for _, p := range Presets() {
		domains := p.Domains
		if len(domains) == 0 {
			domains = []string{"example.com"} // custom-domain presets
		}
		for _, d := range domains {
			for i := range p.Endpoints {
				a := p.Account("someone@" + d)
				p.Apply(&a, i)
				if err := a.Validate(); err != nil {
					t.Errorf("%s, %s, endpoint %s: %v", p.Provider, d, p.Endpoints[i], err)
				}
				if a.Security == SecurityNone {
					t.Errorf("%s offers an unencrypted endpoint", p.Provider)
				}
			}
		}
		if len(p.Endpoints) == 0 || len(p.Checklist) == 0 || p.HelpURL == "" {
			t.Errorf("%s: want endpoints, a checklist and a help URL", p.Provider)
		}
	}
}

func TestPresetTableIsConsistent(t *testing.T) {
	owner := map[string]string{}
	for _, p := range Presets() {
		for _, d := range p.Domains {
			if d != strings.ToLower(d) {
				t.Errorf("%s: domain %q is not lower case", p.Provider, d)
			}
			if prev, dup := owner[d]; dup {
				t.Errorf("domain %q belongs to both %s and %s", d, prev, p.Provider)
			}
			owner[d] = p.Provider
		}
	}
}

func TestChinesePresetsHaveTheirChecklistInBothLanguages(t *testing.T) {
	for _, name := range []string{"QQ Mail", "NetEase 163 Mail", "NetEase 126 Mail", "NetEase yeah.net", "Sina Mail", "Sohu Mail"} {
		t.Run(name, func(t *testing.T) {
			p, ok := PresetByName(name)
			if !ok {
				t.Fatalf("no preset named %q", name)
			}
			if p.Login != LoginAuthCode || !p.SenderMustBeLogin {
				t.Errorf("want an authorization-code login where the sender must be the login")
			}
			var en, zh strings.Builder
			for _, n := range p.Checklist {
				if n.EN == "" || !hasHan(n.ZH) {
					t.Errorf("checklist item lacks English or Chinese: %+v", n)
				}
				en.WriteString(n.EN)
				zh.WriteString(n.ZH)
			}
			for _, must := range []string{"SMTP", "授权码", "same address"} {
				if !strings.Contains(en.String(), must) {
					t.Errorf("English checklist does not mention %q", must)
				}
			}
			for _, must := range []string{"SMTP", "授权码", "发件人"} {
				if !strings.Contains(zh.String(), must) {
					t.Errorf("Chinese checklist does not mention %q", must)
				}
			}
		})
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestOutlookSaysPlainlyThatPasswordsAreRefused(t *testing.T) {
	p, err := Lookup("someone@hotmail.com")
	if err != nil {
		t.Fatal(err)
	}
	if p.Login != LoginOAuth2Only || p.Auth != AuthXOAUTH2 {
		t.Errorf("Outlook.com preset: login %v, auth %v; want OAuth 2 only", p.Login, p.Auth)
	}
	if !strings.Contains(p.Checklist[0].EN, "refuses password login") {
		t.Errorf("the first note does not say that password login is refused: %q", p.Checklist[0].EN)
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name, address, provider, host string
		port                          int
		guess                         bool
	}{
		{"a Gmail address finds Gmail on 465", "someone@gmail.com", "Gmail", "smtp.gmail.com", 465, false},
		{"an upper-case domain finds the same preset", "Someone@GMAIL.COM", "Gmail", "smtp.gmail.com", 465, false},
		{"googlemail.com is an alias of Gmail", "someone@googlemail.com", "Gmail", "smtp.gmail.com", 465, false},
		{"an address with a display name is understood", "Some One <someone@Gmail.com>", "Gmail", "smtp.gmail.com", 465, false},
		{"me.com is iCloud", "someone@me.com", "iCloud Mail", "smtp.mail.me.com", 587, false},
		{"mac.com is iCloud", "someone@MAC.com", "iCloud Mail", "smtp.mail.me.com", 587, false},
		{"hotmail.co.uk is Outlook.com", "someone@hotmail.co.uk", "Outlook.com / Hotmail", "smtp-mail.outlook.com", 587, false},
		{"a Microsoft 365 tenant domain finds Microsoft 365", "someone@contoso.onmicrosoft.com", "Microsoft 365", "smtp.office365.com", 587, false},
		{"ymail.com is Yahoo", "someone@ymail.com", "Yahoo Mail", "smtp.mail.yahoo.com", 465, false},
		{"foxmail.com is QQ Mail", "someone@foxmail.com", "QQ Mail", "smtp.qq.com", 465, false},
		{"163.com is NetEase 163", "someone@163.com", "NetEase 163 Mail", "smtp.163.com", 465, false},
		{"yeah.net is NetEase", "someone@yeah.net", "NetEase yeah.net", "smtp.yeah.net", 465, false},
		{"gmx.de uses the gmx.net servers", "someone@gmx.de", "GMX (gmx.net)", "mail.gmx.net", 465, false},
		{"gmx.com has its own servers", "someone@gmx.com", "GMX (gmx.com)", "mail.gmx.com", 465, false},
		{"zoho.eu uses the EU server", "someone@zoho.eu", "Zoho Mail (EU)", "smtp.zoho.eu", 465, false},
		{"aliyun.com is Aliyun personal", "someone@aliyun.com", "Aliyun Mail (personal)", "smtp.aliyun.com", 465, false},
		{"an unknown domain gets a guess on 465", "someone@example.org", "example.org", "smtp.example.org", 465, true},
		{"a subdomain of a known provider is not that provider", "someone@mail.gmail.com", "mail.gmail.com", "smtp.mail.gmail.com", 465, true},
		{"an international domain is guessed in its ASCII form", "someone@bücher.example", "xn--bcher-kva.example", "smtp.xn--bcher-kva.example", 465, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Lookup(tt.address)
			if err != nil {
				t.Fatal(err)
			}
			e := p.Endpoints[0]
			if p.Provider != tt.provider || e.Host != tt.host || e.Port != tt.port || p.Guess != tt.guess {
				t.Errorf("Lookup(%q) = %s %s guess=%v; want %s %s:%d guess=%v",
					tt.address, p.Provider, e, p.Guess, tt.provider, tt.host, tt.port, tt.guess)
			}
		})
	}
}

func TestLookupGuessOffersTLSThenSTARTTLSAndSaysItIsAGuess(t *testing.T) {
	p, err := Lookup("someone@example.org")
	if err != nil {
		t.Fatal(err)
	}
	want := []Endpoint{{"smtp.example.org", 465, SecurityTLS}, {"smtp.example.org", 587, SecuritySTARTTLS}}
	if len(p.Endpoints) != 2 || p.Endpoints[0] != want[0] || p.Endpoints[1] != want[1] {
		t.Errorf("guess endpoints = %v, want %v", p.Endpoints, want)
	}
	if !p.Guess || !strings.Contains(p.Checklist[0].EN, "guess") {
		t.Errorf("the guess is not marked as one: %+v", p)
	}
	if err := p.Account("someone@example.org").Validate(); err != nil {
		t.Errorf("the guessed account does not validate: %v", err)
	}
}

func TestLookupRefusesWhatIsNotAnAddress(t *testing.T) {
	for _, in := range []string{"", "someone", "someone@", "someone@localhost", "someone@exa mple.org"} {
		if p, err := Lookup(in); err == nil {
			t.Errorf("Lookup(%q) = %s, want an error", in, p.Provider)
		}
	}
}
