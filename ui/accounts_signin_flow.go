package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/oauth"
)

// The sign-in from the Accounts window: the loopback PKCE flow in the
// person's browser (oauth.Start), or Microsoft's device code
// (oauth.StartDevice), off the UI goroutine, with a dialog that cancels,
// copies the link and, where the provider offers it, switches to another
// device. The tokens go to the account's oauth.Session (Complete).

// signInFlow is one sign-in in progress.
type signInFlow struct {
	w      *AccountsWindow
	a      account.Account
	ctx    context.Context
	cancel context.CancelFunc
	// toDevice is closed when the person asks to sign in on another
	// device (closed on the UI goroutine, read by the flow's).
	toDevice chan struct{}
	// The dialog and its parts (UI goroutine).
	dlg     *dialog.CustomDialog
	content *fyne.Container
	msg     *widget.Label
	done    bool
}

// SignIn saves the form's account (a sign-in belongs to a saved account:
// its token is kept under the account's ID), then signs in with its
// provider. A sign-in already under way is brought to the front instead.
func (w *AccountsWindow) SignIn() {
	if f := w.sign.flow; f != nil {
		if f.dlg != nil {
			f.dlg.Show()
		}
		return
	}
	if w.sign.kind == "" {
		return
	}
	if w.askAboutWarnings(w.SignIn) {
		return
	}
	a, err := w.formAccount()
	if err != nil {
		w.showStatus(widget.DangerImportance, lang.X("accounts.signin.not_saved", "Cannot sign in: {{.Error}}", map[string]any{"Error": err.Error()}))
		return
	}
	secret := w.ClientSecret.Text
	w.offUI(a, w.saveWork(a, w.current == "", secret), func(err error) {
		if err != nil {
			w.showStatus(widget.DangerImportance, lang.X("accounts.signin.not_saved", "Cannot sign in: {{.Error}}", map[string]any{"Error": err.Error()}))
			return
		}
		if w.ClientSecret.Text == secret {
			w.ClientSecret.SetText("")
		}
		w.saved(a, "")
		w.startSignIn(a)
	})
}

// startSignIn runs the sign-in of the saved account a.
func (w *AccountsWindow) startSignIn(a account.Account) {
	f := &signInFlow{w: w, a: a, toDevice: make(chan struct{})}
	f.ctx, f.cancel = context.WithCancel(context.Background())
	w.sign.flow = f
	delete(w.sign.who, a.ID)
	w.SignInButton.Disable()
	w.SignOutButton.Hide()
	w.SignedIn.Importance = widget.MediumImportance
	w.SignedIn.SetText(lang.X("accounts.signin.starting", "Getting the sign-in ready…"))
	go f.run()
}

// run is the flow, on its own goroutine.
func (f *signInFlow) run() {
	w := f.w
	p, err := w.providerFor(f.ctx, f.a)
	if err != nil {
		f.finish(nil, nil, err)
		return
	}
	s, err := oauth.Start(p, oauth.Options{Timeout: w.sign.timeout, LoginHint: f.a.Address})
	if err != nil {
		f.finish(nil, nil, err)
		return
	}
	defer s.Close()
	link, device := s.AuthURL(), p.Device()
	runOnUI(func() { f.showBrowser(p.Kind, link, device) })
	type waited struct {
		tok *oauth2.Token
		err error
	}
	ch := make(chan waited, 1)
	go func() {
		tok, err := s.Wait(f.ctx)
		ch <- waited{tok, err}
	}()
	var tok *oauth2.Token
	select {
	case r := <-ch:
		tok, err = r.tok, r.err
	case <-f.toDevice:
		s.Close()
		<-ch
		tok, err = f.device(p)
	}
	f.finish(p, tok, err)
}

// device signs in with a code on another device.
func (f *signInFlow) device(p *oauth.Provider) (*oauth2.Token, error) {
	d, err := oauth.StartDevice(f.ctx, p)
	if err != nil {
		return nil, err
	}
	code, link, until := d.UserCode(), d.VerificationURI(), d.Expiry()
	runOnUI(func() { f.showDevice(code, link, until) })
	return d.Wait(f.ctx)
}

// finish keeps the tokens (in the keyring, through the account's
// session) and shows the outcome.
func (f *signInFlow) finish(p *oauth.Provider, tok *oauth2.Token, err error) {
	w := f.w
	kind := f.a.OAuth.Provider
	var got signedIn
	if err == nil {
		// Keep what the provider gave even if Cancel came just now: the
		// person did sign in.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		var loc account.PasswordLocation
		loc, err = w.sign.mgr.Session(f.a.ID, p).Complete(ctx, tok)
		cancel()
		who := tokenWho(tok)
		if who == "" {
			who = f.a.Address
		}
		got = signedIn{who: lang.X("accounts.signin.done", "Signed in with {{.Provider}} as {{.Who}}.",
			map[string]any{"Provider": p.Kind.Name(), "Who": who}), until: lastsText(kind, refreshLifetime(tok))}
		if err == nil && loc == account.LocationSession {
			got.until += " " + lang.X("accounts.signin.session_only", "The system keyring is unavailable: Stamp keeps the sign-in until it quits.")
		}
	}
	tok = nil
	runOnUI(func() {
		f.done = true
		if f.dlg != nil {
			f.dlg.Hide()
		}
		f.cancel()
		if w.sign.flow == f {
			w.sign.flow = nil
		}
		w.SignInButton.Enable()
		if w.closed {
			return
		}
		if err != nil {
			if w.current == f.a.ID {
				w.signInFailed(kind, err)
			}
			return
		}
		w.sign.who[f.a.ID] = got
		if w.current == f.a.ID {
			w.showSignedIn(got)
			w.showStatus(widget.SuccessImportance, lang.X("accounts.signin.saved_status", "Signed in. The account is ready to send."))
		}
		if w.OnChanged != nil {
			w.OnChanged()
		}
	})
}

