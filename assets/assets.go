// Package assets holds Stamp's embedded resources: the app icon and anything
// else that must ship inside the binary. It does not import Fyne, so the pure
// packages and tools can use it too; ui wraps these bytes in Fyne resources.
package assets

import _ "embed"

// IconPNG is Stamp's app icon, 512×512 PNG, rendered from icon.svg
// (rsvg-convert -w 512 -h 512 assets/icon.svg -o assets/icon.png).
//
//go:embed icon.png
var IconPNG []byte

// IconSVG is the vector source of the app icon.
//
//go:embed icon.svg
var IconSVG []byte
