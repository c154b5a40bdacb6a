package ui

import (
	"context"
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/smtpclient"
)

// AccountConfig resolves saved-account senders for sending: the settings from
// the store and the secret from the keyring. When no secret is saved or the
// keyring cannot be used, it asks the person (a dialog on parent). A typed
// password is kept for this session, and saved in the keyring if they ticked
// the box, only once the server accepted it; a password the server refused is
// dropped from the session so the next send asks again.
func AccountConfig(store *account.Store, secrets *account.Secrets) ConfigFunc {
	return func(ctx context.Context, s Sender, parent fyne.Window) (smtpclient.Config, func(bool), error) {
		a, err := store.Get(s.ID)
		if err != nil {
			return smtpclient.Config{}, nil, err
		}
		if a.UsesOAuth() {
			// Its keyring entry is a refresh token, not a password: the
			// send goes through its sign-in (OAuthAccounts), never here.
			return smtpclient.Config{}, nil, errSignsIn(a)
		}
		if !a.EffectiveAuth().NeedsSecret() {
			return a.SMTPConfig(account.Credential{}), nil, nil
		}
		cred, loc, err := secrets.Get(ctx, a.ID)
		if err == nil {
			settle := func(ok bool) {
				if !ok && loc == account.LocationSession {
					secrets.ForgetSession(a.ID)
				}
			}
			return a.SMTPConfig(cred), settle, nil
		}
		why := lang.X("credentials.no_password", "No password is saved for {{.Account}}.", map[string]any{"Account": a.DisplayName()})
		var ku *account.KeyringUnavailableError
		if errors.As(err, &ku) {
			why = lang.X("credentials.keyring_unusable", "The system keyring cannot be used ({{.Reason}}), so Stamp asks each time. {{.Hint}}.", map[string]any{"Reason": ku.Reason.String(), "Hint": ku.Hint()})
		} else if !errors.Is(err, account.ErrNoSecret) {
			return smtpclient.Config{}, nil, err
		}
		pw, remember, err := askPassword(ctx, parent, a, why, ku == nil)
		if err != nil {
			return smtpclient.Config{}, nil, err
		}
		cred = account.PasswordCredential(pw)
		secrets.KeepForSession(a.ID, cred)
		settle := func(ok bool) {
			switch {
			case !ok:
				secrets.ForgetSession(a.ID)
			case remember:
				// The keyring may block (an unlock prompt): not on the UI
				// goroutine. The person ticked the box, so they hear
				// where the password went.
				go func() {
					loc, err := secrets.Save(context.Background(), a.ID, cred)
					text := keyringSaveOutcome(a, loc, err, secrets.Problem())
					runOnUI(func() { showNote(parent, lang.X("credentials.password", "Password"), text) })
				}()
			}
		}
		return a.SMTPConfig(cred), settle, nil
	}
}

// errSignsIn says that an account which signs in with OAuth 2 has no
// password to send with.
func errSignsIn(a account.Account) error {
	return errors.New(lang.X("credentials.signs_in",
		"{{.Account}} signs in with its provider instead of a password, and sign-in is not set up in this window.",
		map[string]any{"Account": a.DisplayName()}))
}

// showNote shows a few sentences in a dialog on w, wide enough to read
// (Fyne's information dialog squeezes a long text into a narrow column).
func showNote(w fyne.Window, title, text string) {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "OK", l, w)
	d.Resize(fyne.NewSize(480, 240))
	d.Show()
}

// keyringSaveOutcome says, in words, what became of a password the person
// asked Stamp to save in the keyring: saved, or kept for this session only
// (the keyring is locked or missing: why, and what to do), or not saved.
func keyringSaveOutcome(a account.Account, loc account.PasswordLocation, err error, problem *account.KeyringUnavailableError) string {
	who := a.Login() // as the prompt named it
	switch {
	case err != nil:
		return lang.X("credentials.save_failed", "The password for {{.Login}} worked but could not be saved: {{.Error}}. Stamp will ask for it again next time.", map[string]any{"Login": who, "Error": err.Error()})
	case loc == account.LocationKeyring:
		return lang.X("credentials.saved", "The password for {{.Login}} is saved in the system keyring; Stamp will not ask for it again.", map[string]any{"Login": who})
	case problem != nil:
		return lang.X("credentials.session_only_because", "The password for {{.Login}} worked, but it is kept for this session only, because {{.Reason}}. Stamp will ask for it again next time. {{.Hint}}.",
			map[string]any{"Login": who, "Reason": problem.Reason.String(), "Hint": problem.Hint()})
	}
	return lang.X("credentials.session_only", "The password for {{.Login}} worked, but it is kept for this session only: the system keyring could not be used. Stamp will ask for it again next time.", map[string]any{"Login": who})
}

// askPassword shows a password prompt on parent and waits for the answer.
// It must not run on the UI goroutine (it waits for it). When ctx ends first
// (the send was cancelled) the prompt is closed. Once the app has stopped no
// prompt shows (runOnUI drops it), so it stops waiting then.
func askPassword(ctx context.Context, parent fyne.Window, a account.Account, why string, canRemember bool) (pw string, remember bool, err error) {
	type answer struct {
		pw       string
		remember bool
		ok       bool
	}
	done := make(chan answer, 1)
	var d *dialog.FormDialog
	runOnUI(func() {
		entry := widget.NewPasswordEntry()
		keep := widget.NewCheck(lang.X("credentials.keep", "Save it in the system keyring once it works"), nil)
		keep.SetChecked(canRemember)
		if !canRemember {
			keep.Disable()
		}
		hint := widget.NewLabel(why)
		hint.Wrapping = fyne.TextWrapWord
		items := []*widget.FormItem{
			widget.NewFormItem("", hint),
			widget.NewFormItem(lang.X("credentials.password", "Password"), entry),
			widget.NewFormItem("", keep),
		}
		d = dialog.NewForm(lang.X("credentials.title", "Password for {{.Login}}", map[string]any{"Login": a.Login()}), lang.X("composer.send", "Send"), lang.X("credentials.cancel", "Cancel"), items, func(confirmed bool) {
			select { // the callback may run twice (Hide after a button): answer once
			case done <- answer{entry.Text, keep.Checked, confirmed && entry.Text != ""}:
			default:
			}
		}, parent)
		d.Resize(fyne.NewSize(480, 260))
		d.Show()
		parent.Canvas().Focus(entry)
	})
	select {
	case ans := <-done:
		if !ans.ok {
			return "", false, errors.New(lang.X("credentials.none_given", "no password was given for {{.Account}}", map[string]any{"Account": a.DisplayName()}))
		}
		return ans.pw, ans.remember, nil
	case <-ctx.Done():
		runOnUI(func() {
			if d != nil {
				d.Hide()
			}
		})
		return "", false, ctx.Err()
	case <-stoppedChan():
		return "", false, fmt.Errorf("%s: %w", lang.X("credentials.app_closed", "the app was closed before a password was given"), context.Canceled)
	}
}

// AccountSenders lists the saved accounts for the From picker, the default
// first. A store that cannot be read gives no accounts and the error.
func AccountSenders(store *account.Store) ([]Sender, error) {
	list, err := store.List()
	if err != nil {
		return nil, err
	}
	var out []Sender
	for _, a := range list {
		if a.Default {
			out = append([]Sender{accountSender(a)}, out...)
		} else {
			out = append(out, accountSender(a))
		}
	}
	return out, nil
}
