package ui

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"stamp/compose"
	"stamp/internal/atomicfile"
	"stamp/internal/boundedfile"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// saveSandboxMessage keeps a message the sandbox received as name.eml with
// its SMTP envelope beside it as name.json, so the inbox survives a restart
// and shows the Bcc recipients that the headers do not. A message the
// sandbox spooled to disk (m.Path) is moved into place; else m.Data is
// written.
func saveSandboxMessage(dir string, m sandbox.Message) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("%s: %w", lang.X("inbox.save_failed", "save the sandbox message"), err)
	}
	base := filepath.Join(dir, m.Received.UTC().Format("20060102T150405.000000000Z"))
	env, err := json.MarshalIndent(envelopeRecord{From: m.From, To: m.To, User: m.User, TLS: m.TLS,
		Size: m.Size, Received: m.Received}, "", "  ")
	if err != nil {
		return err
	}
	if m.Path != "" {
		// The envelope's atomic write below syncs the folder, this rename too.
		if err := os.Rename(m.Path, base+".eml"); err != nil {
			os.Remove(m.Path)
			return fmt.Errorf("%s: %w", lang.X("inbox.save_failed", "save the sandbox message"), err)
		}
	} else if err := atomicfile.WriteBytes(base+".eml", 0o600, m.Data); err != nil {
		return fmt.Errorf("%s: %w", lang.X("inbox.save_failed", "save the sandbox message"), err)
	}
	if err := atomicfile.WriteBytes(base+".json", 0o600, env); err != nil {
		return fmt.Errorf("%s: %w", lang.X("inbox.save_failed", "save the sandbox message"), err)
	}
	return nil
}

func readEnvelope(path string) *envelopeRecord {
	data, err := boundedfile.Read(path, boundedfile.DefaultLimit) // never a FIFO or /dev/zero
	if err != nil {
		return nil
	}
	var e envelopeRecord
	if json.Unmarshal(data, &e) != nil {
		return nil
	}
	return &e
}

// Sandbox is the built-in test server on 127.0.0.1 together with its inbox
// on disk. Stamp starts it when no account is set up, so a first-time user can
// send at once and see exactly what a server receives.
type Sandbox struct {
	Server *sandbox.Server
	Dir    string // the inbox folder: name.eml + name.json per message

	username, password string

	saved watchers // run after each received message is saved
	stop  func()
}

// StartSandbox starts the sandbox server with STARTTLS and AUTH (a random
// password for this run, held in memory only), so the conversation shows
// every step a real server has, and keeps what it receives in dir. The
// server streams each message into dir as it arrives and keeps no message
// bytes in memory (a 143 MB test send would otherwise stay in RAM for the
// session).
func StartSandbox(ctx context.Context, dir string) (*Sandbox, error) {
	secret := make([]byte, 18)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	// Parts of messages that were arriving when Stamp last stopped (only one
	// Stamp runs per data folder, so none is arriving now).
	if parts, err := filepath.Glob(filepath.Join(dir, ".incoming-*.eml.part")); err == nil {
		for _, p := range parts {
			os.Remove(p)
		}
	}
	sb := &Sandbox{Dir: dir, username: "stamp", password: base64.RawURLEncoding.EncodeToString(secret)}
	srv, err := sandbox.Start(ctx, sandbox.Options{
		Security: sandbox.STARTTLS,
		Domain:   "sandbox.stamp.test",
		Username: sb.username,
		Password: sb.password,
		MaxSize:  200_000_000,
		SpoolDir: dir,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.X("inbox.start_failed", "start the sandbox server"), err)
	}
	sb.Server = srv
	sb.stop = srv.OnMessage(func(m sandbox.Message) {
		if err := saveSandboxMessage(dir, m); err != nil {
			fmt.Fprintln(os.Stderr, "stamp:", err)
		}
		sb.saved.notify()
	})
	return sb, nil
}

// Close stops the server.
func (sb *Sandbox) Close() error {
	sb.stop()
	return sb.Server.Close()
}

// Sender is the sandbox's entry in the From picker.
func (sb *Sandbox) Sender() Sender {
	return Sender{ID: SandboxID, Label: lang.X("sandbox.label", "Sandbox (local test server)"),
		From: compose.Address{Name: "Stamp Sandbox", Addr: "me@sandbox.stamp.test"}, SizeLimit: 200_000_000, KeepSent: true}
}

// Config is how the engine reaches the sandbox: STARTTLS with the sandbox's
// own CA (verification stays on) and its login.
func (sb *Sandbox) Config() smtpclient.Config {
	return smtpclient.Config{Host: sb.Server.Host(), Port: sb.Server.Port(), Security: smtpclient.SecuritySTARTTLS,
		Username: sb.username, Password: sb.password, CAPEM: sb.Server.CAPEM(), HeloName: "localhost"}
}

// ShowInbox opens the window that lists what the sandbox received, with each
// message's envelope and raw source; it refreshes when a message arrives.
func (sb *Sandbox) ShowInbox(a fyne.App) fyne.Window {
	m := newMailboxWindow(a, lang.X("sandbox.inbox_title", "Sandbox inbox — Stamp"),
		lang.X("sandbox.inbox_empty", "Nothing received yet. Send a message from the Sandbox account: it arrives here, with the envelope the server saw (including Bcc recipients, which are not in the headers)."),
		sb.Dir)
	m.Window.SetOnClosed(sb.saved.add(func() { runOnUI(m.Reload) }))
	m.Window.Show()
	return m.Window
}

// ShowSentFolder opens the list of sent messages (the copies saved after
// each successful send, Bcc kept and marked); it refreshes when a copy is
// saved.
func ShowSentFolder(a fyne.App, dir string) fyne.Window {
	m := newMailboxWindow(a, lang.X("sent.title", "Sent — Stamp"), lang.X("sent.empty", "Nothing sent yet. Each message you send is kept here as an .eml file."),
		dir)
	m.Window.SetOnClosed(sentSaved.add(func() { runOnUI(m.Reload) }))
	m.Window.Show()
	return m.Window
}
