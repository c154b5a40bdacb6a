package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"stamp/smtpclient"
	"stamp/ui"
)

// run wires the parts — data folder, sandbox server, composer — and runs the
// window until it is closed.
func run(args []string) error {
	data, err := dataDir()
	if err != nil {
		return fmt.Errorf("cannot find a folder for drafts: %w", err)
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return fmt.Errorf("cannot create %s for drafts: %w", data, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sb, err := ui.StartSandbox(ctx, filepath.Join(data, "Sandbox"))
	if err != nil {
		return err
	}
	defer sb.Close()

	a := app.NewWithID(ui.AppID)
	sentDir := filepath.Join(data, "Sent")
	config := func(s ui.Sender) (smtpclient.Config, error) {
		if s.ID == ui.SandboxID {
			return sb.Config(), nil
		}
		return smtpclient.Config{}, fmt.Errorf("the account %q is not set up", s.Label)
	}
	c := ui.NewComposer(a, ui.Options{
		DataDir: data,
		Senders: func() []ui.Sender { return []ui.Sender{sb.Sender()} },
		Send:    ui.PanelSend(config, sentDir),
		Attach:  args,
		Menu: []*fyne.MenuItem{
			fyne.NewMenuItem("Sent messages", func() { ui.ShowSentFolder(a, sentDir) }),
			fyne.NewMenuItem("Sandbox inbox", func() { sb.ShowInbox(a) }),
		},
	})
	c.Window.SetMaster()
	c.Window.Show()
	c.FocusFirst()
	a.Run()
	return nil
}
