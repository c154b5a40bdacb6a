package ui

import (
	"net/url"
	"runtime"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/internal/version"
)

// Website is Stamp's home page. It must equal the Website in FyneApp.toml
// (about_test.go checks).
const Website = "https://github.com/stamp-mail/stamp"

// About is the content of the About dialog: what Stamp is, which version
// and commit this binary was built from, and what it was built with.
type About struct {
	Version   *widget.Label // "Version 0.1.0 (commit 926f095)"
	BuiltWith *widget.Label // "Built with go1.26.8 · Fyne v2.7.1 for linux/amd64"
	Content   fyne.CanvasObject
}

// newAbout builds the About content. The version comes from
// stamp/internal/version, which the Makefile fills from FyneApp.toml and git.
func newAbout() *About {
	icon := canvas.NewImageFromResource(Icon)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSize(96, 96))

	name := widget.NewLabelWithStyle(Title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	name.SizeName = theme.SizeNameHeadingText
	about := &About{
		Version:   widget.NewLabelWithStyle(lang.X("about.version", "Version {{.Version}}", map[string]any{"Version": version.String()}), fyne.TextAlignCenter, fyne.TextStyle{}),
		BuiltWith: widget.NewLabelWithStyle(builtWith(), fyne.TextAlignCenter, fyne.TextStyle{}),
	}
	about.Version.Selectable = true // people paste it into bug reports
	about.BuiltWith.SizeName = theme.SizeNameCaptionText
	what := widget.NewLabelWithStyle(lang.X("about.what", "A mail composer that shows the SMTP conversation while it sends."),
		fyne.TextAlignCenter, fyne.TextStyle{Italic: true})

	objs := []fyne.CanvasObject{container.NewCenter(icon), name, about.Version, what}
	if u, err := url.Parse(Website); err == nil {
		objs = append(objs, container.NewCenter(widget.NewHyperlink(Website, u)))
	}
	about.Content = container.NewVBox(append(objs, about.BuiltWith)...)
	return about
}

// ShowAbout shows the About dialog over parent and returns what it shows.
func ShowAbout(parent fyne.Window) *About {
	a := newAbout()
	dialog.ShowCustom(lang.X("about.title", "About {{.App}}", map[string]any{"App": Title}), lang.X("about.close", "Close"), a.Content, parent)
	return a
}

// builtWith names the Go and Fyne versions and the platform of this binary.
func builtWith() string {
	s := runtime.Version()
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "fyne.io/fyne/v2" {
				s += " · Fyne " + m.Version
			}
		}
	}
	return lang.X("about.built_with", "Built with {{.With}} for {{.Platform}}", map[string]any{"With": s, "Platform": runtime.GOOS + "/" + runtime.GOARCH})
}
