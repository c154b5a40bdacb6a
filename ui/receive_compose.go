package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/i18n"
	"stamp/instance"
	"stamp/mailto"
	"stamp/smtpclient"
)

// composeTarget is where a message handed to Stamp (a clicked mailto:
// link, stamp --compose) is opened.
type composeTarget int

const (
	// intoComposer fills the open composer: it holds nothing.
	intoComposer composeTarget = iota
	// newWindow opens a composer window of its own: the person is writing
	// something else in this one.
	newWindow
	// askReplace asks first: the person is writing something else and no
	// other window can be opened (a composer outside a set, as in tests).
	askReplace
)

// targetFor decides where a handed-over message goes: into c when it holds
// nothing and the person is not in the middle of something with it (a file
// picker or any other dialog or pop-up open over it: the file picked next
// would join the link's message), else into a new composer window, never
// over what the person is writing.
func targetFor(c *Composer) composeTarget {
	switch {
	case c.draft().Empty() && !c.sending && c.Window.Canvas().Overlays().Top() == nil:
		return intoComposer
	case c.openNew != nil:
		return newWindow
	}
	return askReplace
}

// receiveCompose opens the mailto: link among args (a later start's hand
// over, or this start's own command line) as a new message, with the files
// among args attached to it, and reports whether there was a link. Only
// the first link is opened; a link that cannot be read is explained and
// nothing changes.
func receiveCompose(c *Composer, args []instance.Arg) bool {
	var link string
	var files []string
	extra := 0
	for _, a := range args {
		switch a.Kind {
		case instance.Mailto:
			if link == "" {
				link = a.Value
			} else {
				extra++
			}
		case instance.File:
			files = append(files, a.Value)
		}
	}
	if link == "" {
		return false
	}
	l, err := mailto.ParseBuilt(link) // a link given was held to MaxLength by the start that handed it over
	if err != nil {
		c.Notify(lang.X("receive.mailto.unreadable", "Stamp was asked to open a mailto: link it cannot read: {{.Error}}",
			map[string]any{"Error": smtpclient.Printable(err.Error())}))
		return true
	}
	openIn := func(c *Composer) {
		c.openLink(l, files)
		if extra > 0 {
			c.Notify(c.Notice.Text + " " + i18n.N("receive.mailto.extra", "Stamp opens one link at a time; {{.Count}} more was not opened.",
				"Stamp opens one link at a time; {{.Count}} more were not opened.", extra))
		}
	}
	open := func() { openIn(c) }
	switch targetFor(c) {
	case intoComposer:
		open()
		return true
	case newWindow:
		if !linkWindowsFor(c.app).allow() {
			linkWindowsFor(c.app).hold(c, func(c *Composer) { openIn(c.openNew()) })
			return true
		}
		openIn(c.openNew())
		return true
	}
	d := dialog.NewConfirm(lang.X("receive.replace.title", "Replace the message you are writing?"),
		lang.X("receive.replace.text", "Stamp was asked to write a new message:\n\n{{.What}}\n\nThe message you are writing now is kept as a saved draft first.",
			map[string]any{"What": describeLink(l, files)}),
		func(ok bool) {
			if !ok {
				c.Notify(lang.X("receive.replace.kept", "The new message was not opened; you are still writing yours."))
				return
			}
			aside, err := c.setAside()
			if err != nil {
				c.showError(fmt.Errorf("%s %w", lang.X("receive.replace.notsaved", "Your message could not be saved, so it was not replaced:"), err))
				return
			}
			open()
			c.Notify(lang.X("receive.replace.saved", "Your previous message was saved as {{.File}}.", map[string]any{"File": aside}) + " " + c.Notice.Text)
		}, c.Window)
	d.SetConfirmText(lang.X("receive.replace.confirm", "Save mine and open the new one"))
	d.SetDismissText(lang.X("receive.replace.dismiss", "Keep writing mine"))
	c.showDialog(d)
	return true
}

// openLink fills the form with the link's message and attaches files, and
// names what the link asked for that Stamp did not take.
func (c *Composer) openLink(l *mailto.Link, files []string) {
	d := draft{To: strings.Join(l.To, ", "), Cc: strings.Join(l.Cc, ", "), Bcc: strings.Join(l.Bcc, ", "),
		Subject: l.Subject, Body: l.Body}
	if s, ok := c.Sender(); ok {
		d.Account = s.ID // the link never chooses the sender
	}
	c.fillForm(d)
	if !c.sending {
		c.forgetSends() // a new message: no earlier send touched it
	}
	c.AttachFiles(files...)
	c.changed() // validate and autosave the new message
	var said []string
	if shown, more := l.IgnoredShown(mailto.MaxIgnoredShown); len(shown) > 0 {
		names := make([]string, len(shown))
		for i, ig := range shown {
			names[i] = smtpclient.Printable(ig.Field)
		}
		if more > 0 {
			names[len(names)-1] += " " + lang.X("receive.mailto.ignored_more", "and {{.Count}} more", map[string]any{"Count": more})
		}
		said = append(said, lang.X("receive.mailto.ignored", "The link also asked for {{.Fields}}; Stamp takes only the recipients, subject and text from a link, never attachments or other header fields.",
			map[string]any{"Fields": strings.Join(names, ", ")}))
	}
	if l.LineBreaks {
		said = append(said, lang.X("receive.mailto.linebreak", "A line break in a one-line field was replaced by a space."))
	}
	if l.Controls {
		said = append(said, lang.X("receive.mailto.controls", "Invisible control characters (such as ones that reverse the direction of text) were taken out of the link's fields."))
	}
	c.Notify(strings.Join(append([]string{lang.X("receive.mailto.opened", "A new message from a mailto: link. Check it before you send it.")}, said...), " "))
}

