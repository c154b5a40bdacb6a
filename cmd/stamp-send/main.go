// Command stamp-send is Stamp's engine from a terminal: it composes and sends
// a message with the same packages as the desktop app. Its contract is in
// DESIGN.md.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "stamp-send: not implemented yet")
	os.Exit(2)
}
