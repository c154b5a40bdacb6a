package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/width"

	"stamp/smtpclient"
)

// transcriptView shows the live transcript as a dense monospaced grid: one
// row per line, coloured by direction (what Stamp sent, what the server
// answered, Stamp's own notes). A press selects a line, a drag or a
// Shift+press extends the selection, and "Copy selected lines" copies it.
// It follows the end as lines arrive, unless the person scrolled up.
//
// Why a TextGrid: Fyne 2.7.1's widget.List (what the panel had) pads every
// row (about 37 px a line, so a sandbox session did not fit); RichText has
// colours but no selection; a multi-line Entry selects and copies but has no
// per-line colour and would invite typing. TextGrid is monospaced, has no
// row padding, styles per row and draws only the rows in view (a send to
// thousands of recipients has a long transcript); selection by line is
// added here.
type transcriptView struct {
	widget.BaseWidget
	grid  *widget.TextGrid // scrolls itself, and so draws only the rows in view
	lines []transcriptLine // as rendered into grid.Rows
	// sel is the selected range of rows (from may be after to); none when
	// from < 0.
	selFrom, selTo int
	// onSelect runs when the selection changed.
	onSelect func()
}

func newTranscriptView() *transcriptView {
	v := &transcriptView{grid: widget.NewTextGrid(), selFrom: -1, selTo: -1}
	v.grid.Scroll = fyne.ScrollBoth // NewTextGrid does not scroll by default
	v.ExtendBaseWidget(v)
	return v
}

func (v *transcriptView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewThemeOverride(v.grid, denseTheme{}))
}

// set shows lines: rows already shown stay, new ones are appended, and the
// view follows the end when it was at the end.
func (v *transcriptView) set(lines []transcriptLine) {
	follow := v.atEnd()
	if len(lines) < len(v.lines) {
		v.grid.Rows = nil
		v.lines = nil
		v.selFrom, v.selTo = -1, -1
	}
	for _, l := range lines[len(v.lines):] {
		v.grid.Rows = append(v.grid.Rows, gridRow(l))
	}
	v.lines = lines
	v.grid.Refresh() // the grid's scroll learns the new height first
	if follow && len(lines) > 0 {
		v.ensureRenderer()
		// The grid's own scroll measures its content by the size its last
		// layout gave it, so ScrollToBottom alone stops at the old end; a
		// layout (forced by a size change and back) gives it the new one.
		if sz := v.grid.Size(); sz.Height > 0 {
			v.grid.Resize(sz.AddWidthHeight(0, 1))
			v.grid.Resize(sz)
		}
		v.grid.ScrollToBottom()
	}
}

// atEnd reports whether the last line is in view (or there is nothing to
// scroll yet).
func (v *transcriptView) atEnd() bool {
	h := v.grid.Size().Height
	if len(v.lines) == 0 || h <= 0 {
		return true
	}
	return v.lastVisibleRow() >= len(v.lines)-1
}

// firstVisibleRow and lastVisibleRow are the rows at the top and bottom
// edges of the view.
func (v *transcriptView) firstVisibleRow() int {
	v.ensureRenderer()
	row, _ := v.grid.CursorLocationForPosition(fyne.NewPos(0, 0))
	return row
}

func (v *transcriptView) lastVisibleRow() int {
	v.ensureRenderer()
	row, _ := v.grid.CursorLocationForPosition(fyne.NewPos(0, v.grid.Size().Height-1))
	return row
}

// ensureRenderer makes the grid build its renderer (its scroll and cell
// size), which its scroll and position methods use without checking; asking
// its MinSize does that, and costs nothing once built.
func (v *transcriptView) ensureRenderer() { v.grid.MinSize() }

// gridRow is one transcript line as a row: FormatLine's text, coloured by
// direction. A wide character (Chinese, Japanese, Korean, full-width
// forms) takes two cells, as in a terminal: TextGrid gives every rune one
// narrow cell, so each wide glyph overlapped the next ("以 stamp 的身份登录"
// drawn over itself); the blank cell after it leaves it room. Copy takes
// the lines, not the cells, so the blanks are never copied.
func gridRow(l transcriptLine) widget.TextGridRow {
	text := l.String()
	cells := make([]widget.TextGridCell, 0, len(text))
	for _, r := range text {
		cells = append(cells, widget.TextGridCell{Rune: r})
		if isWide(r) {
			cells = append(cells, widget.TextGridCell{Rune: ' '})
		}
	}
	return widget.TextGridRow{Cells: cells, Style: directionStyle(l.dir, false)}
}

