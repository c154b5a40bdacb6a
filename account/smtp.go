package account

import "stamp/smtpclient"

// SMTPConfig returns the engine's settings for sending with this account,
// logging in with c (ignored for an account with auth none). The caller
// sets timeouts and the like on the result.
func (a Account) SMTPConfig(c Credential) smtpclient.Config {
	cfg := smtpclient.Config{
		Host:   a.Host,
		Port:   a.EffectivePort(),
		CAFile: a.CAFile,
	}
	switch a.Security {
	case SecuritySTARTTLS:
		cfg.Security = smtpclient.SecuritySTARTTLS
	case SecurityNone:
		cfg.Security = smtpclient.SecurityNone
	default:
		cfg.Security = smtpclient.SecurityTLS
	}
	auth := a.EffectiveAuth()
	if !auth.NeedsSecret() {
		return cfg // no user name: the engine does not log in
	}
	cfg.Username = a.Login()
	switch auth {
	case AuthPlain:
		cfg.Auth = smtpclient.AuthPlain
	case AuthLogin:
		cfg.Auth = smtpclient.AuthLogin
	case AuthCRAMMD5:
		cfg.Auth = smtpclient.AuthCRAMMD5
	case AuthXOAUTH2:
		cfg.Auth = smtpclient.AuthXOAUTH2
	default:
		cfg.Auth = smtpclient.AuthAuto
	}
	if c.Kind == KindOAuth2 && c.OAuth2 != nil {
		cfg.OAuth2Token = c.OAuth2.AccessToken
		if auth == AuthAuto {
			cfg.Auth = smtpclient.AuthXOAUTH2
		}
	} else {
		cfg.Password = c.Password
	}
	return cfg
}
