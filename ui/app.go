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
