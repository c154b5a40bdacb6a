// Command stamp is the Stamp desktop app: a mail composer that shows the SMTP
// conversation while it sends. Files named on the command line are attached
// to the new message ("Open with Stamp"); a mailto: link or --compose opens
// a new message (compose_args.go). Only one Stamp runs per user and data
// folder: a second start hands its message and files to the running one and
// exits.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"stamp/i18n"
	"stamp/instance"
	"stamp/internal/version"
)

func main() {
	useInputLocale()
	startLanguage()
	s, err := parseStartArgs(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		os.Exit(2)
	}
	if s.version {
		fmt.Println("Stamp", version.String())
		return
	}
	primary, err := becomePrimary(s)
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
	if err := run(s, primary); err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		primary.Close()
		os.Exit(1)
	}
}

// becomePrimary makes this process the one Stamp for its data folder, or
// hands its message, files and --accounts to the Stamp already running
// (then it says so and returns nil).
func becomePrimary(s startArgs) (*instance.Primary, error) {
	data, err := dataDir()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("cli.no_data_folder", "cannot find a folder for drafts"), err)
	}
	dir, err := instanceDir()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("cli.no_instance_folder", "cannot find a folder for the single-instance socket"), err)
	}
	args, err := s.handOver()
	if err != nil {
		return nil, err
	}
	p, err := instance.Start(context.Background(), data, dir, args)
	if err != nil {
		return nil, err
	}
	if p == nil {
		fmt.Println(s.handedOverNote())
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
