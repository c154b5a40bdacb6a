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

	"stamp/instance"
	"stamp/internal/version"
)

func main() {
	accounts := flag.Bool("accounts", false, "open the account settings at start")
	showVersion := flag.Bool("version", false, "print the version and the git commit, then exit")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: stamp [--accounts] [FILE ...]\n       stamp --version\n\nOpens the Stamp composer; FILEs are attached to the new message.\nWhen Stamp is already running, the FILEs go to its window.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *showVersion {
		fmt.Println("Stamp", version.String())
		return
	}
	primary, err := becomePrimary(flag.Args())
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
		os.Exit(1)
	}
	if err := run(flag.Args(), *accounts, primary); err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		primary.Close()
		os.Exit(1)
	}
}

// becomePrimary makes this process the one Stamp for its data folder, or
// hands files to the Stamp already running (then it says so and returns nil).
func becomePrimary(files []string) (*instance.Primary, error) {
	data, err := dataDir()
	if err != nil {
		return nil, fmt.Errorf("cannot find a folder for drafts: %w", err)
	}
	dir, err := instanceDir()
	if err != nil {
		return nil, fmt.Errorf("cannot find a folder for the single-instance lock: %w", err)
	}
	args, err := instance.FileArgs(files)
	if err != nil {
		return nil, err
	}
	p, err := instance.Start(context.Background(), dir, instanceName(data), args)
	if err != nil {
		return nil, err
	}
	if p == nil {
		switch n := len(files); n {
		case 0:
			fmt.Println("stamp: Stamp is already running; its window was brought to the front.")
		case 1:
			fmt.Println("stamp: Stamp is already running; the file went to its window.")
		default:
			fmt.Printf("stamp: Stamp is already running; the %d files went to its window.\n", n)
		}
	}
	return p, nil
}
