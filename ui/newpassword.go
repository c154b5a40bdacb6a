package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"stamp/account"
)

// NewPasswordFunc asks for a new secret for s after its server refused the
// login, and stores it so the next attempt uses it. It runs on a background
// goroutine and may wait for the person (asked on parent).
type NewPasswordFunc func(ctx context.Context, s Sender, parent fyne.Window) error

// keptForSessionOnly is a new password that is used for this session but
// could not be saved in the keyring: the retry goes on, and the person is
// told.
type keptForSessionOnly struct{ err error }

func (e *keptForSessionOnly) Error() string {
	return lang.X("password.session_only", "The new password is used until Stamp closes, but the system keyring could not save it: {{.Error}}", map[string]any{"Error": e.err.Error()})
}

func (e *keptForSessionOnly) Unwrap() error { return e.err }

// AccountNewPassword is the "Enter a new password…" of saved accounts: it
// asks with the usual password dialog, keeps the answer for this session
// (so the retry uses it, not the refused one) and, when the person ticks
// the box, saves it in the system keyring.
func AccountNewPassword(store *account.Store, secrets *account.Secrets) NewPasswordFunc {
	return func(ctx context.Context, s Sender, parent fyne.Window) error {
		a, err := store.Get(s.ID)
		if err != nil {
			return err
		}
		canSave := secrets.Problem() == nil
		pw, remember, err := askPassword(ctx, parent, a,
			lang.X("password.refused", "The server refused the password for {{.Account}}. Enter the right one (many providers want an app password here).", map[string]any{"Account": a.DisplayName()}), canSave)
		if err != nil {
			return err
		}
		cred := account.PasswordCredential(pw)
		secrets.KeepForSession(a.ID, cred)
		if remember {
			if _, err := secrets.Save(ctx, a.ID, cred); err != nil {
				return &keptForSessionOnly{err}
			}
		}
		return nil
	}
}

// wireFixes offers the send panel's ways out of a failure for from: a new
// password, or the account's settings (not for the built-in sandbox, whose
// settings are Stamp's own).
func (c *Composer) wireFixes(p *sendPanel, from Sender) {
	p.OnNewPassword, p.OnOpenAccount = nil, nil
	if from.ID == SandboxID {
		return
	}
	if ask := c.opts.NewPassword; ask != nil {
		p.OnNewPassword = func() {
			if c.sending {
				return
			}
			p.NewPassword.Disable()
			go func() {
				err := ask(context.Background(), from, p.Window)
				runOnUI(func() {
					p.NewPassword.Enable()
					var kept *keptForSessionOnly
					switch {
					case errors.As(err, &kept):
						c.Notify(kept.Error())
					case err != nil:
						p.dialogs.show(dialog.NewError(err, p.Window))
						return
					}
					c.TrySend()
				})
			}()
		}
	}
	if open := c.opts.OpenAccount; open != nil {
		p.OnOpenAccount = func() { open(from) }
	}
}
