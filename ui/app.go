// Package ui is everything Stamp shows: the composer window, recipient fields,
// attachment list, accounts dialog and send panel. It is the only package
// besides cmd/stamp that imports Fyne, and it never imports
// fyne.io/fyne/v2/app: the caller creates the app, so tests can hand in
// fyne.io/fyne/v2/test's headless app instead.
package ui

import (
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"stamp/assets"
	"stamp/instance"
	"stamp/smtpclient"
)

// AppID is Stamp's application ID. It must equal the ID in FyneApp.toml: it
// names the preferences and storage folders however the binary was built.
const AppID = "app.stampmail.stamp"

// Title is the composer window's title; the window test looks for it.
const Title = "Stamp"

// Icon is Stamp's app icon as a Fyne resource.
var Icon = fyne.NewStaticResource("stamp.png", assets.IconPNG)

// OneAtATime returns a menu action that opens the window open makes, or,
// while the window it opened last is still open, brings that one to the
// front instead of opening a second: two Accounts windows would edit the
// same settings, and every window costs a GL context (about 30 MiB under
// software rendering, docs/performance.md).
func OneAtATime(a fyne.App, open func() fyne.Window) func() {
	var last fyne.Window
	return func() {
		if last != nil && isOpen(a, last) {
			last.Show()
			last.RequestFocus()
			return
		}
		last = open()
	}
}

// isOpen reports whether w is still one of a's windows (Fyne drops a
// closed window from the list).
func isOpen(a fyne.App, w fyne.Window) bool {
	for _, o := range a.Driver().AllWindows() {
		if o == w {
			return true
		}
	}
	return false
}

// Receive applies what a later start of Stamp handed over (instance
// package) to the running composer, on the UI goroutine: the window comes to
// the front, and files are attached to the message — at once when the
// composer holds no draft, else only after the person agrees in a dialog
// naming them (they may be writing something else). A mailto: link (a
// clicked link, stamp --compose) opens as a new message with the files
// attached to it (receive_compose.go).
func Receive(c *Composer, args []instance.Arg) {
	c.Window.Show()
	c.Window.RequestFocus()
	if receiveCompose(c, args) {
		return
	}
	var files, other []string
	for _, a := range args {
		switch a.Kind {
		case instance.File:
			files = append(files, a.Value)
		default:
			other = append(other, smtpclient.Printable(a.Value))
		}
	}
	if len(other) > 0 {
		c.Notify(lang.X("receive.cannot_open", "Stamp cannot open these yet: {{.Items}}", map[string]any{"Items": strings.Join(other, ", ")}))
	}
	if len(files) == 0 {
		return
	}
	if c.draft().Empty() {
		c.AttachFiles(files...)
		return
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = smtpclient.Printable(filepath.Base(f)) // a file name may hold controls
	}
	data := map[string]any{"Files": strings.Join(names, "\n"), "Count": len(files)}
	question := lang.X("receive.attach_one", "Stamp was asked to attach this file:\n\n{{.Files}}\n\nAdd this file to the message you are writing?", data)
	if len(files) > 1 {
		question = lang.X("receive.attach_many", "Stamp was asked to attach these files:\n\n{{.Files}}\n\nAdd these files to the message you are writing?", data)
	}
	d := dialog.NewConfirm(lang.X("receive.title", "Attach to this message?"), question,
		func(ok bool) {
			if ok {
				c.AttachFiles(files...)
			}
		}, c.Window)
	d.SetConfirmText(lang.X("receive.attach", "Attach"))
	d.SetDismissText(lang.X("receive.dont_attach", "Don't attach"))
	c.showDialog(d)
}
