package oauth_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"stamp/oauth"
)

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		addr, host string
		want       oauth.Kind
	}{
		{"someone@gmail.com", "", oauth.Google},
		{"Some One <someone@googlemail.com>", "", oauth.Google},
		{"boss@company.example", "smtp.gmail.com", oauth.Google},
		{"me@outlook.com", "", oauth.Microsoft},
		{"me@hotmail.co.uk", "", oauth.Microsoft},
		{"me@live.fr", "", oauth.Microsoft},
		{"me@company.example", "smtp.office365.com", oauth.Microsoft},
		{"me@company.example", "SMTP-MAIL.OUTLOOK.COM.", oauth.Microsoft},
		{"me@company.example", "mail.company.example", ""},
		{"me@hotmail.evil.example", "", ""},
	} {
		if got := oauth.Detect(c.addr, c.host); got != c.want {
			t.Errorf("Detect(%q, %q) = %q, want %q", c.addr, c.host, got, c.want)
		}
	}
}

func TestResolveWithoutClientIDSaysHowToGetOne(t *testing.T) {
	for _, k := range []oauth.Kind{oauth.Google, oauth.Microsoft} {
		_, err := oauth.Resolve(context.Background(), oauth.Settings{Kind: k}, nil)
		var nc *oauth.NoClientIDError
		if !errors.As(err, &nc) || nc.Kind != k {
			t.Fatalf("%s with no client ID: %v, want *NoClientIDError", k, err)
		}
		if !strings.Contains(err.Error(), "no client ID") || !strings.Contains(err.Error(), "redirect") && k == oauth.Microsoft ||
			!strings.Contains(err.Error(), "Desktop app") && k == oauth.Google {
			t.Fatalf("the message does not say how to get one: %v", err)
		}
	}
}

func TestResolveProfiles(t *testing.T) {
	ctx := context.Background()
	g, err := oauth.Resolve(ctx, oauth.Settings{Kind: oauth.Google, ClientID: "x.apps.googleusercontent.com", ClientSecret: "s"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g.Device() {
		t.Fatal("Google offers the device grant, which it refuses for mail")
	}
	if _, err := oauth.StartDevice(ctx, g); !errors.Is(err, oauth.ErrDeviceUnsupported) {
		t.Fatalf("StartDevice(Google) = %v", err)
	}
	s, err := oauth.Start(g, oauth.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	u, _ := url.Parse(s.AuthURL())
	q := u.Query()
	if u.Host != "accounts.google.com" || q.Get("scope") != "https://mail.google.com/" ||
		q.Get("access_type") != "offline" || q.Get("prompt") != "consent" {
		t.Fatalf("Google's authorization URL lacks the mail scope or offline access: %s", u.Redacted())
	}

	m, err := oauth.Resolve(ctx, oauth.Settings{Kind: oauth.Microsoft, ClientID: "id"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Endpoint.AuthURL, "/common/") || !m.Device() ||
		strings.Join(m.Scopes, " ") != "https://outlook.office.com/SMTP.Send offline_access" {
		t.Fatalf("Microsoft: %s %v", m.Endpoint.AuthURL, m.Scopes)
	}
	m, err = oauth.Resolve(ctx, oauth.Settings{Kind: oauth.Microsoft, ClientID: "id", Tenant: "contoso.onmicrosoft.com"}, nil)
	if err != nil || !strings.Contains(m.Endpoint.TokenURL, "/contoso.onmicrosoft.com/oauth2/v2.0/token") {
		t.Fatalf("Microsoft with a tenant: %v %v", m, err)
	}
	if _, err := oauth.Resolve(ctx, oauth.Settings{Kind: oauth.Microsoft, ClientID: "id", Tenant: "../evil"}, nil); err == nil {
		t.Fatal("a tenant with a slash was accepted")
	}

	for _, bad := range []oauth.Settings{
		{Kind: oauth.Custom, ClientID: "c", Scopes: []string{"s"}},
		{Kind: oauth.Custom, ClientID: "c", AuthURL: "http://mail.example/auth", TokenURL: "https://mail.example/token", Scopes: []string{"s"}},
		{Kind: oauth.Custom, ClientID: "c", AuthURL: "https://mail.example/auth", TokenURL: "https://mail.example/token"},
		{Kind: "yahoo", ClientID: "c"},
	} {
		if _, err := oauth.Resolve(ctx, bad, nil); err == nil {
			t.Errorf("Resolve(%+v) accepted", bad)
		}
	}
}

func TestExplainSMTP(t *testing.T) {
	for _, c := range []struct {
		kind  oauth.Kind
		code  int
		text  string
		want  string
		again bool
	}{
		{oauth.Microsoft, 535, "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.", "administrator", false},
		{oauth.Microsoft, 535, "5.7.3 Authentication unsuccessful", "another account", true},
		{oauth.Microsoft, 535, "Authentication unsuccessful (5.7.3).", "another account", true},
		{oauth.Google, 535, "5.7.8 Username and Password not accepted.", "7 days", true},
		{oauth.Microsoft, 550, "5.7.30 Basic authentication is not supported for Client Submission.", "Sign in with Microsoft", false},
	} {
		e, ok := oauth.ExplainSMTP(c.kind, c.code, c.text)
		if !ok || !strings.Contains(e.Cause+" "+e.Fix, c.want) || e.SignInAgain != c.again {
			t.Errorf("ExplainSMTP(%s, %d, %q) = %+v, %v; want %q", c.kind, c.code, c.text, e, ok, c.want)
		}
	}
	if _, ok := oauth.ExplainSMTP(oauth.Custom, 250, "2.7.0 Authentication successful"); ok {
		t.Error("a success was explained as a failure")
	}
}
