package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"

	"stamp/account"
	"stamp/compose"
	"stamp/smtpclient"
)

// sentNote marks the saved copy in the Sent folder: it keeps the Bcc line
// for the sender's records, which the transmitted message never has.
const sentNote = "Saved copy. The Bcc line is kept for your records only; it was not transmitted."

// ConfigFunc gives the engine's settings for a From choice, with the
// password for this session (from the keyring, or asked for). It runs on a
// background goroutine: it may wait for the keyring or for the person.
type ConfigFunc func(ctx context.Context, s Sender) (smtpclient.Config, error)

// PanelSend returns a SendFunc that sends through the engine and shows the
// conversation in a send panel. config resolves the sender's settings; a
// successful send is saved as .eml into sentDir.
func PanelSend(config ConfigFunc, sentDir string) SendFunc {
	return func(c *Composer, from Sender, m *compose.Message) {
		p := NewSendPanel(c.app)
		p.Header.SetText("Preparing “" + m.Subject + "”…")
		p.Window.Show()
		go func() {
			job, err := newSendJob(context.Background(), config, from, m)
			fyne.Do(func() {
				if err != nil {
					p.Window.Close()
					c.SendFinished(false)
					c.showError(err)
					return
				}
				runPanelSend(c, p, job, m, from.KeepSent, sentDir)
			})
		}()
	}
}

// runPanelSend starts job in p and wires the outcome back to the composer.
func runPanelSend(c *Composer, p *SendPanel, job SendJob, m *compose.Message, keepSent bool, sentDir string) {
	p.OnFinished = func(res *smtpclient.Result, err error) {
		ok := err == nil && res != nil && res.Sent
		if ok && !keepSent {
			c.Notify("Sent.")
		} else if ok {
			if path, serr := saveSent(sentDir, m); serr != nil {
				c.Notify("Sent, but the copy for your Sent folder could not be saved: " + serr.Error())
			} else {
				c.Notify("Sent. A copy is in your Sent folder: " + filepath.Base(path))
			}
		}
		c.SendFinished(ok)
	}
	p.OnRetry = func() {
		c.sendStarted()
		p.Start(job)
	}
	p.OnSendAccepted = func(accepted []string) {
		again := job
		again.Envelope.To = accepted
		c.sendStarted()
		p.Start(again)
	}
	p.Start(job)
}

func newSendJob(ctx context.Context, config ConfigFunc, from Sender, m *compose.Message) (SendJob, error) {
	cfg, err := config(ctx, from)
	if err != nil {
		return SendJob{}, err
	}
	env, err := m.Envelope()
	if err != nil {
		return SendJob{}, err
	}
	w, err := m.NewWriter(compose.WriteOptions{})
	if err != nil {
		return SendJob{}, err
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
		title = "(no subject)"
	}
	return SendJob{
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
	switch p.Login {
	case account.LoginAuthCode:
		return p.Provider + " wants the authorization code (授权码) from its web settings as the password, not your login password (授权码 ≠ 登录密码)."
	case account.LoginAppPassword, account.LoginOAuth2OrAppPassword:
		return p.Provider + " wants an app password from its security settings, not your normal password."
	case account.LoginOAuth2Only:
		return p.Provider + " refuses password logins entirely; it needs sign-in with the provider (OAuth 2)."
	}
	return ""
}

// saveSent writes the sent copy (Bcc kept and marked) into dir.
func saveSent(dir string, m *compose.Message) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	copyMsg := *m
	copyMsg.Headers = append(append([]compose.Header{}, m.Headers...), compose.Header{Name: "X-Stamp-Note", Value: sentNote})
	name := time.Now().Format("2006-01-02 150405") + " " + safeFileName(m.Subject) + ".eml"
	path := filepath.Join(dir, name)
	if err := compose.SaveEML(path, &copyMsg, compose.WriteOptions{KeepBcc: true}); err != nil {
		return "", fmt.Errorf("save the sent copy: %w", err)
	}
	return path, nil
}

// safeFileName turns a subject into a file name that works on every OS.
func safeFileName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case strings.ContainsRune(`<>:"/\|?*`, r), unicode.IsControl(r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.Trim(strings.TrimSpace(b.String()), ".")
	if out == "" {
		out = "no subject"
	}
	if r := []rune(out); len(r) > 80 {
		out = string(r[:80])
	}
	return out
}
