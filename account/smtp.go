package account

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"stamp/i18n"
	"stamp/smtpclient"
)

// SMTPConfig returns the engine's settings for sending with this account,
// logging in with c (ignored for an account with auth none). The caller
// sets timeouts and the like on the result.
func (a Account) SMTPConfig(c Credential) smtpclient.Config {
	cfg := smtpclient.Config{
		Host:         a.Host,
		Port:         a.EffectivePort(),
		CAFile:       a.CAFile,
		PinnedSHA256: a.PinnedSHA256,
	}
	cfg.Security = a.Security.engine()
	auth := a.EffectiveAuth()
	if !auth.NeedsSecret() {
		return cfg // no user name: the engine does not log in
	}
	cfg.Username = a.Login()
	// Anything the engine does not know stays automatic.
	if m, ok := auth.method(); ok {
		cfg.Auth = m.Mechanism
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

// FindEndpoint tries the preset's endpoints in order, without logging in,
// and returns the index of the first where a secure session opens
// (connect, implicit TLS or STARTTLS, EHLO). It is how a guess becomes
// settings: "smtp.<domain>" on 465, then on 587. base supplies what an
// endpoint does not (timeout, CA file, dialer); onEvent, which may be nil,
// receives every event of every attempt. When no endpoint works, the error
// lists each one's failure.
func (p Preset) FindEndpoint(ctx context.Context, base smtpclient.Config, onEvent func(smtpclient.Event)) (int, error) {
	var failures []string
	for i, e := range p.Endpoints {
		cfg := base
		cfg.Host, cfg.Port = e.Host, e.Port
		cfg.Security = Account{Security: e.Security}.SMTPConfig(Credential{}).Security
		cfg.Username, cfg.Password, cfg.OAuth2Token = "", "", ""
		_, err := smtpclient.Probe(ctx, cfg, onEvent)
		if err == nil {
			return i, nil
		}
		if ctx.Err() != nil {
			return -1, ctx.Err()
		}
		msg := err.Error()
		var se *smtpclient.Error
		if errors.As(err, &se) {
			msg = fmt.Sprintf("%s (%s: %s)", se.Summary(), se.Step, se.Message)
		}
		failures = append(failures, e.String()+": "+msg)
	}
	return -1, errors.New(i18n.T("account.err.no_server_answered", "no server answered for {{.Provider}}:", map[string]any{"Provider": p.Provider}) + "\n  " + strings.Join(failures, "\n  "))
}
