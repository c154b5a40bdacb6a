package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/compose"
)

// attachment is one file in the composer's attachment list.
type attachment struct {
	Path    string
	Size    int64
	Problem string // why the file cannot be sent now; "" when it can
}

// checkFile says whether path can be attached: its size, or a problem in
// words a person understands.
func checkFile(path string) (size int64, problem string) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return 0, lang.X("attach.gone", "the file is gone (moved, renamed or deleted)")
	case err != nil:
		return 0, lang.X("attach.unreadable", "cannot be read: {{.Error}}", map[string]any{"Error": err.Error()})
	case fi.IsDir():
		return 0, lang.X("attach.folder", "is a folder, not a file")
	case !fi.Mode().IsRegular():
		return 0, lang.X("attach.not_regular", "is not a regular file (a device, pipe or socket)")
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fi.Size(), lang.X("attach.permission", "cannot be read: permission denied")
		}
		return fi.Size(), lang.X("attach.unreadable", "cannot be read: {{.Error}}", map[string]any{"Error": err.Error()})
	}
	f.Close()
	return fi.Size(), ""
}

// attachmentList is the list of files under the message body: a row per file
// with its type icon, name, size and a remove button, and a total.
type attachmentList struct {
	items     []attachment
	rows      *fyne.Container
	scroll    *container.Scroll // the rows; the total stays under it, never scrolled away
	total     *widget.Label
	view      fyne.CanvasObject
	onChanged func()
}

func newAttachmentList(onChanged func()) *attachmentList {
	l := &attachmentList{onChanged: onChanged}
	l.rows = container.NewVBox()
	l.total = widget.NewLabel("")
	l.total.Importance = widget.LowImportance
	l.scroll = container.NewVScroll(l.rows)
	l.view = container.NewVBox(l.scroll, l.total)
	l.refresh()
	return l
}

// Add attaches files. Folders and files that cannot be read are refused, and
// the returned error lists them; a path already attached is not added twice.
func (l *attachmentList) Add(paths ...string) error {
	var refused []string
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if l.index(p) >= 0 {
			continue
		}
		size, problem := checkFile(p)
		if problem != "" {
			refused = append(refused, fmt.Sprintf("%s %s", filepath.Base(p), problem))
			continue
		}
		l.items = append(l.items, attachment{Path: p, Size: size})
	}
	l.changed()
	if len(refused) > 0 {
		return errors.New(lang.X("attach.refused", "not attached: {{.Files}}", map[string]any{"Files": strings.Join(refused, "; ")}))
	}
	return nil
}

// Restore puts back attachments from a draft as they were, flagging files
// that have gone missing since instead of dropping them silently.
func (l *attachmentList) Restore(paths []string) {
	l.items = l.items[:0]
	for _, p := range paths {
		size, problem := checkFile(p)
		l.items = append(l.items, attachment{Path: p, Size: size, Problem: problem})
	}
	l.changed()
}

func (l *attachmentList) index(path string) int {
	for i, a := range l.items {
		if a.Path == path {
			return i
		}
	}
	return -1
}

// Remove drops the attachment at index i.
func (l *attachmentList) Remove(i int) {
	if i < 0 || i >= len(l.items) {
		return
	}
	l.items = append(l.items[:i], l.items[i+1:]...)
	l.changed()
}

// Clear removes every attachment.
func (l *attachmentList) Clear() {
	l.items = nil
	l.changed()
}

// Recheck looks at every file again, just before sending, and returns the
// problems found (each naming its file).
func (l *attachmentList) Recheck() []string {
	var problems []string
	for i := range l.items {
		a := &l.items[i]
		a.Size, a.Problem = checkFile(a.Path)
		if a.Problem != "" {
			problems = append(problems, fmt.Sprintf("%q %s", filepath.Base(a.Path), a.Problem))
		}
	}
	l.refresh()
	return problems
}

// Paths lists the attached files in order.
func (l *attachmentList) Paths() []string {
	out := make([]string, len(l.items))
	for i, a := range l.items {
		out[i] = a.Path
	}
	return out
}

