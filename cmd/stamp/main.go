// Command stamp is the Stamp desktop app: a mail composer that shows the SMTP
// conversation while it sends. Files named on the command line are attached
// to the new message ("Open with Stamp"). Only one Stamp runs per user and
// data folder: a second start hands its files to the running one and exits.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"stamp/i18n"
	"stamp/instance"
	"stamp/internal/version"
)

func main() {
	startLanguage()
	accounts := flag.Bool("accounts", false, i18n.T("cli.flag.accounts", "open the account settings at start"))
	showVersion := flag.Bool("version", false, i18n.T("cli.flag.version", "print the version and the git commit, then exit"))
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, i18n.T("cli.usage", "usage: stamp [--accounts] [FILE ...]\n       stamp --version\n\nOpens the Stamp composer; FILEs are attached to the new message.\nWhen Stamp is already running, it is asked to attach the FILEs\n(and, with --accounts, to open its account settings)."))
		flag.PrintDefaults()
	}
	flag.Parse()
	if *showVersion {
		fmt.Println("Stamp", version.String())
		return
	}
	primary, err := becomePrimary(flag.Args(), *accounts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		os.Exit(1)
	}
	if primary == nil {
		return
	}
	defer primary.Close()
	if msg := displayProblem(); msg != "" {
		fmt.Fprintln(os.Stderr, "stamp:", msg)
		primary.Close() // os.Exit skips the deferred Close: no socket left behind
		os.Exit(1)
	}
	if err := run(flag.Args(), *accounts, primary); err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		primary.Close()
		os.Exit(1)
	}
}

// becomePrimary makes this process the one Stamp for its data folder, or
// hands files (and --accounts) to the Stamp already running (then it says
// so and returns nil).
func becomePrimary(files []string, accounts bool) (*instance.Primary, error) {
	data, err := dataDir()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("cli.no_data_folder", "cannot find a folder for drafts"), err)
	}
	dir, err := instanceDir()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("cli.no_instance_folder", "cannot find a folder for the single-instance socket"), err)
	}
	args, err := instance.FileArgs(files)
	if err != nil {
		return nil, err
	}
	if accounts {
		args = append(args, instance.Arg{Kind: instance.Accounts})
	}
	p, err := instance.Start(context.Background(), data, dir, args)
	if err != nil {
		return nil, err
	}
	if p == nil {
		fmt.Println(handedOverNote(len(files), accounts))
	}
	return p, nil
}

// handedOverNote tells what the running Stamp was asked to do. It says
// "asked": the person there may answer "Don't attach".
func handedOverNote(files int, accounts bool) string {
	n := map[string]any{"Count": files}
	var note string
	switch {
	case files == 0 && !accounts:
		note = i18n.T("cli.handed.front", "Stamp is already running; its window was brought to the front.")
	case files == 0:
		note = i18n.T("cli.handed.accounts", "Stamp is already running; it was asked to open its account settings.")
	case files == 1 && !accounts:
		note = i18n.T("cli.handed.file", "Stamp is already running; it was asked to attach the file.")
	case files == 1:
		note = i18n.T("cli.handed.file_accounts", "Stamp is already running; it was asked to attach the file and to open its account settings.")
	case !accounts:
		note = i18n.T("cli.handed.files", "Stamp is already running; it was asked to attach the {{.Count}} files.", n)
	default:
		note = i18n.T("cli.handed.files_accounts", "Stamp is already running; it was asked to attach the {{.Count}} files and to open its account settings.", n)
	}
	return "stamp: " + note
}

// startLanguage sets the language of what Stamp prints in the terminal
// (i18n): the person's choice saved in the data folder, else the system's
// (i18n.Detect). run hands it to the window (ui.UseLanguage).
func startLanguage() {
	var choice i18n.Choice
	if data, err := dataDir(); err == nil {
		choice, _ = i18n.LoadChoice(data) // a broken file is reported once the window is up
	}
	i18n.SetLanguage(choice.Resolve())
}
