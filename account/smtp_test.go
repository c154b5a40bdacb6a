package account

import (
	"testing"

	"stamp/smtpclient"
)

func TestSMTPConfig(t *testing.T) {
	pw := PasswordCredential("secret")
	tok := Credential{Kind: KindOAuth2, OAuth2: &OAuth2Token{AccessToken: "token"}}
	tests := []struct {
		name   string
		change func(*Account)
		cred   Credential
		want   smtpclient.Config
	}{
		{"a TLS account logs in as its address with the password", func(*Account) {}, pw,
			smtpclient.Config{Host: "smtp.example.org", Port: 465, Security: smtpclient.SecurityTLS,
				Username: "sender@example.org", Password: "secret", Auth: smtpclient.AuthAuto}},
		{"a STARTTLS account without a port gets 587 and its own login name", func(a *Account) {
			a.Security, a.Port, a.Username, a.Auth = SecuritySTARTTLS, 0, "login", AuthLogin
		}, pw, smtpclient.Config{Host: "smtp.example.org", Port: 587, Security: smtpclient.SecuritySTARTTLS,
			Username: "login", Password: "secret", Auth: smtpclient.AuthLogin}},
		{"an account with auth none sends no user name, so the engine does not log in", func(a *Account) {
			a.Security, a.Host, a.Port, a.Auth = SecurityNone, "127.0.0.1", 2525, AuthNone
		}, pw, smtpclient.Config{Host: "127.0.0.1", Port: 2525, Security: smtpclient.SecurityNone}},
		{"an OAuth 2 credential becomes an XOAUTH2 token", func(a *Account) { a.CAFile = "/ca.pem" }, tok,
			smtpclient.Config{Host: "smtp.example.org", Port: 465, Security: smtpclient.SecurityTLS, CAFile: "/ca.pem",
				Username: "sender@example.org", OAuth2Token: "token", Auth: smtpclient.AuthXOAUTH2}},
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
