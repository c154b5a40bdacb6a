// Command stamp is the Stamp desktop app: a mail composer that shows the SMTP
// conversation while it sends. Files named on the command line are attached
// to the new message ("Open with Stamp").
package main

import (
	"flag"
	"fmt"
	"os"

	"stamp/internal/version"
)

func main() {
	accounts := flag.Bool("accounts", false, "open the account settings at start")
	showVersion := flag.Bool("version", false, "print the version and the git commit, then exit")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: stamp [--accounts] [FILE ...]\n       stamp --version\n\nOpens the Stamp composer; FILEs are attached to the new message.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *showVersion {
		fmt.Println("Stamp", version.String())
		return
	}
	if msg := displayProblem(); msg != "" {
		fmt.Fprintln(os.Stderr, "stamp:", msg)
		os.Exit(1)
	}
	if err := run(flag.Args(), *accounts); err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		os.Exit(1)
	}
}
