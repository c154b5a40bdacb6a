package ui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"stamp/account"
	"stamp/compose"
	"stamp/smtpclient"
)

// ConfigFunc gives the engine's settings for a From choice, with the secret
// for this session. It runs on a background goroutine and may wait for the
// keyring or for the person (asked on parent); it gives up when ctx is done.
// settle, when not nil, must be called after the attempt with whether the
// server accepted the login: a typed password is kept only once it worked,
// and a refused one is not offered again.
type ConfigFunc func(ctx context.Context, s Sender, parent fyne.Window) (cfg smtpclient.Config, settle func(loginOK bool), err error)

// PanelSend returns a SendFunc that sends through the engine and shows the
// conversation in a send panel. config resolves the sender's settings; a
// successful send is saved as .eml into sentDir when the sender keeps Sent
// copies.
func PanelSend(config ConfigFunc, sentDir string) SendFunc {
	return func(c *Composer, from Sender, m *compose.Message, only []string) {
		p := c.panel
		fresh := p == nil
		if fresh {
			p = newComposerPanel(c)
		}
		ctx, cancel := context.WithCancel(context.Background())
		p.Prepare(m.Subject, cancel)
		c.wireFixes(p, from)
		c.wireSignIn(p, from)
		r := &panelRun{config: config, sentDir: sentDir, c: c, p: p, from: from, m: m, only: only,
			ctx: ctx, cancel: cancel, done: c.SendDone(), shown: make(chan struct{})}
		go r.run()
		start := func() { p.Present(func() { close(r.shown) }) }
		if !fresh {
			start()
			return
		}
		// The first send builds the panel in this frame and shows it in a
		// later one: building it (fonts, text measurements) and creating its
		// window each hold the UI thread for tens of milliseconds, and the
		// composer is painted in between.
		afterFrame(start)
	}
}

// newComposerPanel creates c's send panel, kept for all of c's sends: one
// send panel per composer, hidden when closed and shown again by the next
// send.
func newComposerPanel(c *Composer) *sendPanel {
	p := newSendPanel(c.app)
	p.HideOnClose = true
	c.panel = p
	c.cancelSend = p.Cancel
	p.Window.SetOnClosed(func() {
		if c.panel == p {
			c.panel, c.cancelSend = nil, nil
		}
	})
	p.OnRetry = func() {
		if !c.sending {
			c.TrySend() // the message as it is now, with a fresh password lookup
		}
	}
	p.OnSendAccepted = func(accepted []string) {
		if !c.sending {
			c.trySend(accepted)
		}
	}
	return p
}

// panelRun is one send through the composer's panel. Its goroutine does
// everything that is not UI work — the settings and secret, the engine, the
// Sent copy — and counts the send down itself (done), so the app's exit
// waits for it and never for a UI callback (Fyne drops the queued ones when
// its loop ends). What the person sees is handed to the UI goroutine.
type panelRun struct {
	config  ConfigFunc
	sentDir string
	c       *Composer
	p       *sendPanel
	from    Sender
	m       *compose.Message
	only    []string
	ctx     context.Context
	cancel  context.CancelFunc
	done    func()        // ends the composer's count of this send
	shown   chan struct{} // closed when the panel is on screen
}

// canceledBeforeConnecting is the outcome of a send stopped while it was
// being prepared, in the current language.
func canceledBeforeConnecting() *smtpclient.Error {
	return &smtpclient.Error{Kind: smtpclient.ErrorCanceled, Step: smtpclient.StepConnect,
		Message: lang.X("sendpanel.cancelled_before_connecting", "cancelled before connecting")}
}

