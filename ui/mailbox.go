package ui

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/internal/boundedfile"

	"stamp/i18n"
)

// rawPreviewLimit is how much of a raw message the viewer shows: the
// headers and usually the text parts. Fyne's multi-line entry takes time
// that grows faster than the text (16 KiB: 14 ms, 64 KiB: 0.1 s, 256 KiB:
// 1.5 s on the UI goroutine), and a mailbox shows the newest message as
// soon as it arrives.
const rawPreviewLimit = 32 << 10

// mailItem is one message in a mailbox window (the Sent folder or the
// sandbox inbox).
type mailItem struct {
	Path     string    // the .eml file
	Time     time.Time // when it was sent or received
	Subject  string
	Envelope *envelopeRecord // the SMTP envelope, when known (sandbox)
}

// envelopeRecord is the SMTP envelope kept beside a received message.
type envelopeRecord struct {
	From     string    `json:"from"`
	To       []string  `json:"to"`
	User     string    `json:"user,omitempty"`
	TLS      bool      `json:"tls"`
	Size     int64     `json:"size"`
	Received time.Time `json:"received"`
}

// headerSummary reads the headers of an .eml file: subject, and the
// addresses listed in To and Cc (lower case).
func headerSummary(data []byte) (subject string, listed map[string]bool, header mail.Header) {
	listed = map[string]bool{}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return "", listed, nil
	}
	subject = decodeHeader(msg.Header.Get("Subject"))
	for _, h := range []string{"To", "Cc"} {
		list, _ := msg.Header.AddressList(h)
		for _, a := range list {
			listed[strings.ToLower(a.Address)] = true
		}
	}
	return subject, listed, msg.Header
}

// decodeHeader turns RFC 2047 encoded words back into text; text that does
// not decode is shown as it is.
func decodeHeader(s string) string {
	if d, err := new(mime.WordDecoder).DecodeHeader(s); err == nil {
		return d
	}
	return s
}

// headerLabel names a header field in the person's language, with what
// follows it ("Subject: "; "主题：").
func headerLabel(name string) string {
	switch name {
	case "Subject":
		return lang.X("header.subject", "Subject: ")
	case "From":
		return lang.X("header.from", "From: ")
	case "To":
		return lang.X("header.to", "To: ")
	case "Cc":
		return lang.X("header.cc", "Cc: ")
	case "Bcc":
		return lang.X("header.bcc", "Bcc: ")
	case "Date":
		return lang.X("header.date", "Date: ")
	}
	return name + ": "
}

// describe is the detail text for one item: envelope and headers.
func (it mailItem) describe(data []byte) string {
	subject, listed, h := headerSummary(data)
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s\n", headerLabel("Subject"), subject)
	if h != nil {
		for _, k := range []string{"From", "To", "Cc", "Bcc", "Date"} {
			if v := h.Get(k); v != "" {
				fmt.Fprintf(&b, "%s%s\n", headerLabel(k), decodeHeader(v))
			}
		}
	}
	if e := it.Envelope; e != nil {
		fmt.Fprintf(&b, "\n%s\nMAIL FROM: <%s>\n", lang.X("mailbox.envelope", "SMTP envelope (what the server was told):"), e.From)
		for _, r := range e.To {
			note := ""
			if !listed[strings.ToLower(r)] {
				note = "   ← " + lang.X("mailbox.bcc_note", "Bcc: delivered, but not in the message headers")
			}
			fmt.Fprintf(&b, "RCPT TO: <%s>%s\n", r, note)
		}
		data := map[string]any{"When": e.Received.Local().Format("2006-01-02 15:04:05"), "Size": humanSize(e.Size), "User": e.User}
		var received string
		switch {
		case e.TLS && e.User != "":
			received = lang.X("mailbox.received_tls_user", "Received {{.When}} over TLS, {{.Size}}, logged in as {{.User}}", data)
		case e.TLS:
			received = lang.X("mailbox.received_tls", "Received {{.When}} over TLS, {{.Size}}", data)
		case e.User != "":
			received = lang.X("mailbox.received_plain_user", "Received {{.When}} over plain text, {{.Size}}, logged in as {{.User}}", data)
		default:
			received = lang.X("mailbox.received_plain", "Received {{.When}} over plain text, {{.Size}}", data)
		}
		b.WriteString(received + "\n")
	}
	return b.String()
}

