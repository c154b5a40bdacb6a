// Package ui is everything Stamp shows: the composer window, recipient fields,
// attachment list, accounts dialog and send panel. It is the only package
// besides cmd/stamp that imports Fyne, and it never imports
// fyne.io/fyne/v2/app: the caller creates the app, so tests can hand in
// fyne.io/fyne/v2/test's headless app instead.
package ui

import (
	"fyne.io/fyne/v2"

	"stamp/assets"
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
