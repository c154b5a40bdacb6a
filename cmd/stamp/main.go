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
	"strings"

	"stamp/instance"
	"stamp/internal/version"
)

func main() {
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
		return nil, fmt.Errorf("cannot find a folder for drafts: %w", err)
	}
	dir, err := instanceDir()
	if err != nil {
		return nil, fmt.Errorf("cannot find a folder for the single-instance socket: %w", err)
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
	var what []string
	switch files {
	case 0:
	case 1:
		what = append(what, "to attach the file")
	default:
		what = append(what, fmt.Sprintf("to attach the %d files", files))
	}
	if accounts {
		what = append(what, "to open its account settings")
	}
	if len(what) == 0 {
		return "stamp: Stamp is already running; its window was brought to the front."
	}
	return "stamp: Stamp is already running; it was asked " + strings.Join(what, " and ") + "."
}
