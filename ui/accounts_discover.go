package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/discover"
	"stamp/oauth"
	"stamp/smtpclient"
)

// AccountsOptions configure the accounts window.
type AccountsOptions struct {
	// Discoverer looks up the settings of an address whose domain has no
	// built-in preset (autoconfig, ISP database, MX, SRV); nil means the
	// presets only, with a marked guess for other domains. One
	// Discoverer for the session keeps its per-domain cache.
	Discoverer *discover.Discoverer
	// DiscoverDelay is the pause after the last change of the address
	// before the lookup starts; zero means DefaultDiscoverDelay.
	DiscoverDelay time.Duration

	// OAuth hands out the accounts' sign-in sessions; share the composer's
	// so that refreshes of one account never overlap. nil: one of the
	// window's own.
	OAuth *oauth.Manager
	// OpenURL opens the sign-in page in the person's browser; nil means
	// fyne.App.OpenURL. Tests hand the page to a browser they drive.
	OpenURL func(*url.URL) error
	// OAuthHTTPClient makes the sign-in's requests to the provider (nil:
	// http.DefaultClient).
	OAuthHTTPClient *http.Client
	// SignInTimeout bounds the wait for the browser; zero means
	// oauth.DefaultTimeout.
	SignInTimeout time.Duration
}

// DefaultDiscoverDelay is the pause after typing before settings are
// looked up.
const DefaultDiscoverDelay = 600 * time.Millisecond

// discovery is the accounts window's lookup of a typed address: one at a
// time (a newer address cancels the older lookup), its result shown in
// words with the alternatives. Its fields belong to the UI goroutine.
type discovery struct {
	d      *discover.Discoverer
	delay  time.Duration
	cancel context.CancelFunc
	seq    int // the lookup whose result may be shown

	box *fyne.Container
	// Looking is the spinner row shown while a lookup runs.
	looking *fyne.Container
	spinner *widget.Activity
	// Found says where the settings came from, and the warnings.
	found *widget.Label
	// Alternatives lists every server found; choosing one fills the form.
	alternatives *widget.Select
	alts         []discoveredServer
	filledUser   string // the login name last filled from discovery
	// filledPort, filledSec and filledAuth are what Stamp last put in the
	// port, security and login method (the pickers' labels): a field
	// holding anything else is the person's and is kept. Before Stamp
	// filled anything (hasFilled), base* are the fields as they were when
	// the first lookup began (based): the person's edits meanwhile are
	// kept too. reset (a new account in the form) forgets them.
	filledPort, filledSec, filledAuth string
	hasFilled                         bool
	basePort, baseSec, baseAuth       string
	based                             bool
	// warnHost is the server filled from a candidate with warnings, and
	// warnings those warnings: Save asks before it keeps them, once.
	warnHost string
	warnings []string
	// warnDialog is the last such question (tests).
	warnDialog dialog.Dialog
}

// discoveredServer is one entry of the alternatives.
type discoveredServer struct {
	cand   discover.Candidate
	server discover.Server
	label  string
}

func (d *discovery) init(opts AccountsOptions) {
	d.d = opts.Discoverer
	d.delay = opts.DiscoverDelay
	if d.delay <= 0 {
		d.delay = DefaultDiscoverDelay
	}
	d.spinner = widget.NewActivity()
	d.looking = container.NewHBox(d.spinner, widget.NewLabel(lang.X("accounts.discover.looking", "Looking up settings…")))
	d.looking.Hide()
	d.found = widget.NewLabel("")
	d.found.Wrapping = fyne.TextWrapWord
	d.found.Hide()
	d.alternatives = widget.NewSelect(nil, nil)
	d.alternatives.PlaceHolder = lang.X("accounts.discover.others", "Other settings found…")
	d.alternatives.Hide()
	d.box = container.NewVBox(d.looking, d.found, d.alternatives)
}

// stop cancels a lookup under way and forgets its result.
func (d *discovery) stop() {
	d.seq++
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
	if d.spinner != nil {
		d.spinner.Stop()
		d.looking.Hide()
	}
}

// reset stops any lookup, clears what the last one showed, and forgets
// what Stamp filled in (another account is in the form).
func (d *discovery) reset() {
	d.clear()
	d.filledPort, d.filledSec, d.filledAuth, d.hasFilled = "", "", "", false
	d.basePort, d.baseSec, d.baseAuth, d.based = "", "", "", false
}

