package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// fileDialog is Fyne's file dialog in the UI language. Fyne 2.7 titles it
// lang.L("Open")+" "+lang.L("File") ("打开 文件": a space inside a Chinese
// word) and names its places (Home, Desktop, Documents, …) in English
// without going through lang (dialog/file.go loadFavorites). The title is
// set whole from Stamp's keys; the places are renamed in the list's
// UpdateItem once the dialog is built (Show). Everything else in the
// dialog is Fyne's lang (Stamp's zh-Hans.json corrects a few of Fyne's
// words: i18n/fynekeys_test.go).
type fileDialog struct {
	*dialog.FileDialog
	parent fyne.Window
}

// newFileOpen is dialog.NewFileOpen in the UI language.
func newFileOpen(callback func(fyne.URIReadCloser, error), parent fyne.Window) *fileDialog {
	d := &fileDialog{dialog.NewFileOpen(callback, parent), parent}
	d.SetTitleText(lang.X("file.title_open", "Open File"))
	return d
}

// newFileSave is dialog.NewFileSave in the UI language.
func newFileSave(callback func(fyne.URIWriteCloser, error), parent fyne.Window) *fileDialog {
	d := &fileDialog{dialog.NewFileSave(callback, parent), parent}
	d.SetTitleText(lang.X("file.title_save", "Save File"))
	return d
}

// Show shows the dialog and renames its places.
func (d *fileDialog) Show() {
	d.FileDialog.Show()
	if l := favoritesList(d.parent); l != nil {
		renamePlaces(l)
	}
}

// placeNames maps the English names Fyne gives its places to the UI
// language (GNOME Files' words in Chinese).
func placeNames() map[string]string {
	return map[string]string{
		"Home":      lang.X("file.place.home", "Home"),
		"App Files": lang.X("file.place.app_files", "App Files"),
		"Computer":  lang.X("file.place.computer", "Computer"),
		"Desktop":   lang.X("file.place.desktop", "Desktop"),
		"Documents": lang.X("file.place.documents", "Documents"),
		"Downloads": lang.X("file.place.downloads", "Downloads"),
		"Music":     lang.X("file.place.music", "Music"),
		"Pictures":  lang.X("file.place.pictures", "Pictures"),
		"Videos":    lang.X("file.place.videos", "Videos"),
		"Movies":    lang.X("file.place.movies", "Movies"),
	}
}

// renamePlaces wraps the places list's UpdateItem so each place's label is
// the translated name, and redraws the list.
func renamePlaces(l *widget.List) {
	names := placeNames()
	update := l.UpdateItem
	l.UpdateItem = func(id widget.ListItemID, item fyne.CanvasObject) {
		update(id, item)
		for _, lbl := range labelsIn(item) {
			if n, ok := names[lbl.Text]; ok {
				lbl.SetText(n)
			}
		}
	}
	l.Refresh()
}

// favoritesList finds the file dialog's list of places in the top overlay
// of parent: the widget.List whose first item reads "Home" (Fyne's first
// place, always there). Nil when the dialog is not there or Fyne built it
// differently (then the places stay in English; TestFileDialogSpeaksChinese
// fails on such a Fyne upgrade).
func favoritesList(parent fyne.Window) *widget.List {
	top := parent.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	var found *widget.List
	walkObjects(top, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.List)
		if !ok || l.Length == nil || l.CreateItem == nil || l.UpdateItem == nil || l.Length() == 0 {
			return found == nil
		}
		item := l.CreateItem()
		l.UpdateItem(0, item)
		for _, lbl := range labelsIn(item) {
			if lbl.Text == "Home" {
				found = l
			}
		}
		return found == nil
	})
	return found
}

// walkObjects visits o and what it holds through exported fields (pop-ups,
// containers, splits, scrolls) until visit returns false.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if o == nil || !visit(o) {
		return false
	}
	var kids []fyne.CanvasObject
	switch v := o.(type) {
	case *widget.PopUp:
		kids = []fyne.CanvasObject{v.Content}
	case *fyne.Container:
		kids = v.Objects
	case *container.Split:
		kids = []fyne.CanvasObject{v.Leading, v.Trailing}
	case *container.Scroll:
		kids = []fyne.CanvasObject{v.Content}
	}
	for _, k := range kids {
		if !walkObjects(k, visit) {
			return false
		}
	}
	return true
}

// labelsIn lists the labels in a list item.
func labelsIn(o fyne.CanvasObject) []*widget.Label {
	var out []*widget.Label
	walkObjects(o, func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l)
		}
		return true
	})
	return out
}
