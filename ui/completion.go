package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/contacts"
)

// Completion settings: suggestions start after minQueryRunes typed
// characters of the address under the cursor, and at most maxSuggestions
// are shown.
const (
	minQueryRunes  = 2
	maxSuggestions = 8
)

// AddressEntry is a To, Cc or Bcc field: a one-line entry for a
// comma-separated list of addresses that suggests contacts for the address
// being typed (the one under the cursor, not the whole field). The list
// keeps the keyboard while it is open: Up and Down choose, Enter or Tab
// accept the chosen row, Esc closes, Shift+Delete (or the row's Forget
// button) forgets the chosen address; everything else still types into the
// field. Nothing is chosen until Up or Down: Enter then keeps the address
// as typed and Tab moves on to the next field, so completion never changes
// an address the person did not choose. The list opens only while the
// cursor is at the end of the address under it. Without a contacts book it
// is a plain entry.
//
// fyne.io/x/fyne's CompletionEntry was the first choice, but it replaces
// the whole text with the chosen option and sends keys to the entry
// without its shortcuts (paste), so it cannot complete one address of
// several.
type AddressEntry struct {
	widget.Entry
	book *contacts.Store

	popup    *widget.PopUp
	list     *suggestList
	matches  []contacts.Contact
	selected int // the chosen row; -1: none (Up or Down chooses one)
	// start and end are the rune range of the address being completed.
	start, end int
}

// NewAddressEntry returns an address field completing from book (nil: no
// completion).
func NewAddressEntry(book *contacts.Store) *AddressEntry {
	e := &AddressEntry{book: book}
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune types r and updates the suggestions.
func (e *AddressEntry) TypedRune(r rune) {
	e.Entry.TypedRune(r)
	e.suggest()
}

// TypedKey handles the keys of the open suggestion list, and passes the
// rest to the entry.
func (e *AddressEntry) TypedKey(k *fyne.KeyEvent) {
	if e.listShown() && e.listKey(k) {
		return
	}
	if k.Name == fyne.KeyTab {
		// The window moves the focus itself (AcceptsTab is false), but a
		// Tab handed here must not type a tab into an address either.
		e.focusNext()
		return
	}
	e.Entry.TypedKey(k)
	switch k.Name {
	case fyne.KeyBackspace, fyne.KeyDelete:
		e.suggest()
	case fyne.KeyLeft, fyne.KeyRight, fyne.KeyHome, fyne.KeyEnd:
		e.HideSuggestions()
	}
}

// TypedShortcut passes shortcuts (paste, cut, select all) to the entry and
// updates the suggestions after a paste or a cut.
func (e *AddressEntry) TypedShortcut(s fyne.Shortcut) {
	e.Entry.TypedShortcut(s)
	switch s.(type) {
	case *fyne.ShortcutPaste, *fyne.ShortcutCut:
		e.suggest()
	}
}

// AcceptsTab takes Tab while suggestions are shown (it accepts one);
// otherwise Tab moves to the next field.
func (e *AddressEntry) AcceptsTab() bool { return e.listShown() }

// FocusLost closes the suggestions when the person moves elsewhere (the
// list itself holds the focus while shown, so this is a real move).
func (e *AddressEntry) FocusLost() {
	e.Entry.FocusLost()
	e.HideSuggestions()
}

// Suggestions returns what the list shows now (nil when it is closed).
func (e *AddressEntry) Suggestions() []contacts.Contact {
	if !e.listShown() {
		return nil
	}
	return e.matches
}

// HideSuggestions closes the list; the focus goes back to the field.
func (e *AddressEntry) HideSuggestions() {
	if e.popup != nil && e.popup.Visible() {
		e.popup.Hide()
	}
}

func (e *AddressEntry) listShown() bool { return e.popup != nil && e.popup.Visible() }

// listKey handles a key of the open list; false means the entry takes it.
func (e *AddressEntry) listKey(k *fyne.KeyEvent) bool {
	n := len(e.matches)
	switch k.Name {
	case fyne.KeyDown:
		e.choose((e.selected + 1) % n)
	case fyne.KeyUp:
		if e.selected <= 0 {
			e.choose(n - 1)
		} else {
			e.choose(e.selected - 1)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.selected < 0 {
			e.HideSuggestions() // nothing chosen: the address stays as typed
			return true
		}
		e.Accept(e.selected)
	case fyne.KeyTab:
		if e.selected < 0 {
			// Nothing chosen: Tab does what it does everywhere else.
			e.HideSuggestions()
			e.focusNext()
			return true
		}
		e.Accept(e.selected)
	case fyne.KeyEscape:
		e.HideSuggestions()
	default:
		return false
	}
	return true
}

// focusNext moves the keyboard on to the next field, as Tab does.
func (e *AddressEntry) focusNext() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
		c.FocusNext()
	}
}