// run waits for the panel to show, gets the sender's settings and secret
// (the keyring may be slow, or the person is asked), runs the engine, then
// writes the Sent copy, and shows the outcome.
func (r *panelRun) run() {
	defer r.cancel()
	select {
	case <-r.shown:
	case <-r.ctx.Done():
	case <-stoppedChan():
		r.done() // the app ended before the panel showed: nothing went out
		return
	}
	job, settle, err := r.prepare()
	if err != nil {
		r.done()
		runOnUI(func() {
			if errors.Is(err, context.Canceled) {
				r.p.Finish(nil, canceledBeforeConnecting())
			} else {
				r.p.FailBeforeSending(err)
			}
			r.c.SendFinished(NotSent)
		})
		return
	}
	runOnUI(func() { r.p.begin(job, r.cancel) })
	res, err := r.p.send(r.ctx, job)
	outcome := smtpclient.OutcomeOf(res, err)
	var copyDone <-chan sentCopy
	if outcome == Sent && r.from.KeepSent {
		copyDone = r.saveSentCopy()
	}
	r.done()
	runOnUI(func() {
		r.p.flush()
		r.p.Finish(res, err)
		r.finished(job, settle, res, err, outcome, copyDone)
	})
}

// prepare gets the job: the sender's settings with the secret, the envelope
// and the message. A cancel while it waits is context.Canceled.
func (r *panelRun) prepare() (sendJob, func(bool), error) {
	if r.ctx.Err() != nil {
		return sendJob{}, nil, context.Canceled
	}
	var job sendJob
	var settle func(bool)
	var err error
	if a, ok := r.c.opts.OAuth.account(r.from); ok {
		// Signs in with its provider: oauth.Send, never a password.
		job, err = r.c.opts.OAuth.sendJob(r.ctx, a, r.from, r.m)
	} else {
		job, settle, err = newSendJob(r.ctx, r.config, r.from, r.m, r.p.Window)
	}
	if r.ctx.Err() != nil {
		return sendJob{}, nil, context.Canceled
	}
	if err != nil {
		return sendJob{}, nil, err
	}
	if r.only != nil {
		job.Envelope.To = keepOnly(job.Envelope.To, r.only)
	}
	return job, settle, nil
}

// sentCopy is where the Sent copy went, or why it could not be written.
type sentCopy struct {
	path string
	err  error
}

// saveSentCopy writes the Sent copy on a goroutine of its own (a big message
// takes a while to encode and flush to disk), counted for the app's exit.
func (r *panelRun) saveSentCopy() <-chan sentCopy {
	out := make(chan sentCopy, 1)
	r.c.background.Add(1) // before done: the count never touches zero in between
	go func() {
		defer r.c.background.Done()
		path, err := compose.SaveSent(r.sentDir, r.m)
		if err == nil {
			sentSaved.notify()
		}
		out <- sentCopy{path, err}
	}()
	return out
}

// finished wires the outcome back to the composer (on the UI goroutine):
// the login's verdict for a typed password, the server's size limit, the
// draft, and the notice.
func (r *panelRun) finished(job sendJob, settle func(bool), res *smtpclient.Result, err error, outcome SendOutcome, copyDone <-chan sentCopy) {
	c, from := r.c, r.from
	if ok, known := loginResult(job.Config, res, err); known && settle != nil {
		settle(ok)
	}
	if res != nil && res.Capabilities != nil && res.Capabilities.MaxSize > 0 {
		c.learnSizeLimit(from.ID, res.Capabilities.MaxSize)
	}
	c.signInRefused(from, err)
	kept := c.SendFinished(outcome)
	if outcome != Sent {
		return
	}
	where := lang.X("send.notice.sent", "Sent.")
	if from.ID == SandboxID {
		where = lang.X("send.notice.sandbox", "Delivered to the built-in sandbox server only: nothing left this computer (Message › Sandbox inbox shows it).")
	}
	if kept {
		where += lang.X("send.notice.kept_edits", " You changed the message while it was being sent; the changed version stays here as a draft.")
	}
	if copyDone == nil {
		c.Notify(where)
		return
	}
	go func() {
		sc := <-copyDone
		runOnUI(func() {
			if sc.err != nil {
				c.Notify(where + lang.X("send.notice.copy_failed", " The copy for your Sent folder could not be saved: {{.Error}}", map[string]any{"Error": sc.err.Error()}))
			} else {
				c.Notify(where + lang.X("send.notice.copy_saved", " A copy is in your Sent folder: {{.File}}", map[string]any{"File": filepath.Base(sc.path)}))
			}
		})
	}()
}

