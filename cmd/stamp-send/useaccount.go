package main

import (
	"context"
	"errors"
	"fmt"

	"stamp/account"
	"stamp/i18n"
)

// --account NAME on the send path: the saved settings fill in what the
// command line left empty.

// applyAccount is resolveAccount (main.go): it fills in opts from the
// saved account --account NAME where the command line left a value empty.
// Flags always win. The password comes from the keyring only for a real send, and only
// when neither --password-stdin nor --password-env was given.
func applyAccount(opts *options) error {
	if opts.Account == "" {
		return nil
	}
	st, err := openStore()
	if err != nil {
		return usagef("--account: %v", err)
	}
	a, err := st.Find(opts.Account)
	if err != nil {
		return usagef("--account: %v", err)
	}
	if err := a.Validate(); err != nil {
		return usagef("%s", i18n.T("send.usage.account_unusable", "--account {{.Account}}: the saved settings are not usable: {{.Error}} (fix with stamp-send account add {{.ID}} --replace ...)", map[string]any{"Account": fmt.Sprint(a.ID), "Error": fmt.Sprint(err), "ID": fmt.Sprint(a.ID)}))
	}
	if opts.From == "" {
		opts.From = a.From()
	}
	if opts.Server == "" {
		opts.Server = a.Server()
		if opts.Security == "" {
			opts.Security = string(a.Security)
		}
	}
	if err := opts.resolveServer(); err != nil {
		return err
	}
	needsSecret := a.EffectiveAuth().NeedsSecret()
	if opts.User == "" && needsSecret {
		opts.User = a.Login()
	}
	if opts.Auth == "auto" && needsSecret {
		opts.Auth = string(a.EffectiveAuth())
	}
	if opts.CAFile == "" {
		opts.CAFile = a.CAFile
	}
	if opts.Pin == "" {
		opts.Pin = a.PinnedSHA256
	}
	if err := opts.checkPinSecurity(); err != nil {
		return err
	}
	opts.saved = &a
	if opts.DryRun || opts.Queue || !needsSecret || opts.PasswordStdin || opts.PasswordEnv != "" || a.OAuth != nil {
		return nil // an OAuth account's token comes from its sign-in at send time (transmit)
	}
	return opts.keyringPassword(a)
}

// keyringPassword sets the password (or the OAuth 2 token) of the saved
// account a from the system keyring.
func (o *options) keyringPassword(a account.Account) error {
	sec := newSecrets()
	sec.Timeout = accountKeyringTimeout
	c, _, err := sec.Get(context.Background(), a.ID)
	var ku *account.KeyringUnavailableError
	switch {
	case errors.Is(err, account.ErrNoSecret):
		return usagef("%s", i18n.T("send.usage.account_no_password", "--account {{.Account}}: no password is saved; save one with `stamp-send account password {{.ID}} --password-stdin`, or pass --password-stdin or --password-env VAR", map[string]any{"Account": fmt.Sprint(a.ID), "ID": fmt.Sprint(a.ID)}))
	case errors.As(err, &ku):
		return usagef("%s", i18n.T("send.usage.account_keyring", "--account {{.Account}}: {{.Error}}. Pass the password with --password-stdin or --password-env VAR", map[string]any{"Account": fmt.Sprint(a.ID), "Error": fmt.Sprint(ku)}))
	case err != nil:
		return usagef("--account %s: %v", a.ID, err)
	}
	if c.Kind == account.KindOAuth2 && c.OAuth2 != nil {
		o.Password = c.OAuth2.AccessToken
		o.Auth = string(account.AuthXOAUTH2)
	} else {
		o.Password = c.Password
	}
	return nil
}
