package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/language"
)

// Composers is the set of open composer windows. Message › New message
// (Ctrl+N, Cmd+N on macOS) opens another; each keeps its own draft
// (Drafts/ID.json, drafts.go), so closing one never touches another's, and
// Start brings back every saved draft after a crash, one window each. The
// Window menu of every composer lists them all. The app ends when the last
// composer closes or on Quit, which asks once about every unsent message.
// All methods run on the UI goroutine.
type Composers struct {
	app  fyne.App
	opts Options // for every composer; DraftID and Attach are set per window

	open  []*Composer // the open windows, in the order they opened
	all   []*Composer // every composer of this run, closed ones too: Wait waits for their sends
	front *Composer   // the one last opened, chosen in the menu or typed in

	menuTimer *time.Timer   // a subject changed: the menus are refreshed shortly
	cjk       *language.Tag // set by WatchCJKFont: every composer is watched
	// lastClosed runs when the last composer has closed: the app's loop
	// ends (Stopped, then Quit). Tests replace it: Stopped is for good.
	lastClosed func()
}

// menuRefreshDelay is how long after a subject changes the Window menus
// show it: a menu is rebuilt once per pause in typing, not per keystroke.
const menuRefreshDelay = 400 * time.Millisecond

// NewComposers makes the (still empty) set of composers on a; opts wires
// every composer it opens (opts.DraftID and opts.Attach are ignored).
func NewComposers(a fyne.App, opts Options) *Composers {
	s := &Composers{app: a, opts: opts}
	if opts.Outbox != nil {
		opts.Outbox.composers = s // a message taken back may need a new composer
	}
	s.lastClosed = func() {
		// On the UI goroutine, before the loop ends: no send's end may do
		// UI or draft work after this (stopping.go, uithread.go).
		Stopped()
		a.Quit()
	}
	return s
}

// Start opens a composer for every saved draft (oldest first, so the newest
// is in front), or one empty composer when there is none, and shows them.
// Files from the command line go into that empty composer, or into a new
// message of their own beside the restored drafts. Each window's keyboard
// focus is in the first field that needs typing. It returns the composer
// in front.
func (s *Composers) Start(files []string) *Composer {
	ids, err := savedDraftIDs(s.opts.DataDir)
	for _, id := range ids {
		s.show(s.add(id, nil))
	}
	if len(s.open) == 0 || len(files) > 0 {
		s.show(s.add(newDraftID(), files))
	}
	for _, c := range s.open {
		c.FocusFirst() // each window keeps its own keyboard focus
	}
	if err != nil {
		s.front.Notify(err.Error())
	}
	return s.front
}

// NewComposer opens a new composer window for a new message, with a draft
// of its own, in front of the others, the keyboard in To. It is Message ›
// New message; a hand-over that should not land in a message being
// written opens one this way too.
func (s *Composers) NewComposer() *Composer {
	c := s.add(newDraftID(), nil)
	s.show(c)
	c.FocusFirst()
	return c
}

// Front is the composer in front: the one opened last, chosen in the
// Window menu or typed in last. Nil once all have closed.
func (s *Composers) Front() *Composer { return s.front }

// Open lists the open composers in the order they opened.
func (s *Composers) Open() []*Composer { return append([]*Composer(nil), s.open...) }

// ReloadSenders refreshes every composer's From picker (the accounts
// changed).
func (s *Composers) ReloadSenders() {
	for _, c := range s.open {
		c.ReloadSenders()
	}
}

// Wait is Composer.Wait for every composer of this run, closed ones
// included (a window closed during a send still counts its send): it
// reports whether all were done within limit.
func (s *Composers) Wait(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for _, c := range s.all {
		if !c.Wait(time.Until(deadline)) {
			return false
		}
	}
	return true
}

// add creates the composer of draft id, wired into the set (menus, close,
// front); it is not shown yet.
func (s *Composers) add(id string, attach []string) *Composer {
	opts := s.opts
	opts.DraftID = id
	opts.Attach = attach
	c := NewComposer(s.app, opts)
	c.Window.SetOnClosed(func() { s.closed(c) })
	c.others = func() int { return len(s.open) - 1 }
	c.openNew = s.NewComposer
	// The Window menu names each composer by its subject; typing anywhere
	// makes a composer the front one (hand-overs go there).
	subject, body := c.Subject.OnChanged, c.Body.OnChanged
	c.Subject.OnChanged = func(t string) {
		subject(t)
		s.front = c
		s.scheduleMenus()
	}
	c.Body.OnChanged = func(t string) {
		body(t)
		s.front = c
	}
	s.open = append(s.open, c)
	s.all = append(s.all, c)
	s.front = c
	s.refreshMenus()
	if s.cjk != nil {
		WatchCJKFont(c, *s.cjk)
	}
	return c
}