// keepOnly keeps the addresses of list that are in only (case-insensitive).
func keepOnly(list, only []string) []string {
	keep := map[string]bool{}
	for _, a := range only {
		keep[strings.ToLower(a)] = true
	}
	var out []string
	for _, a := range list {
		if keep[strings.ToLower(a)] {
			out = append(out, a)
		}
	}
	return out
}

// loginResult says whether the server accepted the login in this attempt,
// and whether that is known at all (no login tried, or the session ended
// before AUTH).
func loginResult(cfg smtpclient.Config, res *smtpclient.Result, err error) (ok, known bool) {
	if cfg.Username == "" {
		return false, false
	}
	var se *smtpclient.Error
	switch {
	case err == nil:
		return true, true
	case errors.As(err, &se) && se.Step == smtpclient.StepAuth:
		return false, se.Kind == smtpclient.ErrorReply && se.Code/100 == 5
	case errors.As(err, &se):
		switch se.Step {
		case smtpclient.StepMail, smtpclient.StepRcpt, smtpclient.StepData, smtpclient.StepMessage, smtpclient.StepReset, smtpclient.StepQuit:
			return true, true
		}
	}
	return false, false
}

func newSendJob(ctx context.Context, config ConfigFunc, from Sender, m *compose.Message, parent fyne.Window) (sendJob, func(bool), error) {
	cfg, settle, err := config(ctx, from, parent)
	if err != nil {
		return sendJob{}, nil, err
	}
	job, err := messageJob(cfg, from, m)
	return job, settle, err
}

// messageJob prepares the envelope and the message writer for cfg.
func messageJob(cfg smtpclient.Config, from Sender, m *compose.Message) (sendJob, error) {
	env, err := m.Envelope()
	if err != nil {
		return sendJob{}, err
	}
	w, err := m.NewWriter(compose.WriteOptions{})
	if err != nil {
		return sendJob{}, err
	}
	// The writer fixed the Date and Message-ID: keep them in m, so the Sent
	// copy is the same message the recipients got.
	*m = *w.Message()
	// Which field each envelope address came from, in the envelope's own
	// (wire) form; To wins over Cc over Bcc for an address typed twice.
	fields := map[string]string{}
	for _, f := range []struct {
		name string
		list []compose.Address
	}{{"Bcc", m.Bcc}, {"Cc", m.Cc}, {"To", m.To}} {
		part, err := (&compose.Message{From: m.From, To: f.list}).Envelope()
		if err != nil {
			continue
		}
		for _, addr := range part.To {
			fields[strings.ToLower(addr)] = f.name
		}
	}
	title := m.Subject
	if strings.TrimSpace(title) == "" {
		title = lang.X("mailbox.no_subject", "(no subject)")
	}
	return sendJob{
		Config:   cfg,
		Envelope: smtpclient.Envelope{From: env.From, To: env.To, SMTPUTF8: env.SMTPUTF8, EightBitMIME: env.EightBitMIME},
		Message:  w,
		Fields:   fields,
		Title:    title,
		AuthHint: providerAuthHint(from.From.Addr),
	}, nil
}

// providerAuthHint is what the address's provider wants as a password, when
// that is not the normal login password.
func providerAuthHint(address string) string {
	p, err := account.Lookup(address)
	if err != nil || p.Guess {
		return ""
	}
	data := map[string]any{"Provider": p.DisplayName()}
	switch p.Login {
	case account.LoginAuthCode:
		return lang.X("sendpanel.auth_hint.auth_code", "{{.Provider}} wants the authorization code (授权码) from its web settings as the password, not your login password (授权码 ≠ 登录密码).", data)
	case account.LoginAppPassword, account.LoginOAuth2OrAppPassword:
		return lang.X("sendpanel.auth_hint.app_password", "{{.Provider}} wants an app password from its security settings, not your normal password.", data)
	case account.LoginOAuth2Only:
		return lang.X("sendpanel.auth_hint.oauth_only", "{{.Provider}} refuses password logins entirely; it needs sign-in with the provider (OAuth 2).", data)
	}
	return ""
}