// clear stops any lookup and clears what the last one showed.
func (d *discovery) clear() {
	d.stop()
	if d.found == nil {
		return
	}
	d.found.SetText("")
	d.found.Hide()
	d.warnHost, d.warnings = "", nil
	d.alts = nil
	d.alternatives.OnChanged = nil
	d.alternatives.ClearSelected()
	d.alternatives.SetOptions(nil)
	d.alternatives.Hide()
}

// discoverSoon looks up the settings for address after the pause,
// cancelling the previous lookup. The lookup runs off the UI goroutine;
// its result comes back through runOnUI.
func (w *AccountsWindow) discoverSoon(address string) {
	w.disc.clear()
	if !w.disc.hasFilled && !w.disc.based {
		w.disc.basePort, w.disc.baseSec, w.disc.baseAuth = w.Port.Text, w.Security.Selected, w.Auth.Selected
		w.disc.based = true
	}
	address = strings.TrimSpace(address)
	ctx, cancel := context.WithCancel(context.Background())
	w.disc.cancel = cancel
	seq := w.disc.seq
	d, delay := w.disc.d, w.disc.delay
	w.disc.looking.Show()
	w.disc.spinner.Start()
	go func() {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
		r, err := d.Discover(ctx, address)
		if ctx.Err() != nil {
			return // a newer address, or the window closed
		}
		runOnUI(func() {
			if w.closed || seq != w.disc.seq {
				return
			}
			w.disc.stop()
			w.showDiscovery(address, r, err)
		})
	}()
}

// showDiscovery fills the form with the chosen settings (unless the
// person set the server) and says where they came from, with the
// warnings and the alternatives.
func (w *AccountsWindow) showDiscovery(address string, r *discover.Result, err error) {
	p := smtpclient.Printable
	if err != nil {
		w.showFound(widget.WarningImportance, lang.X("accounts.discover.failed", "The settings could not be looked up: {{.Error}}", map[string]any{"Error": p(err.Error())}))
		w.fillGuess(address)
		return
	}
	w.disc.alts = nil
	for _, c := range r.Candidates {
		for _, s := range c.Servers {
			if s.NotUsable != "" {
				continue
			}
			label := endpointText(s.Endpoint()) + " — " + c.From // a plain server says "no encryption" in its security
			w.disc.alts = append(w.disc.alts, discoveredServer{cand: c, server: s, label: p(label)})
		}
	}
	chosen, best, ok := r.Chosen()
	if !ok {
		text := lang.X("accounts.discover.none", "No settings are published for {{.Domain}}.", map[string]any{"Domain": p(r.Domain)})
		if len(w.disc.alts) > 0 {
			text += lang.X("accounts.discover.only_plain", " Only servers without encryption were found; your password and mail would cross the network readable.")
		}
		w.showFound(widget.WarningImportance, text)
		w.fillGuess(address)
		w.showAlternatives()
		return
	}
	w.showAlternatives()
	w.useDiscovered(chosen, best, false)
}