func (e *AddressEntry) choose(i int) {
	e.selected = i
	e.list.Select(i) // the highlight; a click goes to the row (suggestRow.Tapped)
}

// addressBounds returns the rune range of the address under the cursor in
// runes: from after the comma or semicolon before it to the next one (or
// the end), separators inside double quotes not counting. Inside quotes a
// backslash escapes the next character (a name such as "5\" Floppy, Inc"),
// as compose's splitAddressList reads it.
func addressBounds(runes []rune, cursor int) (start, end int) {
	end = len(runes)
	quoted, escaped := false, false
	for i, r := range runes {
		switch {
		case escaped:
			escaped = false
		case quoted && r == '\\':
			escaped = true
		case r == '"':
			quoted = !quoted
		case (r == ',' || r == ';') && !quoted:
			if i < cursor {
				start = i + 1
			} else {
				return start, i
			}
		}
	}
	return start, end
}

// query is what to search for in the address typed so far: after a "<"
// the address part, else all of it.
func query(typed string) string {
	typed = strings.TrimSpace(typed)
	if i := strings.LastIndexByte(typed, '<'); i >= 0 {
		typed = typed[i+1:]
	}
	return strings.Trim(typed, `"`)
}

// suggest looks up the address under the cursor and shows or closes the
// list.
func (e *AddressEntry) suggest() {
	if e.book == nil {
		return
	}
	runes := []rune(e.Text)
	cursor := min(e.CursorColumn, len(runes))
	e.start, e.end = addressBounds(runes, cursor)
	q := query(string(runes[e.start:cursor]))
	if len([]rune(q)) < minQueryRunes || strings.ContainsRune(string(runes[e.start:cursor]), '>') ||
		strings.TrimSpace(string(runes[cursor:e.end])) != "" {
		// Too short, already complete, or the cursor is inside an address
		// (a typo being fixed): the rest of it is not part of the query,
		// and a suggestion would replace it.
		e.HideSuggestions()
		return
	}
	e.matches = e.book.Search(q, maxSuggestions)
	for _, m := range e.matches {
		if strings.EqualFold(m.Address, q) {
			// A known address typed in full: nothing to complete, and Tab
			// goes on to the next field as it always did.
			e.matches = nil
			break
		}
	}
	if len(e.matches) == 0 {
		e.HideSuggestions()
		return
	}
	e.showList()
}

func (e *AddressEntry) showList() {
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	if c == nil {
		return
	}
	if e.list == nil {
		e.list = newSuggestList(e)
	}
	if e.popup == nil {
		e.popup = widget.NewPopUp(e.list, c)
	}
	e.list.Refresh()
	row := e.list.rowHeight()
	height := float32(len(e.matches))*(row+theme.Padding()) + theme.Padding()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e).Add(fyne.NewPos(0, e.Size().Height))
	if room := c.Size().Height - pos.Y - theme.Padding(); height > room && room > row {
		height = room
	}
	e.popup.Resize(fyne.NewSize(e.Size().Width, height))
	e.popup.ShowAtPosition(pos)
	e.selected = -1 // nothing chosen until Up or Down
	e.list.UnselectAll()
	e.list.ScrollToTop()
	c.Focus(e.list) // the list takes the keys while shown, and hands typing back here
}

