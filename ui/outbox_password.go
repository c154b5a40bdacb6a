package ui

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"stamp/account"
	"stamp/outbox"
)

// OutboxPasswords asks, at Send, for the password of an account whose
// password the keyring does not have, before the message is queued (the
// credentials dialog of a direct send, credentials.go), instead of
// letting the queued message fail later with nobody there to ask. A typed
// password is kept in memory for this session (account.Secrets'
// session copy, which outbox.AccountSender reads first) and never written
// to disk; when the person ticked "save it in the keyring", it is saved
// there once a send with it has worked. A login the server refused drops
// the session copy, so the next try asks again.
type OutboxPasswords struct {
	store   *account.Store
	secrets *account.Secrets

	mu      sync.Mutex
	pending map[string]bool // account IDs whose typed password goes to the keyring once it works
}

// NewOutboxPasswords is the app's OutboxPasswords over its accounts and
// secrets (the same Secrets as the outbox's AccountSender).
func NewOutboxPasswords(store *account.Store, secrets *account.Secrets) *OutboxPasswords {
	return &OutboxPasswords{store: store, secrets: secrets, pending: map[string]bool{}}
}

// usesPassword reports whether account id logs in with a password (not
// OAuth 2, not without login).
func (p *OutboxPasswords) usesPassword(id string) bool {
	a, err := p.store.Get(id)
	return err == nil && !a.UsesOAuth() && a.EffectiveAuth().NeedsSecret()
}

// ensure makes sure account id's password is at hand for the outbox's
// send: from the keyring or this session, or asked on parent (always when
// again: the person chose to enter it). It runs off the UI goroutine (the
// keyring may block; the question waits for the person). An error means
// no password was given: nothing should be queued or sent.
func (p *OutboxPasswords) ensure(ctx context.Context, id string, parent fyne.Window, again bool) error {
	a, err := p.store.Get(id)
	if err != nil || a.UsesOAuth() || !a.EffectiveAuth().NeedsSecret() {
		return nil // the outbox says what is wrong with the account, if anything
	}
	why := lang.X("outbox.password_why", "No password is saved for {{.Account}}. Stamp needs it to send this message.",
		map[string]any{"Account": a.DisplayName()})
	var ku *account.KeyringUnavailableError
	if !again {
		_, _, err := p.secrets.Get(ctx, a.ID)
		switch {
		case err == nil:
			return nil
		case errors.As(err, &ku):
			why = lang.X("outbox.password_keyring", "The system keyring cannot be used ({{.Reason}}), so Stamp asks for the password and keeps it for this session only. {{.Hint}}.",
				map[string]any{"Reason": ku.Reason.String(), "Hint": ku.Hint()})
		case !errors.Is(err, account.ErrNoSecret):
			return nil // another keyring error: the outbox's attempt reports it
		}
	} else {
		why = lang.X("outbox.password_again", "Enter the password for {{.Account}}; the message is sent with it.",
			map[string]any{"Account": a.DisplayName()})
	}
	pw, remember, err := askPassword(ctx, parent, a, why, ku == nil)
	if err != nil {
		return err
	}
	p.secrets.KeepForSession(a.ID, account.PasswordCredential(pw)) // memory only
	p.mu.Lock()
	p.pending[a.ID] = remember
	p.mu.Unlock()
	return nil
}

// settle follows what became of a queued message's send (on the UI
// goroutine): sent with a typed password the person wanted saved, it goes
// to the keyring (said on parent); refused at login, the session's copy is
// dropped so that Retry asks again.
func (p *OutboxPasswords) settle(ch outbox.Change, parent fyne.Window) {
	r := ch.Record
	p.mu.Lock()
	remember, typed := p.pending[r.Account]
	sent := ch.Removed && r.State == outbox.Sent
	refused := !ch.Removed && r.State == outbox.NeedsAttention && r.Reason == outbox.ReasonSignIn
	if typed && (sent || refused) {
		delete(p.pending, r.Account)
	}
	p.mu.Unlock()
	switch {
	case typed && refused:
		p.secrets.ForgetSession(r.Account)
	case typed && sent && remember:
		a, err := p.store.Get(r.Account)
		if err != nil {
			return
		}
		go func() {
			cred, _, err := p.secrets.Get(context.Background(), a.ID)
			if err != nil {
				return
			}
			loc, err := p.secrets.Save(context.Background(), a.ID, cred)
			text := keyringSaveOutcome(a, loc, err, p.secrets.Problem())
			runOnUI(func() {
				if parent != nil {
					showNote(parent, lang.X("outbox.password_title", "Password"), text)
				}
			})
		}()
	}
}
