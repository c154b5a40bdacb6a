package ui

import (
	"context"
	"errors"
	"stamp/account"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// The Accounts window's list: reading it, the default account, removing
// an account, and starting over after a damaged settings file.

// reload reads the account list from the store.
func (w *AccountsWindow) reload() {
	list, err := w.store.List()
	var broken *account.BrokenFileError
	w.ResetButton.Hidden = !errors.As(err, &broken)
	w.ResetButton.Refresh()
	if err != nil {
		w.showStatus(widget.DangerImportance, err.Error())
	}
	w.accounts = list
	w.list.Refresh()
}

// reset keeps the damaged settings file aside and starts with no accounts.
func (w *AccountsWindow) reset() {
	kept, err := w.store.Reset()
	if err != nil {
		w.showStatus(widget.DangerImportance, err.Error())
		return
	}
	w.reload()
	w.Edit("")
	w.showStatus(widget.WarningImportance, lang.X("accounts.reset_done", "Starting with no accounts. The damaged settings file is kept as {{.File}}.", map[string]any{"File": kept}))
	if w.OnChanged != nil {
		w.OnChanged()
	}
}

func (w *AccountsWindow) makeDefault() {
	if w.current == "" {
		return
	}
	if err := w.store.SetDefault(w.current); err != nil {
		w.showStatus(widget.DangerImportance, err.Error())
		return
	}
	w.DefaultButton.Hide()
	w.reload()
	if w.OnChanged != nil {
		w.OnChanged()
	}
}

func (w *AccountsWindow) confirmRemove() {
	if w.current == "" {
		return
	}
	id := w.current
	w.dialogs.show(dialog.NewConfirm(lang.X("accounts.remove_title", "Remove account?"),
		lang.X("accounts.remove_text", "Remove {{.Account}} and delete its password from the system keyring? Drafts and sent messages are kept.", map[string]any{"Account": id}),
		func(ok bool) {
			if ok {
				w.Remove(id)
			}
		}, w.Window))
}

// Remove deletes the account and its keyring entry.
func (w *AccountsWindow) Remove(id string) {
	w.showStatus(widget.MediumImportance, lang.X("accounts.removing", "Removing…"))
	go func() {
		err := w.store.Remove(context.Background(), id, w.secrets)
		runOnUI(func() {
			if err != nil {
				w.showStatus(widget.DangerImportance, lang.X("accounts.not_removed", "Not removed: {{.Error}}", map[string]any{"Error": err.Error()}))
				return
			}
			w.reload()
			if len(w.accounts) > 0 {
				w.list.Select(0)
				w.Edit(w.accounts[0].ID)
			} else {
				w.Edit("")
			}
			w.showStatus(widget.SuccessImportance, lang.X("accounts.removed", "Removed {{.Account}}.", map[string]any{"Account": id}))
			if w.OnChanged != nil {
				w.OnChanged()
			}
		})
	}()
}
