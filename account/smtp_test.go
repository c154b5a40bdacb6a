package account

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

func TestSMTPConfig(t *testing.T) {
	pw := PasswordCredential(testSecretMarker + "-smtp")
	tok := Credential{Kind: KindOAuth2, OAuth2: &OAuth2Token{AccessToken: testSecretMarker + "-token"}}
	tests := []struct {
		name   string
		change func(*Account)
		cred   Credential
		want   smtpclient.Config
	}{
		{"a TLS account logs in as its address with the password", func(*Account) {}, pw,
			smtpclient.Config{Host: "smtp.example.org", Port: 465, Security: smtpclient.SecurityTLS,
				Username: "sender@example.org", Password: testSecretMarker + "-smtp", Auth: smtpclient.AuthAuto}},
		{"a STARTTLS account without a port gets 587 and its own login name", func(a *Account) {
			a.Security, a.Port, a.Username, a.Auth = SecuritySTARTTLS, 0, "login", AuthLogin
		}, pw, smtpclient.Config{Host: "smtp.example.org", Port: 587, Security: smtpclient.SecuritySTARTTLS,
			Username: "login", Password: testSecretMarker + "-smtp", Auth: smtpclient.AuthLogin}},
		{"an account with auth none sends no user name, so the engine does not log in", func(a *Account) {
			a.Security, a.Host, a.Port, a.Auth = SecurityNone, "127.0.0.1", 2525, AuthNone
		}, pw, smtpclient.Config{Host: "127.0.0.1", Port: 2525, Security: smtpclient.SecurityNone}},
		{"an OAuth 2 credential becomes an XOAUTH2 token", func(a *Account) { a.CAFile = "/ca.pem" }, tok,
			smtpclient.Config{Host: "smtp.example.org", Port: 465, Security: smtpclient.SecurityTLS, CAFile: "/ca.pem",
				Username: "sender@example.org", OAuth2Token: testSecretMarker + "-token", Auth: smtpclient.AuthXOAUTH2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := testAccount("work")
			tt.change(&a)
			got := a.SMTPConfig(tt.cred)
			if got.Host != tt.want.Host || got.Port != tt.want.Port || got.Security != tt.want.Security ||
				got.Username != tt.want.Username || got.Password != tt.want.Password ||
				got.OAuth2Token != tt.want.OAuth2Token || got.Auth != tt.want.Auth || got.CAFile != tt.want.CAFile {
				t.Errorf("SMTPConfig:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// startSandbox runs a loopback server; its certificate is for "localhost".
func startSandbox(t *testing.T, sec sandbox.Security) *sandbox.Server {
	t.Helper()
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// closedPort returns a loopback port nobody listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func TestFindEndpoint(t *testing.T) {
	tlsSrv := startSandbox(t, sandbox.TLS)
	startTLSSrv := startSandbox(t, sandbox.STARTTLS)
	plainSrv := startSandbox(t, sandbox.None)
	base := smtpclient.Config{CAPEM: append(append([]byte{}, tlsSrv.CAPEM()...), startTLSSrv.CAPEM()...), Timeout: 3 * time.Second}
	closed := closedPort(t)

	tests := []struct {
		name      string
		endpoints []Endpoint
		want      int
		says      []string
	}{
		{"the first endpoint that opens a TLS session is chosen",
			[]Endpoint{{"localhost", closed, SecurityTLS}, {"localhost", tlsSrv.Port(), SecurityTLS}}, 1, nil},
		{"a STARTTLS endpoint is reached with STARTTLS",
			[]Endpoint{{"localhost", startTLSSrv.Port(), SecuritySTARTTLS}}, 0, nil},
		{"a server without TLS does not pass for a TLS endpoint",
			[]Endpoint{{"localhost", plainSrv.Port(), SecurityTLS}}, -1, []string{"localhost:" + strconv.Itoa(plainSrv.Port()) + " (tls)"}},
		{"a server without STARTTLS does not pass for a STARTTLS endpoint",
			[]Endpoint{{"localhost", plainSrv.Port(), SecuritySTARTTLS}}, -1, []string{"(starttls)"}},
		{"when nothing answers every attempt is listed",
			[]Endpoint{{"localhost", closed, SecurityTLS}, {"localhost", closed, SecuritySTARTTLS}}, -1,
			[]string{"localhost:" + strconv.Itoa(closed) + " (tls): ", "localhost:" + strconv.Itoa(closed) + " (starttls): ", "connect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Preset{Provider: "test", Endpoints: tt.endpoints, Guess: true}
			var lines int
			got, err := p.FindEndpoint(context.Background(), base, func(smtpclient.Event) { lines++ })
			if got != tt.want {
				t.Fatalf("FindEndpoint = %d, %v; want %d", got, err, tt.want)
			}
			if lines == 0 {
				t.Error("no events were reported")
			}
			if tt.want >= 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, s := range tt.says {
				if err == nil || !strings.Contains(err.Error(), s) {
					t.Errorf("error %v does not say %q", err, s)
				}
			}
		})
	}
}