// isWide reports whether r is drawn two columns wide in a monospaced line
// (East Asian Wide or Fullwidth, UAX #11).
func isWide(r rune) bool {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return true
	}
	return false
}

// directionStyle colours a line: what Stamp sent in the primary colour,
// the server's answers in the normal text colour, notes dimmed.
func directionStyle(dir smtpclient.Direction, selected bool) widget.TextGridStyle {
	th := fyne.CurrentApp().Settings().Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	s := &widget.CustomTextGridStyle{TextStyle: fyne.TextStyle{Monospace: true}}
	switch dir {
	case smtpclient.Client:
		s.FGColor = th.Color(theme.ColorNamePrimary, variant)
	case smtpclient.Server:
		s.FGColor = th.Color(theme.ColorNameForeground, variant)
	default:
		s.FGColor = th.Color(theme.ColorNamePlaceHolder, variant)
	}
	if selected {
		s.BGColor = th.Color(theme.ColorNameSelection, variant)
	} else {
		s.BGColor = color.Transparent
	}
	return s
}

// rowAt is the line under a position in the view, or -1.
func (v *transcriptView) rowAt(p fyne.Position) int {
	v.ensureRenderer()
	row, _ := v.grid.CursorLocationForPosition(p) // counts the grid's scroll
	if row < 0 || row >= len(v.lines) {
		return -1
	}
	return row
}

// MouseDown selects the line pressed, or extends the selection to it with
// Shift.
func (v *transcriptView) MouseDown(ev *desktop.MouseEvent) {
	row := v.rowAt(ev.Position)
	if row < 0 {
		return
	}
	if ev.Modifier&fyne.KeyModifierShift != 0 && v.selFrom >= 0 {
		v.selectRows(v.selFrom, row)
		return
	}
	v.selectRows(row, row)
}

// MouseUp is part of desktop.Mouseable.
func (v *transcriptView) MouseUp(*desktop.MouseEvent) {}

// Dragged extends the selection to the line under the pointer.
func (v *transcriptView) Dragged(ev *fyne.DragEvent) {
	if row := v.rowAt(ev.Position); row >= 0 && v.selFrom >= 0 {
		v.selectRows(v.selFrom, row)
	}
}

// DragEnd is part of fyne.Draggable.
func (v *transcriptView) DragEnd() {}

// selectRows selects the lines from..to (either order) and shows it.
func (v *transcriptView) selectRows(from, to int) {
	lo, hi := v.selRange()
	for i := lo; i >= 0 && i <= hi && i < len(v.lines); i++ {
		v.grid.SetRowStyle(i, directionStyle(v.lines[i].dir, false))
	}
	v.selFrom, v.selTo = from, to
	lo, hi = v.selRange()
	for i := lo; i <= hi; i++ {
		v.grid.SetRowStyle(i, directionStyle(v.lines[i].dir, true))
	}
	v.grid.Refresh() // SetRowStyle does not redraw
	if v.onSelect != nil {
		v.onSelect()
	}
}

// selRange is the selection in order; lo is -1 when nothing is selected.
func (v *transcriptView) selRange() (lo, hi int) {
	if v.selFrom < 0 {
		return -1, -1
	}
	return min(v.selFrom, v.selTo), max(v.selFrom, v.selTo)
}

// selectedText is the selected lines as they are shown, one per line.
func (v *transcriptView) selectedText() string {
	lo, hi := v.selRange()
	if lo < 0 {
		return ""
	}
	var b strings.Builder
	for _, l := range v.lines[lo : hi+1] {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// copyLabel names what Copy copies: the selected lines, or everything.
func (p *sendPanel) copyLabel() {
	if lo, _ := p.Transcript.selRange(); lo >= 0 {
		p.CopyButton.SetText(lang.X("sendpanel.copy_selected", "Copy selected lines"))
	} else {
		p.CopyButton.SetText(lang.X("sendpanel.copy_transcript", "Copy transcript"))
	}
}

// denseTheme makes the transcript's text a little smaller than the body
// text, so a whole short session fits.
type denseTheme struct{}

func (denseTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(n, v)
}
func (denseTheme) Font(s fyne.TextStyle) fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Font(s)
}
func (denseTheme) Icon(n fyne.ThemeIconName) fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Icon(n)
}
func (denseTheme) Size(n fyne.ThemeSizeName) float32 {
	s := fyne.CurrentApp().Settings().Theme().Size(n)
	if n == theme.SizeNameText {
		return s - 2
	}
	return s
}
