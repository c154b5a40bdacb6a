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
func run(args []string, openAccounts bool, primary *instance.Primary) error {
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
	oauthManager := newOAuthManager(secrets)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sb, err := ui.StartSandbox(ctx, filepath.Join(data, "Sandbox"))
	if err != nil {
		return err
	}
	defer sb.Close()

	a := app.NewWithID(ui.AppID)
	sentDir := filepath.Join(data, "Sent")
	var composers *ui.Composers
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
		w.OnChanged = composers.ReloadSenders
		w.Window.Show()
		return w.Window
	})
	composers = ui.NewComposers(a, ui.Options{
		DataDir: data,
		Senders: senders,
		Send:    ui.PanelSend(config, sentDir),
		// After a refused login: ask, save, retry; after a settings problem:
		// the accounts window.
		NewPassword: ui.AccountNewPassword(store, secrets),
		OpenAccount: func(ui.Sender) { showAccounts() },
		// OAuth 2 accounts send through their sign-in; "Sign in again"
		// opens the Accounts window.
		OAuth:  ui.NewOAuthAccounts(store, secrets, oauthManager),
		SignIn: func(ui.Sender) { showAccounts() },
		Menu: []*fyne.MenuItem{
			fyne.NewMenuItem("Accounts…", showAccounts),
			fyne.NewMenuItem("Sent messages", ui.OneAtATime(a, func() fyne.Window { return ui.ShowSentFolder(a, sentDir) })),
			fyne.NewMenuItem("Sandbox inbox", ui.OneAtATime(a, func() fyne.Window { return sb.ShowInbox(a) })),
			// "About" exactly: on macOS Fyne moves it into the app menu.
			fyne.NewMenuItem("About", func() {
				if c := composers.Front(); c != nil {
					ui.ShowAbout(c.Window)
				}
			}),
		},
	})
	startHeapProfile()
	// Every saved draft comes back in a window of its own (one empty
	// composer when there is none); the app's loop ends when the last
	// composer closes (ui.Composers).
	c := composers.Start(args)
	defer startFrameLog(c.Window)()
	if storeErr != nil {
		c.Notify("Your saved accounts could not be read: " + storeErr.Error() + " Open Message › Accounts… to start over; the damaged file is kept.")
	}
	if openAccounts {
		showAccounts()
	}
	serveHandOver(a, primary, composers, showAccounts) // uidesk hook: later starts hand their files to the front composer
	a.Run()
	// The loop has ended (the last composer's close said so already, unless
	// Fyne quit without closing it): from now on no widget or draft work
	// runs. Wait for goroutines only — each send counts itself down, in
	// every composer of the run, closed ones too.
	ui.Stopped()
	if !composers.Wait(time.Minute) { // a send ending, a Sent copy being written
		fmt.Fprintln(os.Stderr, "stamp: a send or its Sent copy did not finish within a minute of closing; exiting anyway")
	}
	return nil
}