// showBrowser opens the sign-in link in the browser and shows the waiting
// dialog.
func (f *signInFlow) showBrowser(kind oauth.Kind, link string, device bool) {
	w := f.w
	if f.done || w.closed {
		return
	}
	minutes := int(w.sign.timeout.Round(time.Minute) / time.Minute)
	if minutes < 1 {
		minutes = 1
	}
	f.msg = widget.NewLabel(lang.X("accounts.signin.waiting",
		"Stamp opened {{.Provider}}'s sign-in page in your browser. Sign in there and allow Stamp to send mail; Stamp waits up to {{.Minutes}} min.",
		map[string]any{"Provider": kind.Name(), "Minutes": minutes}))
	w.SignedIn.SetText(lang.X("accounts.signin.browser", "Waiting for the browser to come back from {{.Provider}}…", map[string]any{"Provider": kind.Name()}))
	f.msg.Wrapping = fyne.TextWrapWord
	copied := widget.NewLabel("")
	copyLink := widget.NewButtonWithIcon(lang.X("accounts.signin.copy_link", "Copy the sign-in link"), theme.ContentCopyIcon(), func() {
		w.app.Clipboard().SetContent(link)
		copied.SetText(lang.X("accounts.signin.link_copied", "Copied: paste it into your browser's address bar."))
	})
	buttons := container.NewHBox(copyLink)
	if device {
		buttons.Add(widget.NewButtonWithIcon(lang.X("accounts.signin.other_device", "Sign in on another device"), theme.ComputerIcon(), func() {
			select {
			case <-f.toDevice:
			default:
				close(f.toDevice)
				f.msg.SetText(lang.X("accounts.signin.device_starting", "Asking {{.Provider}} for a code…", map[string]any{"Provider": kind.Name()}))
			}
		}))
	}
	f.content = container.NewVBox(f.msg, buttons, copied)
	f.dlg = dialog.NewCustom(signInLabel(account.OAuthProvider(kind)), lang.X("accounts.signin.cancel", "Cancel"), f.content, w.Window)
	f.dlg.SetOnClosed(func() {
		if !f.done {
			f.cancel()
		}
	})
	f.dlg.Resize(fyne.NewSize(520, 240))
	w.dialogs.show(f.dlg)
	u, err := url.Parse(link)
	if err == nil {
		err = w.sign.open(u)
	}
	if err != nil {
		f.msg.SetText(lang.X("accounts.signin.no_browser",
			"No browser opened. Copy the sign-in link, open it in a browser on this computer and sign in there; Stamp waits up to {{.Minutes}} min.",
			map[string]any{"Minutes": minutes}))
	}
}

// showDevice shows the code to enter on another device.
func (f *signInFlow) showDevice(code, link string, until time.Time) {
	w := f.w
	if f.done || w.closed || f.content == nil {
		return
	}
	msg := widget.NewLabel(lang.X("accounts.signin.device",
		"On a phone or another computer, open {{.Link}} and enter this code (valid until {{.Until}}). Stamp waits and finishes by itself.",
		map[string]any{"Link": link, "Until": until.Local().Format("15:04")}))
	msg.Wrapping = fyne.TextWrapWord
	big := widget.NewLabelWithStyle(code, fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	big.SizeName = theme.SizeNameHeadingText
	copied := widget.NewLabel("")
	copyCode := widget.NewButtonWithIcon(lang.X("accounts.signin.copy_code", "Copy the code"), theme.ContentCopyIcon(), func() {
		w.app.Clipboard().SetContent(code)
		copied.SetText(lang.X("accounts.signin.code_copied", "The code is copied."))
	})
	copyLink := widget.NewButtonWithIcon(lang.X("accounts.signin.copy_device_link", "Copy the link"), theme.ContentCopyIcon(), func() {
		w.app.Clipboard().SetContent(link)
		copied.SetText(lang.X("accounts.signin.device_link_copied", "The link is copied."))
	})
	f.content.Objects = []fyne.CanvasObject{msg, big, container.NewHBox(copyCode, copyLink), copied}
	f.content.Refresh()
}

// runSignedInProbe runs the connection test of an account that signs in:
// it logs in with a fresh access token of the saved sign-in.
func (w *AccountsWindow) runSignedInProbe(ctx context.Context, cancel context.CancelFunc, p *sendPanel, a account.Account) {
	fail := func(err error) {
		runOnUI(func() {
			cancel()
			p.FailBeforeSending(err)
		})
	}
	prov, err := w.providerFor(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	tok, err := w.sign.mgr.Session(a.ID, prov).Token(ctx)
	if err != nil {
		fail(fmt.Errorf("%w. %s", err, lang.X("accounts.signin.use_first", "Use {{.Button}} in the Accounts window first", map[string]any{"Button": strconv.Quote(signInLabel(a.OAuth.Provider))})))
		return
	}
	cfg := a.SMTPConfig(account.Credential{Kind: account.KindOAuth2, OAuth2: &account.OAuth2Token{AccessToken: tok.Secret()}})
	runOnUI(func() {
		if ctx.Err() != nil {
			cancel()
			p.FailBeforeSending(errors.New("cancelled"))
			return
		}
		p.StartProbeWith(ctx, cancel, cfg, a.DisplayName())
	})
}

// providerFor is oauth.ProviderFor for the account a, with the window's
// HTTP client (a keyring that cannot be read does not stop a public
// client: oauth.ProviderFor resolves it without a client secret).
func (w *AccountsWindow) providerFor(ctx context.Context, a account.Account) (*oauth.Provider, error) {
	return oauth.ProviderFor(ctx, a, w.secrets, w.sign.client)
}