// WatchCJKFont is ui.WatchCJKFont for every composer: the open ones and
// each one opened later (New message, a hand-over, Undo).
func (s *Composers) WatchCJKFont(tag language.Tag) {
	s.cjk = &tag
	for _, c := range s.open {
		WatchCJKFont(c, tag)
	}
}

func (s *Composers) show(c *Composer) {
	c.Window.Show()
	c.Window.RequestFocus()
	s.front = c
}

// focus brings c to the front (the Window menu).
func (s *Composers) focus(c *Composer) {
	s.show(c)
	c.FocusFirst()
}

// closed forgets a composer whose window has closed; after the last one the
// app ends.
func (s *Composers) closed(c *Composer) {
	c.closed = true
	c.stopOutbox() // no outbox change reaches a closed window
	if c.panel != nil {
		c.panel.Window.Close() // its kept send panel goes with it (a GL context each)
	}
	for i, o := range s.open {
		if o == c {
			s.open = append(s.open[:i], s.open[i+1:]...)
			break
		}
	}
	if s.front == c {
		s.front = nil
		if n := len(s.open); n > 0 {
			s.front = s.open[n-1]
		}
	}
	if len(s.open) == 0 {
		if s.menuTimer != nil {
			s.menuTimer.Stop()
		}
		s.lastClosed()
		return
	}
	s.refreshMenus()
}

func (s *Composers) scheduleMenus() {
	if s.menuTimer != nil {
		s.menuTimer.Stop()
	}
	s.menuTimer = time.AfterFunc(menuRefreshDelay, func() { runOnUI(s.refreshMenus) })
}

// refreshMenus gives every open composer its main menu: its own Message
// menu with New message and Quit, and a Window menu listing all composers.
func (s *Composers) refreshMenus() {
	for _, c := range s.open {
		c.Window.SetMainMenu(s.menuFor(c))
	}
}

// menuFor is c's main menu: the composer's own (mainMenu) with New message
// first and Quit last in the Message menu, and the Window menu.
func (s *Composers) menuFor(c *Composer) *fyne.MainMenu {
	mod := fyne.KeyModifierShortcutDefault // Ctrl, Cmd on macOS
	newMsg := fyne.NewMenuItem(lang.X("composers.new", "New message"), func() { s.NewComposer() })
	newMsg.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: mod}
	quit := fyne.NewMenuItem(lang.X("composers.quit", "Quit"), s.Quit)
	quit.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: mod}
	quit.IsQuit = true // Fyne adds none of its own (its Quit would close the windows without asking once)

	m := c.mainMenu()
	msg := m.Items[0]
	msg.Items = append(append([]*fyne.MenuItem{newMsg, fyne.NewMenuItemSeparator()}, msg.Items...),
		fyne.NewMenuItemSeparator(), quit)
	m.Items = append(m.Items, s.windowMenu(c))
	return m
}

// windowMenu lists the open composers by subject, the current one checked;
// choosing one brings it to the front.
func (s *Composers) windowMenu(current *Composer) *fyne.Menu {
	items := make([]*fyne.MenuItem, len(s.open))
	for i, c := range s.open {
		item := fyne.NewMenuItem(composerLabel(c), func() { s.focus(c) })
		item.Checked = c == current
		items[i] = item
	}
	return fyne.NewMenu(lang.X("composers.window_menu", "Window"), items...)
}

// maxLabel caps a subject in the Window menu (in runes).
const maxLabel = 48

// composerLabel names a composer in menus and questions: its subject,
// shortened, or "(no subject)".
func composerLabel(c *Composer) string {
	subject := strings.Join(strings.Fields(c.Subject.Text), " ")
	if subject == "" {
		return lang.X("composers.no_subject", "(no subject)")
	}
	if r := []rune(subject); len(r) > maxLabel {
		subject = string(r[:maxLabel-1]) + "…"
	}
	return subject
}

// closeTitle is the title of c's close question: closing the last composer
// closes Stamp; closing one of several closes that message only.
func (c *Composer) closeTitle() string {
	if c.others != nil && c.others() > 0 {
		return lang.X("composers.close_title", "Close this message?")
	}
	return lang.X("composer.close.title", "Close Stamp?")
}

// closeSendingText is what closing c during a send says it does.
func (c *Composer) closeSendingText() string {
	if c.others != nil && c.others() > 0 {
		return lang.X("composers.close_sending", "Closing this window now stops its send. The message stays in your drafts, marked as possibly sent.")
	}
	return lang.X("composer.closing_while_sending", "Closing Stamp now stops the send. The message stays in your drafts, marked as possibly sent.")
}
