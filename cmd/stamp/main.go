// Command stamp is the Stamp desktop app: a mail composer that shows the SMTP
// conversation while it sends.
package main

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2/app"

	"stamp/compose"
	"stamp/ui"
)

func main() {
	if msg := displayProblem(); msg != "" {
		fmt.Fprintln(os.Stderr, "stamp:", msg)
		os.Exit(1)
	}
	data, err := dataDir()
	if err != nil {
		fmt.Fprintln(os.Stderr, "stamp: cannot find a folder for drafts:", err)
		os.Exit(1)
	}
	a := app.NewWithID(ui.AppID)
	c := ui.NewComposer(a, ui.Options{
		DataDir: data,
		Senders: func() []ui.Sender {
			return []ui.Sender{{ID: ui.SandboxID, Label: "Sandbox (local test server)",
				From: compose.Address{Name: "Stamp user", Addr: "me@stamp.test"}}}
		},
		Attach: os.Args[1:],
	})
	c.Window.Show()
	c.FocusFirst()
	a.Run()
}
