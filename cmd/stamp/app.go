package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"stamp/account"
	"stamp/contacts"
	"stamp/discover"
	"stamp/i18n"
	"stamp/instance"
	"stamp/smtpclient"
	"stamp/ui"
)

// run wires the parts — data folder, saved accounts and keyring, sandbox
// server, composer — and runs the window until it is closed.
func run(s startArgs, primary *instance.Primary) error {
	data, err := dataDir()
	if err != nil {
		return fmt.Errorf("%s: %w", i18n.T("cli.no_data_folder", "cannot find a folder for drafts"), err)
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return fmt.Errorf("%s: %w", i18n.T("cli.cannot_create_data", "cannot create {{.Folder}} for drafts", map[string]any{"Folder": data}), err)
	}
	// main chose the language (startLanguage) before anything was printed;
	// the windows and Fyne's own texts speak it too. A settings file that
	// could not be read is said once the window is up.
	_, choiceErr := i18n.LoadChoice(data)
	uiLang := ui.UseLanguage(i18n.Language())
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
	// The contacts live next to accounts.json, where stamp-send finds them
	// too; a damaged file is left alone and said so below.
	book, bookErr := contacts.Open(configDir)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sb, err := ui.StartSandbox(ctx, filepath.Join(data, "Sandbox"))
	if err != nil {
		return err
	}
	defer sb.Close()

	a := app.NewWithID(ui.AppID)
	// Chinese in one font and weight per line, Latin included, when the
	// system has a CJK font with a bold face (ui/cjktheme.go).
	ui.UseCJKFont(a, uiLang)
	sentDir := filepath.Join(data, "Sent")
	ob, err := openOutbox(a, data, store, secrets, oauthManager, sb) // outbox.go
	if err != nil {
		return err
	}
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
	discOpts, err := discoverOptions()
	if err != nil {
		return err
	}
	disc := discover.New(discOpts)
	// The Accounts window shares the session's one sign-in manager with the
	// composer, so that refreshes of one account never overlap.
	var accounts *ui.AccountsWindow
	showAccounts := ui.OneAtATime(a, func() fyne.Window {
		w := ui.NewAccountsWindowWith(a, store, secrets, ui.AccountsOptions{Discoverer: disc, OAuth: oauthManager})
		accounts = w
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
		OAuth: ui.NewOAuthAccounts(store, secrets, oauthManager),
		// "Sign in again" opens the Accounts window on that account.
		SignIn: func(s ui.Sender) {
			showAccounts()
			if accounts != nil {
				accounts.Edit(s.ID)
			}
		},
		Contacts: book,
		Outbox:   ob,
		Menu: []*fyne.MenuItem{
			fyne.NewMenuItem(lang.X("menu.accounts", "Accounts…"), showAccounts),
			fyne.NewMenuItem(lang.X("menu.contacts", "Contacts…"), ui.OneAtATime(a, func() fyne.Window { return ui.ShowContacts(a, book).Window })),
			fyne.NewMenuItem(lang.X("menu.sent", "Sent messages"), ui.OneAtATime(a, func() fyne.Window { return ui.ShowSentFolder(a, sentDir) })),
			fyne.NewMenuItem(lang.X("menu.sandbox_inbox", "Sandbox inbox"), ui.OneAtATime(a, func() fyne.Window { return sb.ShowInbox(a) })),
			fyne.NewMenuItem(lang.X("menu.language", "Language…"), func() {
				if c := composers.Front(); c != nil {
					ui.ShowLanguage(c.Window, data)
				}
			}),
			fyne.NewMenuItem(aboutLabel(), func() {
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
	c := composers.Start(s.filesAtStart())
	defer startFrameLog(c.Window)()
	if bookErr != nil {
		c.Notify(bookErr.Error())
	}
	if storeErr != nil {
		c.Notify(lang.X("app.accounts_unreadable", "Your saved accounts could not be read: {{.Error}} Open Message › Accounts… to start over; the damaged file is kept.", map[string]any{"Error": storeErr.Error()}))
	}
	if choiceErr != nil {
		c.Notify(lang.X("app.settings_unreadable", "Stamp's settings file could not be read ({{.Error}}); it follows the system's language until you choose one again.", map[string]any{"Error": choiceErr.Error()}))
	}
	// Every composer is watched for a missing CJK font, the later ones too.
	composers.WatchCJKFont(uiLang)
	if s.link != "" { // a link or --compose opens as a hand-over would: into the form, or asking
		ui.Receive(c, s.linkArgs())
	}
	if s.accounts {
		showAccounts()
	}
	serveHandOver(a, primary, composers, showAccounts) // uidesk hook: later starts hand their files to the front composer
	ob.Start()
	ui.Running() // from here on ui.UseLanguage panics: Fyne's language is not synchronised
	a.Run()
	// The loop has ended (the last composer's close said so already, unless
	// Fyne quit without closing it): from now on no widget or draft work
	// runs. Wait for goroutines only — each send counts itself down, in
	// every composer of the run, closed ones too.
	ui.Stopped()
	if !composers.Wait(time.Minute) { // a send ending, a Sent copy being written
		fmt.Fprintln(os.Stderr, "stamp:", lang.X("app.exit_waiting", "a send or its Sent copy did not finish within a minute of closing; exiting anyway"))
	}
	if !ob.Stop(time.Minute) { // the outbox's send under way; the rest waits for the next start
		fmt.Fprintln(os.Stderr, "stamp:", lang.X("app.exit_outbox", "an outbox send did not finish within a minute of closing; it is judged at the next start"))
	}
	return nil
}

// aboutLabel is the About item's label: "About" exactly on macOS, where
// Fyne moves the item with that English label into the app menu; translated
// elsewhere.
func aboutLabel() string {
	if runtime.GOOS == "darwin" {
		return "About"
	}
	return lang.X("menu.about", "About")
}
