package main

import (
	"context"

	"fyne.io/fyne/v2"

	"stamp/account"
	"stamp/internal/datadir"
	"stamp/oauth"
	"stamp/outbox"
	"stamp/smtpclient"
	"stamp/ui"
)

// openOutbox opens the data folder's outbox for the composer: the sandbox
// sends itself, every saved account through outbox.AccountSender (its
// keyring password or the one typed at Send for this session, or oauth.Send for an account that signs in, with the
// app's one oauth.Manager).
func openOutbox(a fyne.App, data string, store *account.Store, secrets *account.Secrets, oauthManager *oauth.Manager, sb *ui.Sandbox) (*ui.Outbox, error) {
	accounts := &outbox.AccountSender{Store: store, Secrets: secrets, Background: true, Manager: oauthManager}
	send := outbox.SenderFunc(func(ctx context.Context, id string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
		if id == ui.SandboxID {
			cfg := sb.Config()
			cfg.Background = true
			return smtpclient.Send(ctx, cfg, env, msg, onEvent)
		}
		return accounts.Send(ctx, id, env, msg, onEvent)
	})
	describe := func(id string) smtpclient.Config {
		if id == ui.SandboxID {
			cfg := sb.Config()
			cfg.Password = "" // the panel shows the server, never the secret
			return cfg
		}
		if acc, err := store.Get(id); err == nil {
			return acc.SMTPConfig(account.Credential{})
		}
		return smtpclient.Config{}
	}
	// A password the keyring does not have is asked at Send and kept in
	// secrets' session copy (memory only), which accounts.Send reads first.
	return ui.NewOutbox(a, ui.OutboxOptions{Dir: datadir.Outbox(data), SentDir: datadir.Sent(data), Send: send, Describe: describe,
		Passwords: ui.NewOutboxPasswords(store, secrets)})
}
