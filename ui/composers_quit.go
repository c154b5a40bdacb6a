package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Quit ends Stamp from the menu (Message › Quit, Ctrl+Q; Cmd+Q on macOS).
// With one composer open it is that window's close, with its own question
// (closeRequested). With several, it asks once, in the front window, naming
// every message that is not sent (and each send under way, which quitting
// stops, as closing its window would); on yes every draft is kept and
// every window closes, the last one ending the app. Nothing is asked when
// no composer holds anything. Messages waiting in the outbox are asked
// about first, once (outbox_exit.go), then the unsent drafts.
func (s *Composers) Quit() {
	switch len(s.open) {
	case 0:
		return
	case 1:
		s.open[0].closeRequested() // asks about the outbox too: it is the last
		return
	}
	front := s.front
	if front == nil {
		front = s.open[len(s.open)-1]
	}
	if u := s.opts.Outbox; u != nil && u.askExit(front, s.quitAsked) {
		return
	}
	s.quitAsked()
}

// quitAsked is Quit once the outbox is settled: the question about every
// unsent message, then every window closes.
func (s *Composers) quitAsked() {
	if len(s.open) == 0 {
		return
	}
	var lines []string
	for _, c := range s.open {
		if line := quitLine(c); line != "" {
			lines = append(lines, "• "+line)
		}
	}
	if len(lines) == 0 {
		s.closeAll()
		return
	}
	front := s.front
	if front == nil {
		front = s.open[len(s.open)-1]
	}
	text := widget.NewLabel(lang.X("composers.quit_question",
		"These messages are not sent. They stay in your drafts and open again the next time Stamp starts:") +
		"\n\n" + strings.Join(lines, "\n"))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.X("composers.quit_title", "Quit Stamp?"),
		lang.X("composers.quit_keep", "Keep drafts and quit"), lang.X("composers.quit_cancel", "Cancel"),
		text, func(ok bool) {
			if ok {
				s.closeAll()
			}
		}, front.Window)
	d.Resize(fyne.NewSize(520, 300))
	front.showDialog(d)
}

// quitLine says what quitting does to c's message, or "" when c holds
// nothing (its window just closes).
func quitLine(c *Composer) string {
	name := composerLabel(c)
	switch {
	case c.sending:
		return lang.X("composers.quit_sending", "{{.Name}}: being sent; quitting stops the send, and it stays in your drafts marked as possibly sent",
			map[string]any{"Name": name})
	case c.draft().Empty():
		return ""
	case c.possiblySent:
		return lang.X("composers.quit_maybe", "{{.Name}}: may already have been delivered; kept marked as possibly sent",
			map[string]any{"Name": name})
	default:
		return name
	}
}

// closeAll closes every composer, keeping each one's draft; a window whose
// draft cannot be saved stays open and says why (and so the app does too).
func (s *Composers) closeAll() {
	for _, c := range s.Open() {
		if err := c.quitKeepingDraft(); err != nil {
			s.show(c)
			c.showError(fmt.Errorf("%s: %w", lang.X("composers.quit_failed",
				"The draft could not be saved, so this window stays open"), err))
		}
	}
}

// quitKeepingDraft closes c for Quit, keeping its draft, with the rules of
// its own close: a send under way is stopped and its message stays in the
// drafts marked as possibly sent (closeWhileSending); an empty form leaves
// no draft (SaveDraft removes it).
func (c *Composer) quitKeepingDraft() error {
	sending := c.sending
	if sending {
		c.possiblySent = true
		if c.cancelSend != nil {
			c.cancelSend()
		}
	}
	// During a send the draft on disk was marked when it started
	// (markSending): as closeWhileSending, close even if this save fails.
	if err := c.SaveDraft(); err != nil && !sending {
		return err
	}
	c.closeNow()
	return nil
}
