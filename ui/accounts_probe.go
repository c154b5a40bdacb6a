package ui

import (
	"context"
	"errors"
	"stamp/account"
	"stamp/smtpclient"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// The Accounts window's Test connection, and trusting the certificate
// a test found.

// TestConnection runs the engine's Probe with the settings in the form (and
// the typed or saved password) in a live panel: TLS, certificate, AUTH
// mechanisms, size limit, and whether the login worked.
func (w *AccountsWindow) TestConnection() {
	a, err := w.formAccount()
	if err != nil {
		w.showStatus(widget.DangerImportance, lang.X("accounts.cannot_test", "Cannot test: {{.Error}}", map[string]any{"Error": err.Error()}))
		return
	}
	if w.probe != nil && w.probe.running() {
		w.probe.Present(nil) // one test at a time
		return
	}
	typed := w.Password.Text
	saved := w.current != ""
	w.offUI(a, a.Validate, func(err error) {
		if err != nil {
			w.showStatus(widget.DangerImportance, lang.X("accounts.cannot_test", "Cannot test: {{.Error}}", map[string]any{"Error": err.Error()}))
			return
		}
		w.testConnection(a, typed, saved)
	})
}

// testConnection runs the connection test of a checked account.
func (w *AccountsWindow) testConnection(a account.Account, typed string, saved bool) {
	if w.probe != nil && w.probe.running() {
		w.probe.Present(nil) // one test at a time
		return
	}
	if w.probe == nil {
		w.probe = newSendPanel(w.app) // kept for the next test, closed with this window
		w.probe.HideOnClose = true
	}
	p := w.probe
	p.OnProbeFinished = func(err error) { w.probeFinished(p, a, err) }
	ctx, cancel := context.WithCancel(context.Background())
	p.PrepareProbe(a.DisplayName(), cancel)
	p.Present(func() { go w.runProbe(ctx, cancel, p, a, typed, saved) })
}

// probeFinished offers, after a connection test of a that failed on a
// certificate this computer does not trust, to trust that certificate for
// the account; the question is asked on the test's window, where the
// person is looking.
func (w *AccountsWindow) probeFinished(p *sendPanel, a account.Account, err error) {
	if w.afterProbe != nil {
		defer w.afterProbe()
	}
	cert, fp := untrustedCertificate(err)
	if cert == nil || w.closed {
		return
	}
	w.trustDialog = offerTrust(p.Window, a.DisplayName(), cert, fp, func() { w.trust(a, fp) })
}

// trust makes the account a (tested from the form) trust exactly the
// certificate with fingerprint fp: in the form, and in the saved account
// when it is saved already (only the pin changes there; other edits in
// the form wait for Save).
func (w *AccountsWindow) trust(a account.Account, fp string) {
	if w.current != a.ID && w.current != "" {
		return // the person went on to another account meanwhile
	}
	w.setPinned(fp)
	if w.current == "" {
		w.showStatus(widget.WarningImportance, lang.X("accounts.trust_on_save", "The certificate will be trusted once you save the account. Test connection again to check."))
		return
	}
	id := a.ID
	w.offUI(a, func() error {
		saved, err := w.store.Get(id)
		if err != nil {
			return err
		}
		saved.PinnedSHA256 = fp
		return w.store.Put(saved)
	}, func(err error) {
		if err != nil {
			w.showStatus(widget.DangerImportance, lang.X("accounts.trust_failed", "The certificate is not trusted: {{.Error}}", map[string]any{"Error": err.Error()}))
			return
		}
		w.showStatus(widget.SuccessImportance, lang.X("accounts.trusted", "{{.Account}} now trusts this certificate and no other. Test connection again to check.", map[string]any{"Account": a.DisplayName()}))
	})
}

// setPinned shows which certificate the form's account trusts.
func (w *AccountsWindow) setPinned(fp string) {
	w.pinned = fp
	if fp == "" {
		w.Trust.SetText("")
		w.trustRow.Hide()
	} else {
		w.Trust.SetText(lang.X("accounts.trusts_only", "Trusts only the server certificate with SHA-256\n{{.Fingerprint}}", map[string]any{"Fingerprint": smtpclient.ColonHex(fp)}))
		w.trustRow.Show()
	}
	if w.body != nil {
		w.body.Refresh() // the row's height changed: lay out again
	}
}

// runProbe gets the password for a connection test of a (the typed one, or
// the saved one when saved is set) off the UI goroutine, then starts the
// test in p.
func (w *AccountsWindow) runProbe(ctx context.Context, cancel context.CancelFunc, p *sendPanel, a account.Account, typed string, saved bool) {
	if a.OAuth != nil {
		w.runSignedInProbe(ctx, cancel, p, a)
		return
	}
	cred := account.PasswordCredential(typed)
	if typed == "" && a.EffectiveAuth().NeedsSecret() && saved {
		if c, _, err := w.secrets.Get(ctx, a.ID); err == nil {
			cred = c
		}
	}
	fail := func(err error) {
		cancel()
		p.FailBeforeSending(err)
	}
	if ctx.Err() != nil {
		runOnUI(func() { fail(errors.New(lang.X("accounts.test_cancelled", "cancelled"))) })
		return
	}
	if cred.Empty() && a.EffectiveAuth().NeedsSecret() {
		runOnUI(func() {
			fail(errors.New(lang.X("accounts.test_no_password", "no password is available for the login test: type it in the Password field (the keyring has none or cannot be read)")))
		})
		return
	}
	cfg := a.SMTPConfig(cred)
	runOnUI(func() {
		if ctx.Err() != nil { // cancelled, or the window closed, just now
			fail(errors.New(lang.X("accounts.test_cancelled", "cancelled")))
			return
		}
		p.StartProbeWith(ctx, cancel, cfg, a.DisplayName())
	})
}