// Problems lists the attachments that cannot be sent as they are now.
func (l *attachmentList) Problems() []string {
	var out []string
	for _, a := range l.items {
		if a.Problem != "" {
			out = append(out, fmt.Sprintf("%q %s", filepath.Base(a.Path), a.Problem))
		}
	}
	return out
}

// TotalSize is the sum of the files' sizes on disk.
func (l *attachmentList) TotalSize() int64 {
	var n int64
	for _, a := range l.items {
		n += a.Size
	}
	return n
}

// EncodedSize is what the attachments will weigh inside the message, as
// compose encodes them.
func (l *attachmentList) EncodedSize() int64 {
	var n int64
	for _, a := range l.items {
		n += compose.Base64Size(a.Size)
	}
	return n
}

func (l *attachmentList) changed() {
	l.refresh()
	if l.onChanged != nil {
		l.onChanged()
	}
}

func (l *attachmentList) refresh() {
	objs := make([]fyne.CanvasObject, len(l.items))
	for i, a := range l.items {
		objs[i] = l.row(i, a)
	}
	l.rows.Objects = objs
	l.rows.Refresh()
	// The list shows up to two rows and scrolls beyond; the total under it
	// is always whole (it used to share the scroll and be cut by the buttons).
	if len(objs) == 0 {
		l.scroll.Hide()
	} else {
		row := objs[0].MinSize().Height
		l.scroll.SetMinSize(fyne.NewSize(0, row*float32(min(len(objs), 2))))
		l.scroll.Show()
	}
	switch n := len(l.items); n {
	case 0:
		l.total.SetText(lang.X("attach.none", "No attachments. Use Attach… ({{.Shortcut}}) or drop files onto the window.", map[string]any{"Shortcut": attachShortcutText()}))
	default:
		data := map[string]any{"Count": n, "Size": humanSize(l.TotalSize()), "Encoded": humanSize(l.EncodedSize())}
		if n == 1 {
			l.total.SetText(lang.X("attach.total_one", "1 file, {{.Size}} (about {{.Encoded}} once encoded for mail)", data))
		} else {
			l.total.SetText(lang.X("attach.total", "{{.Count}} files, {{.Size}} (about {{.Encoded}} once encoded for mail)", data))
		}
	}
}

func (l *attachmentList) row(i int, a attachment) fyne.CanvasObject {
	name := widget.NewLabel(filepath.Base(a.Path))
	name.Truncation = fyne.TextTruncateEllipsis
	size := widget.NewLabel(humanSize(a.Size))
	icon := widget.NewIcon(fileIcon(a.Path))
	if a.Problem != "" {
		name.SetText(filepath.Base(a.Path) + " — " + a.Problem)
		name.Importance = widget.DangerImportance
		size.SetText("")
		icon.SetResource(theme.ErrorIcon())
	}
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { l.Remove(i) })
	remove.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, icon, container.NewHBox(size, remove), name)
}

// fileIcon picks a theme icon from the file's type.
func fileIcon(path string) fyne.Resource {
	t := mime.TypeByExtension(strings.ToLower(filepath.Ext(path)))
	switch {
	case strings.HasPrefix(t, "image/"):
		return theme.FileImageIcon()
	case strings.HasPrefix(t, "audio/"):
		return theme.FileAudioIcon()
	case strings.HasPrefix(t, "video/"):
		return theme.FileVideoIcon()
	case strings.HasPrefix(t, "text/"):
		return theme.FileTextIcon()
	case t != "":
		return theme.FileApplicationIcon()
	}
	return theme.FileIcon()
}

// droppedPaths keeps the local files among URIs dropped onto the window.
func droppedPaths(uris []fyne.URI) []string {
	var out []string
	for _, u := range uris {
		if u != nil && u.Scheme() == "file" {
			out = append(out, u.Path())
		}
	}
	return out
}

// attachShortcutText names the Attach shortcut the way the OS writes it.
func attachShortcutText() string {
	if runtime.GOOS == "darwin" {
		return "⇧⌘A"
	}
	return "Ctrl+Shift+A"
}