// Accept puts suggestion i in place of the address being typed, followed
// by ", " when it is the last one, and closes the list.
func (e *AddressEntry) Accept(i int) {
	if i < 0 || i >= len(e.matches) {
		return
	}
	runes := []rune(e.Text)
	start, end := min(e.start, len(runes)), min(e.end, len(runes))
	before, after := string(runes[:start]), string(runes[end:])
	if start > 0 {
		before += " "
	}
	insert := e.matches[i].String()
	if strings.TrimSpace(after) == "" {
		insert += ", "
		after = ""
	}
	e.HideSuggestions()
	e.SetText(before + insert + after)
	e.CursorRow = 0
	e.CursorColumn = len([]rune(before + insert))
	e.Refresh()
}

// forget removes suggestion i from the contacts and from the list.
func (e *AddressEntry) forget(i int) {
	if i < 0 || i >= len(e.matches) {
		return
	}
	addr := e.matches[i].Address
	if err := e.book.Remove(addr); err != nil {
		fyne.LogError("forget "+addr, err)
		return
	}
	e.suggest()
}

// suggestList is the list in the popup. While shown it has the focus (a
// popup is an overlay with its own focus): it handles the list keys and
// hands every other key, typed character and shortcut to the entry.
type suggestList struct {
	widget.List
	entry *AddressEntry
	shift bool // a Shift key is held (desktop.Keyable)
}

func newSuggestList(e *AddressEntry) *suggestList {
	l := &suggestList{entry: e}
	l.Length = func() int { return len(e.matches) }
	l.CreateItem = func() fyne.CanvasObject { return newSuggestRow(e) }
	l.UpdateItem = func(id widget.ListItemID, o fyne.CanvasObject) {
		row := o.(*suggestRow)
		row.id = id
		row.label.SetText(e.matches[id].String())
	}
	l.ExtendBaseWidget(l)
	return l
}

// suggestRow is one suggestion: a click on it accepts it (also when it is
// the highlighted one, which a List selection would ignore), its button
// forgets it.
type suggestRow struct {
	widget.BaseWidget
	entry  *AddressEntry
	id     int
	label  *widget.Label
	forget *widget.Button
}

func newSuggestRow(e *AddressEntry) *suggestRow {
	r := &suggestRow{entry: e, label: widget.NewLabel("")}
	r.label.Truncation = fyne.TextTruncateEllipsis
	r.forget = widget.NewButtonWithIcon(lang.X("completion.forget", "Forget"), theme.DeleteIcon(), func() { e.forget(r.id) })
	r.forget.Importance = widget.LowImportance
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the row out: the address, then the Forget button.
func (r *suggestRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, r.forget, r.label))
}

// Tapped accepts the suggestion (a click is a choice, chosen row or not).
func (r *suggestRow) Tapped(*fyne.PointEvent) { r.entry.Accept(r.id) }

func (l *suggestList) rowHeight() float32 { return l.CreateItem().MinSize().Height }

// FocusGained and FocusLost make the list focusable.
func (l *suggestList) FocusGained() {}

// FocusLost is part of fyne.Focusable.
func (l *suggestList) FocusLost() {}

// AcceptsTab lets Tab reach TypedKey (it accepts a suggestion).
func (l *suggestList) AcceptsTab() bool { return true }

// TypedRune types into the entry.
func (l *suggestList) TypedRune(r rune) { l.entry.TypedRune(r) }

// TypedKey hands keys to the entry, which handles the list keys itself.
func (l *suggestList) TypedKey(k *fyne.KeyEvent) { l.entry.TypedKey(k) }

// KeyDown notes a held Shift (desktop.Keyable).
func (l *suggestList) KeyDown(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		l.shift = true
	}
}

// KeyUp notes a released Shift (desktop.Keyable).
func (l *suggestList) KeyUp(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		l.shift = false
	}
}

// TypedShortcut hands shortcuts to the entry (paste, select all), except
// Shift+Delete with nothing selected in the field: that forgets the chosen
// address. (Fyne's desktop driver turns Shift+Delete into a Cut, as Ctrl+X;
// the Shift held tells them apart.)
func (l *suggestList) TypedShortcut(s fyne.Shortcut) {
	if _, cut := s.(*fyne.ShortcutCut); cut && l.shift && l.entry.SelectedText() == "" && l.entry.selected >= 0 {
		l.entry.forget(l.entry.selected)
		return
	}
	l.entry.TypedShortcut(s)
}
