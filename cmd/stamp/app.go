package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"stamp/account"
	"stamp/discover"
	"stamp/instance"
	"stamp/smtpclient"
	"stamp/ui"
)

// run wires the parts — data folder, saved accounts and keyring, sandbox
// server, composer — and runs the window until it is closed.
func run(s startArgs, primary *instance.Primary) error {
	data, err := dataDir()
	if err != nil {
		return fmt.Errorf("cannot find a folder for drafts: %w", err)
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return fmt.Errorf("cannot create %s for drafts: %w", data, err)
	}
	configDir, err := account.DefaultDir()
	if err != nil {
		return err
	}
	store, err := account.Open(configDir)
	if err != nil {
		return err
	}
	secrets := account.NewSecrets()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sb, err := ui.StartSandbox(ctx, filepath.Join(data, "Sandbox"))
	if err != nil {
		return err
	}
	defer sb.Close()

	a := app.NewWithID(ui.AppID)
	sentDir := filepath.Join(data, "Sent")
	var c *ui.Composer
	var storeErr error
	senders := func() []ui.Sender {
		list, err := ui.AccountSenders(store)
		storeErr = err
		return append(list, sb.Sender())
	}
	accountConfig := ui.AccountConfig(store, secrets)
	config := func(ctx context.Context, s ui.Sender, parent fyne.Window) (smtpclient.Config, func(bool), error) {
		if s.ID == ui.SandboxID {
			return sb.Config(), nil, nil
		}
		return accountConfig(ctx, s, parent)
	}
	// One Discoverer for the session: it remembers what it found per domain.
	disc := discover.New(discover.Options{})
	showAccounts := ui.OneAtATime(a, func() fyne.Window {
		w := ui.NewAccountsWindowWith(a, store, secrets, ui.AccountsOptions{Discoverer: disc})
		w.OnChanged = c.ReloadSenders
		w.Window.Show()
		return w.Window
	})
	c = ui.NewComposer(a, ui.Options{
		DataDir: data,
		Senders: senders,
		Send:    ui.PanelSend(config, sentDir),
		Attach:  s.filesAtStart(),
		// After a refused login: ask, save, retry; after a settings problem:
		// the accounts window.
		NewPassword: ui.AccountNewPassword(store, secrets),
		OpenAccount: func(ui.Sender) { showAccounts() },
		Menu: []*fyne.MenuItem{
			fyne.NewMenuItem("Accounts…", showAccounts),
			fyne.NewMenuItem("Sent messages", ui.OneAtATime(a, func() fyne.Window { return ui.ShowSentFolder(a, sentDir) })),
			fyne.NewMenuItem("Sandbox inbox", ui.OneAtATime(a, func() fyne.Window { return sb.ShowInbox(a) })),
			// "About" exactly: on macOS Fyne moves it into the app menu.
			fyne.NewMenuItem("About", func() { ui.ShowAbout(c.Window) }),
		},
	})
	startHeapProfile()
	defer startFrameLog(c.Window)()
	if storeErr != nil {
		c.Notify("Your saved accounts could not be read: " + storeErr.Error() + " Open Message › Accounts… to start over; the damaged file is kept.")
	}
	showMaster(c)
	c.FocusFirst()
	if s.link != "" { // a link or --compose opens as a hand-over would: into the form, or asking
		ui.Receive(c, s.linkArgs())
	}
	if s.accounts {
		showAccounts()
	}
	serveHandOver(a, primary, c, showAccounts) // uidesk hook: later starts hand their files to c
	a.Run()
	// The loop has ended (the master window's close said so already, unless
	// Fyne quit without closing it): from now on no widget or draft work
	// runs. Wait for goroutines only — each send counts itself down.
	ui.Stopped()
	if !c.Wait(time.Minute) { // a send ending, a Sent copy being written
		fmt.Fprintln(os.Stderr, "stamp: a send or its Sent copy did not finish within a minute of closing; exiting anyway")
	}
	return nil
}

// showMaster shows the composer as the master window: the app's loop ends
// once it has closed. Its close tells the ui package so, on the UI
// goroutine, before the loop ends: from the moment the loop stops, Fyne
// drops queued UI work or runs late fyne.Do calls on the caller's
// goroutine, so no send may hand its SendFinished over after this.
func showMaster(c *ui.Composer) {
	c.Window.SetMaster()
	c.Window.SetOnClosed(ui.Stopped)
	c.Window.Show()
}