// mailboxWindow lists messages newest first; selecting one shows its
// envelope, headers and raw source.
type mailboxWindow struct {
	Window fyne.Window
	items  []mailItem
	list   *widget.List
	detail *widget.Label
	raw    *widget.Entry
	index  *emlIndex
	empty  string
	// gen counts Reloads: only the newest one's listing is applied.
	gen int
	// applied is the Reload whose listing is shown (== gen once the newest
	// listing is in). It is touched on the UI goroutine only: tests wait on
	// it, so a listing applied off the UI goroutine shows up under -race.
	applied int
	// shown is the message on display and whether it was the newest one
	// then: a reload follows the newest message only if the person was
	// reading the newest.
	shown       string
	shownNewest bool
}

func newMailboxWindow(a fyne.App, title, empty, dir string) *mailboxWindow {
	m := &mailboxWindow{Window: a.NewWindow(title), index: newEMLIndex(dir), empty: empty}
	m.Window.SetIcon(Icon)
	m.detail = widget.NewLabel(empty)
	m.detail.Wrapping = fyne.TextWrapWord
	m.raw = widget.NewMultiLineEntry()
	m.raw.TextStyle.Monospace = true
	m.raw.Wrapping = fyne.TextWrapOff
	m.raw.Disable() // a view of what was sent or received, not an editor
	m.list = widget.NewList(
		func() int { return len(m.items) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			it := m.items[id]
			subject := it.Subject
			if subject == "" {
				subject = lang.X("mailbox.no_subject", "(no subject)")
			}
			o.(*widget.Label).SetText(i18n.DateTime(it.Time) + "  " + subject)
		})
	m.list.OnSelected = m.show
	right := container.NewBorder(m.detail, nil, nil, nil, m.raw)
	split := container.NewHSplit(m.list, right)
	split.Offset = 0.3
	m.Window.SetContent(split)
	m.Window.Resize(fyne.NewSize(900, 600))
	m.Reload()
	return m
}

// Reload lists the folder again (a new message arrived or was sent), off
// the UI goroutine, reading only new files, and then shows the list. The
// person stays on the message they were reading, unless it was the newest:
// then the new newest is shown. Call it on the UI goroutine.
func (m *mailboxWindow) Reload() {
	m.gen++
	gen := m.gen
	go func() {
		items := m.index.load()
		runOnUI(func() {
			if gen == m.gen { // a later Reload brings a newer listing
				m.apply(items)
				m.applied = gen
			}
		})
	}()
}

// apply shows a listing.
func (m *mailboxWindow) apply(items []mailItem) {
	m.items = items
	m.list.Refresh()
	if len(m.items) == 0 {
		m.shown = ""
		m.detail.SetText(m.empty)
		m.raw.SetText("")
		return
	}
	target := 0
	if m.shown != "" && !m.shownNewest {
		for i, it := range m.items {
			if it.Path == m.shown {
				target = i
				break
			}
		}
	}
	m.list.UnselectAll() // Select alone does nothing when the row was selected
	m.list.Select(target)
}

func (m *mailboxWindow) show(id widget.ListItemID) {
	if id < 0 || id >= len(m.items) {
		return
	}
	it := m.items[id]
	m.shown, m.shownNewest = it.Path, id == 0
	data, size, err := readPreview(it.Path, rawPreviewLimit)
	if err != nil {
		m.detail.SetText(lang.X("mailbox.unreadable", "This message cannot be read: {{.Error}}", map[string]any{"Error": err.Error()}))
		m.raw.SetText("")
		return
	}
	m.detail.SetText(it.describe(data))
	raw := string(data)
	if size > int64(len(data)) {
		raw += "\n… " + lang.X("mailbox.more", "({{.Size}} more; the whole message is in {{.Path}})", map[string]any{"Size": humanSize(size - int64(len(data))), "Path": it.Path})
	}
	m.raw.SetText(raw)
}

