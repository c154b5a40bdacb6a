// Command stamp is the Stamp desktop app: a mail composer that shows the SMTP
// conversation while it sends. Files named on the command line are attached
// to the new message ("Open with Stamp").
package main

import (
	"fmt"
	"os"
)

func main() {
	if msg := displayProblem(); msg != "" {
		fmt.Fprintln(os.Stderr, "stamp:", msg)
		os.Exit(1)
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		os.Exit(1)
	}
}
