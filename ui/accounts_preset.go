package ui

import (
	"fmt"
	"stamp/account"
	"stamp/smtpclient"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// The Accounts window fills the server settings from what Stamp knows of
// the address's provider (its preset) while the person types.

// addressChanged fills the server settings from the provider presets while
// the person types the address, unless they set the server themselves.
func (w *AccountsWindow) addressChanged() {
	if w.loading {
		return
	}
	p := w.showPreset(w.Address.Text)
	if p != nil && p.Guess && w.disc.d != nil {
		// No built-in preset: look the settings up after a short pause
		// (it fills the fields, or the guess when nothing is found).
		w.Notes.SetText("")
		w.offerSignIn(account.LoginPassword, "") // until the lookup says otherwise
		w.discoverSoon(w.Address.Text)
		return
	}
	w.disc.clear()
	if p == nil {
		w.offerSignIn(account.LoginPassword, "")
		return
	}
	w.fillFromPreset(*p)
	w.offerSignIn(p.Login, w.Host.Text)
}

// fillFromPreset puts the preset's first server into the form, unless
// the person set the server themselves.
func (w *AccountsWindow) fillFromPreset(p account.Preset) {
	if w.Host.Text != "" && w.Host.Text != w.filled {
		return
	}
	w.fillServer(p.Endpoints[0], p.Auth)
}

// fillServer puts a server Stamp found (a preset's, or discovery's) into
// the form and remembers that it was filled in, not typed; an empty auth
// means automatic. The port, security and login method the person set
// are kept (fillServerKeeping).
func (w *AccountsWindow) fillServer(e account.Endpoint, auth account.AuthMechanism) {
	w.fillServerKeeping(e, auth, false)
}

// fillServerKeeping fills the server fields with e and auth, except those
// holding the person's own value (not what Stamp last put there), unless
// all (the person chose this server). It returns the names of the fields
// it kept.
func (w *AccountsWindow) fillServerKeeping(e account.Endpoint, auth account.AuthMechanism, all bool) (kept []string) {
	if auth == "" {
		auth = account.AuthAuto
	}
	d := &w.disc
	personal := func(v, filled, base string) bool {
		switch {
		case all || v == "":
			return false
		case d.hasFilled:
			return v != filled
		}
		return d.based && v != base
	}
	port, sec, login := strconv.Itoa(e.Port), labelOf(securityChoices, e.Security), labelOf(authChoices, auth)
	w.Host.SetText(e.Host)
	w.filled = e.Host
	if personal(w.Port.Text, d.filledPort, d.basePort) {
		kept = append(kept, lang.X("accounts.discover.kept.port", "the port"))
	} else {
		w.Port.SetText(port)
	}
	if personal(w.Security.Selected, d.filledSec, d.baseSec) {
		kept = append(kept, lang.X("accounts.discover.kept.security", "the security"))
	} else {
		w.setSecurity(e.Security)
	}
	if personal(w.Auth.Selected, d.filledAuth, d.baseAuth) {
		kept = append(kept, lang.X("accounts.discover.kept.auth", "the login method"))
	} else {
		w.setAuth(auth)
	}
	d.filledPort, d.filledSec, d.filledAuth, d.hasFilled = port, sec, login, true
	w.showServerTitle()
	return kept
}

// labelOf is the words of the option standing for v.
func labelOf[T comparable](choices []choice[T], v T) string {
	for _, c := range choices {
		if c.value == v {
			return c.label
		}
	}
	return ""
}

// showServerTitle names the server in the folded Server settings' title,
// so the settings in use show without unfolding them.
func (w *AccountsWindow) showServerTitle() {
	if w.ServerSettings == nil {
		return
	}
	title := lang.X("accounts.server_settings", "Server settings")
	if host := strings.TrimSpace(w.Host.Text); host != "" {
		where := host
		if port := strings.TrimSpace(w.Port.Text); port != "" {
			where += ":" + port
		}
		title = lang.X("accounts.server_settings_named", "Server settings: {{.Server}} ({{.Security}})",
			map[string]any{"Server": smtpclient.Printable(where), "Security": accountSecurityText(picked(w.Security, securityChoices))})
	}
	if item := w.ServerSettings.Items[0]; item.Title != title {
		item.Title = title
		w.ServerSettings.Refresh()
	}
}

// showPreset shows what Stamp knows about the address's provider: which
// secret it wants and the checklist to follow first.
func (w *AccountsWindow) showPreset(address string) *account.Preset {
	if !strings.Contains(address, "@") || strings.HasSuffix(address, "@") {
		w.Notes.SetText("")
		return nil
	}
	p, err := account.Lookup(address)
	if err != nil {
		w.Notes.SetText("")
		return nil
	}
	w.Notes.SetText(presetNotes(p))
	return &p
}

// presetNotes is what Stamp knows about a provider, in words: which
// secret it wants and the checklist to follow first.
func presetNotes(p account.Preset) string {
	var b strings.Builder
	if p.Guess {
		b.WriteString(lang.X("accounts.preset_guess", "Stamp does not know this provider; it guessed {{.Server}}. Use Test connection to check, or type your provider's settings.", map[string]any{"Server": endpointText(p.Endpoints[0])}))
	} else {
		b.WriteString(lang.X("accounts.preset", "{{.Provider}}: {{.Server}}. Password: {{.Login}}.", map[string]any{"Provider": p.DisplayName(), "Server": endpointText(p.Endpoints[0]), "Login": p.Login}))
		if p.SenderMustBeLogin {
			b.WriteString(lang.X("accounts.preset_sender_is_login", " The sender address must be the login address."))
		}
		if p.Unverified {
			b.WriteString(lang.X("accounts.preset_unverified", " (These settings come from third-party pages; Test connection checks them.)"))
		}
	}
	for i, n := range p.Checklist {
		fmt.Fprintf(&b, "\n%d. %s", i+1, n.String())
		if n.ZH != "" && n.ZH != n.String() {
			b.WriteString("\n   " + n.ZH)
		}
	}
	return b.String()
}