// readPreview reads at most limit bytes from the start of the file at path
// (the headers are there) and tells the file's whole size: showing a 143 MB
// message must not read 143 MB on the UI goroutine.
func readPreview(path string, limit int) (data []byte, size int64, err error) {
	f, fi, err := boundedfile.Open(path) // a regular file only, never waiting on a FIFO
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	data = make([]byte, min(int64(limit), fi.Size()))
	n, err := io.ReadFull(f, data)
	if err == io.ErrUnexpectedEOF { // the file shrank meanwhile
		err = nil
	}
	return data[:n], max(fi.Size(), int64(n)), err
}

// loadEMLDir lists the .eml files in dir, newest first, with their subjects
// and the envelope kept beside each (name.json), if any.
func loadEMLDir(dir string) []mailItem { return newEMLIndex(dir).load() }

// emlIndex lists a mailbox folder and remembers what it read: a refresh
// reads only files it has not seen (or that changed), so a Sent folder of
// 1,000 messages costs one file read per send, not 1,000 (review Y7).
type emlIndex struct {
	dir   string
	mu    sync.Mutex
	known map[string]indexed // by .eml path
	reads int                // .eml files read so far (tests count them)
}

// indexed is one remembered file: the item and what the file was then.
type indexed struct {
	item    mailItem
	size    int64
	modTime time.Time
	change  fileChange // inode and status-change time: a rewrite that kept size and mtime
	// racy: the file changed too shortly before it was read for a coarse
	// file-system clock to tell a later rewrite apart; read it again.
	racy bool
}

// racyMargin is more than the tick of a coarse file-system clock: a file
// whose status changed less than this before it was read is read again on
// the next refresh (as Git does for "racily clean" files).
const racyMargin = 20 * time.Millisecond

func newEMLIndex(dir string) *emlIndex {
	return &emlIndex{dir: dir, known: map[string]indexed{}}
}

// load lists the folder, newest first. It reads the head of each new or
// changed .eml and its envelope, and the envelope of a known message whose
// envelope was not there yet (the sandbox writes it just after the
// message). Safe to call from any goroutine; calls run one at a time.
func (x *emlIndex) load() []mailItem {
	x.mu.Lock()
	defer x.mu.Unlock()
	paths, _ := filepath.Glob(filepath.Join(x.dir, "*.eml"))
	envs, _ := filepath.Glob(filepath.Join(x.dir, "*.json"))
	hasEnv := make(map[string]bool, len(envs))
	for _, e := range envs {
		hasEnv[e] = true
	}
	seen := make(map[string]indexed, len(paths))
	items := make([]mailItem, 0, len(paths))
	for _, p := range paths {
		now := time.Now()
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue // a FIFO or a device named *.eml is no message
		}
		envPath := strings.TrimSuffix(p, ".eml") + ".json"
		k, ok := x.known[p]
		change := fileChangeOf(fi)
		if !ok || k.racy || k.size != fi.Size() || !k.modTime.Equal(fi.ModTime()) || k.change != change {
			k = indexed{item: x.readItem(p, fi), size: fi.Size(), modTime: fi.ModTime(), change: change,
				racy: change.ctime > now.Add(-racyMargin).UnixNano()}
		}
		if k.item.Envelope == nil && hasEnv[envPath] {
			if env := readEnvelope(envPath); env != nil {
				k.item.Envelope = env
				k.item.Time = env.Received
			}
		}
		seen[p] = k
		items = append(items, k.item)
	}
	x.known = seen
	sort.Slice(items, func(i, j int) bool { return items[i].Time.After(items[j].Time) })
	return items
}

// readItem reads the subject from the head of the .eml at p.
func (x *emlIndex) readItem(p string, fi os.FileInfo) mailItem {
	x.reads++
	it := mailItem{Path: p, Time: fi.ModTime()}
	if f, _, err := boundedfile.Open(p); err == nil { // never waits on a FIFO swapped in
		head := make([]byte, 64<<10)
		n, _ := f.Read(head)
		f.Close()
		if i := bytes.Index(head[:n], []byte("\r\n\r\n")); i >= 0 {
			n = i + 4
		}
		it.Subject, _, _ = headerSummary(head[:n])
	}
	return it
}
