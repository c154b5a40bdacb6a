// Command stamp is the Stamp desktop app: a mail composer that shows the SMTP
// conversation while it sends.
package main

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2/app"

	"stamp/ui"
)

func main() {
	if msg := displayProblem(); msg != "" {
		fmt.Fprintln(os.Stderr, "stamp:", msg)
		os.Exit(1)
	}
	a := app.NewWithID(ui.AppID)
	ui.NewComposer(a).Window.ShowAndRun()
}