// setAside saves the message in the form as a draft file of its own beside
// the current one (Drafts/set-aside-TIME.json, the same format), so that
// replacing it loses nothing, and returns the file's path.
func (c *Composer) setAside() (string, error) {
	d := c.draft()
	d.Sending = c.sending || c.possiblySent
	d.SentEarlier = c.sentEarlier
	name := "set-aside-" + time.Now().Format("20060102-150405.000") + ".json"
	s := draftStore{path: filepath.Join(filepath.Dir(c.drafts.path), name)}
	if err := s.Save(d); err != nil {
		return "", err
	}
	return s.path, nil
}

// describeLink is the new message in a few lines for the question: who it
// is to, its subject, how many files.
func describeLink(l *mailto.Link, files []string) string {
	var lines []string
	if to := append(append(append([]string{}, l.To...), l.Cc...), l.Bcc...); len(to) > 0 {
		lines = append(lines, lang.X("receive.describe.to", "To: {{.To}}", map[string]any{"To": smtpclient.Printable(clip(strings.Join(to, ", ")))}))
	}
	if l.Subject != "" {
		lines = append(lines, lang.X("receive.describe.subject", "Subject: {{.Subject}}", map[string]any{"Subject": smtpclient.Printable(clip(l.Subject))}))
	}
	if len(files) > 0 {
		lines = append(lines, lang.X("receive.describe.files", "Files to attach: {{.Count}}", map[string]any{"Count": len(files)}))
	}
	if len(lines) == 0 {
		lines = append(lines, lang.X("receive.describe.empty", "(an empty message)"))
	}
	return strings.Join(lines, "\n")
}

// clip shortens a long line for a dialog.
func clip(s string) string {
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}

// Links open at most maxLinkWindows windows of their own within
// linkWindowSpan; more (a page or a script opening links in a loop) wait
// for one question, "open them?", and nothing is lost without the person
// saying so.
const (
	maxLinkWindows = 5
	linkWindowSpan = time.Minute
)

// linkWindows counts the windows links opened in one app and holds the
// links past the limit.
type linkWindows struct {
	opened  []time.Time         // when links opened windows, the last span's
	pending []func(c *Composer) // links waiting for the person's answer
	label   *widget.Label       // the open question's text; nil when none is open
	asking  *Composer           // the composer the question is over
	mu      sync.Mutex          // UI thread only, but tests run apps side by side
}

var (
	linkWindowsMu    sync.Mutex
	linkWindowsByApp = map[fyne.App]*linkWindows{}
)

// linkWindowsFor is the app's count (each test runs an app of its own).
func linkWindowsFor(a fyne.App) *linkWindows {
	linkWindowsMu.Lock()
	defer linkWindowsMu.Unlock()
	lw := linkWindowsByApp[a]
	if lw == nil {
		lw = &linkWindows{}
		linkWindowsByApp[a] = lw
	}
	return lw
}

// allow reports whether a link may open one more window now, and counts it
// if so.
func (lw *linkWindows) allow() bool {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	now := time.Now()
	kept := lw.opened[:0]
	for _, t := range lw.opened {
		if now.Sub(t) < linkWindowSpan {
			kept = append(kept, t)
		}
	}
	lw.opened = kept
	if len(lw.opened) >= maxLinkWindows || lw.label != nil {
		return false
	}
	lw.opened = append(lw.opened, now)
	return true
}

// hold keeps a link past the limit and asks, once, over c, whether to open
// the links waiting; a question already open counts the new one in.
func (lw *linkWindows) hold(c *Composer, open func(c *Composer)) {
	lw.mu.Lock()
	lw.pending = append(lw.pending, open)
	if lw.asking != nil && lw.asking.closed { // its window closed, the question with it
		lw.label, lw.asking = nil, nil
	}
	n, label := len(lw.pending), lw.label
	lw.mu.Unlock()
	text := func(n int) string {
		return i18n.N("receive.flood.text", "Stamp was handed more messages than it opens on its own in a minute ({{.Max}} windows). {{.Count}} more is waiting: open it in a window of its own?",
			"Stamp was handed more messages than it opens on its own in a minute ({{.Max}} windows). {{.Count}} more are waiting: open each in a window of its own?",
			n, map[string]any{"Max": maxLinkWindows})
	}
	if label != nil {
		label.SetText(text(n))
		return
	}
	label = widget.NewLabel(text(n))
	label.Wrapping = fyne.TextWrapWord
	lw.mu.Lock()
	lw.label, lw.asking = label, c
	lw.mu.Unlock()
	d := dialog.NewCustomConfirm(lang.X("receive.flood.title", "Open more messages?"),
		lang.X("receive.flood.confirm", "Open them"), lang.X("receive.flood.dismiss", "Don't open them"), label,
		func(ok bool) {
			lw.mu.Lock()
			waiting := lw.pending
			lw.pending, lw.label, lw.asking = nil, nil, nil
			lw.mu.Unlock()
			if !ok {
				c.Notify(i18n.N("receive.flood.declined", "{{.Count}} message handed to Stamp was not opened, as you chose.",
					"{{.Count}} messages handed to Stamp were not opened, as you chose.", len(waiting)))
				return
			}
			for _, open := range waiting {
				open(c)
			}
		}, c.Window)
	d.Resize(fyne.NewSize(420, 200))
	c.showDialog(d)
}