// useDiscovered fills the form with server s of candidate c (unless the
// person typed a server and did not choose this one: chosen) and shows
// where it came from.
func (w *AccountsWindow) useDiscovered(c discover.Candidate, s discover.Server, chosen bool) {
	p := smtpclient.Printable
	var b strings.Builder
	fill := chosen || w.Host.Text == "" || w.Host.Text == w.filled
	var kept []string
	if fill {
		kept = w.fillServerKeeping(s.Endpoint(), s.Auth, chosen)
	}
	if fill {
		b.WriteString(lang.X("accounts.discover.found", "Settings found: {{.From}}", map[string]any{"From": p(c.From)}))
	} else {
		b.WriteString(lang.X("accounts.discover.found_kept", "Found {{.Server}}, {{.From}}; the server you typed is kept", map[string]any{"Server": endpointText(s.Endpoint()), "From": p(c.From)}))
	}
	if c.Provider != "" && !strings.Contains(c.From, c.Provider) {
		fmt.Fprintf(&b, " — %s", p(c.Provider))
	}
	b.WriteString(lang.X("accounts.discover.period", "."))
	if c.Where != "" {
		b.WriteString("\n" + lang.X("accounts.discover.where", "From: {{.Where}}", map[string]any{"Where": p(c.Where)}))
	}
	if len(kept) > 0 {
		b.WriteString("\n" + lang.X("accounts.discover.kept", "Kept what you set: {{.Fields}}.", map[string]any{"Fields": strings.Join(kept, lang.X("accounts.discover.kept.separator", ", "))}))
	}
	warnings := c.Warnings()
	if s.Plain && !c.Guess && len(warnings) == 0 {
		warnings = append(warnings, lang.X("accounts.discover.plain", "This server has no encryption."))
	}
	for _, warn := range warnings {
		b.WriteString("\n⚠ " + p(warn))
	}
	imp := widget.SuccessImportance
	if len(warnings) > 0 {
		imp = widget.WarningImportance
	}
	w.showFound(imp, b.String())
	if !fill {
		return
	}
	w.disc.warnHost, w.disc.warnings = s.Host, nil
	for _, warn := range warnings {
		w.disc.warnings = append(w.disc.warnings, p(warn))
	}
	login := account.LoginPassword
	if dom, err := account.Domain(w.Address.Text); err == nil {
		login = c.AsPreset(dom).Login
	}
	w.offerSignIn(login, s.Host)
	if w.Username.Text == "" || w.Username.Text == w.disc.filledUser {
		user := s.Username
		if strings.EqualFold(user, strings.TrimSpace(w.Address.Text)) {
			user = ""
		}
		w.Username.SetText(user)
		w.disc.filledUser = user
	}
	if dom, err := account.Domain(w.Address.Text); err == nil {
		w.Notes.SetText(presetNotes(c.AsPreset(dom)))
	}
}

// showAlternatives lists the servers found when there is more than one;
// choosing one fills the form with it.
func (w *AccountsWindow) showAlternatives() {
	sel := w.disc.alternatives
	sel.OnChanged = nil
	if len(w.disc.alts) < 2 {
		sel.SetOptions(nil)
		sel.Hide()
		return
	}
	opts := make([]string, len(w.disc.alts))
	for i, a := range w.disc.alts {
		opts[i] = a.label
	}
	sel.SetOptions(opts)
	sel.ClearSelected()
	sel.OnChanged = func(label string) {
		for _, a := range w.disc.alts {
			if a.label == label {
				w.useDiscovered(a.cand, a.server, true)
				return
			}
		}
	}
	sel.Show()
}

func (w *AccountsWindow) showFound(imp widget.Importance, text string) {
	w.disc.found.Importance = imp
	w.disc.found.SetText(text)
	w.disc.found.Show()
}

// fillGuess fills the form with the preset guess for address, as without
// discovery.
func (w *AccountsWindow) fillGuess(address string) {
	if p, err := account.Lookup(address); err == nil {
		w.Notes.SetText(presetNotes(p))
		w.fillFromPreset(p)
	}
}

// askAboutWarnings asks, before the first Save of settings that
// discovery filled with warnings (another domain, unverified, a guess,
// no encryption), whether to use them; retry runs when the person says
// yes. It reports whether it asked (and Save must wait).
func (w *AccountsWindow) askAboutWarnings(retry func()) bool {
	if len(w.disc.warnings) == 0 || strings.TrimSpace(w.Host.Text) != w.disc.warnHost {
		return false
	}
	text := lang.X("accounts.discover.ask", "Stamp found these settings, but:\n\n{{.Warnings}}\n\nSave them anyway?", map[string]any{"Warnings": "• " + strings.Join(w.disc.warnings, "\n• ")})
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.X("accounts.discover.ask_title", "Use these settings?"), lang.X("accounts.discover.save_anyway", "Save anyway"), lang.X("accounts.discover.cancel", "Cancel"), msg, func(ok bool) {
		if !ok {
			w.showStatus(widget.WarningImportance, lang.X("accounts.discover.not_saved", "Not saved. Check the server settings, or type your provider's."))
			return
		}
		w.disc.warnings = nil // asked once for these settings
		retry()
	}, w.Window)
	d.Resize(fyne.NewSize(520, 300))
	w.disc.warnDialog = d
	w.dialogs.show(d)
	return true
}
