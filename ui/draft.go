package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"stamp/i18n"
	"stamp/internal/atomicfile"
	"stamp/internal/boundedfile"
)

// draftVersion is the schema version of the draft file.
const draftVersion = 1

// draft is everything the composer holds, saved so that nothing typed is lost
// to a crash, a closed window or a failed send. It never holds a password.
type draft struct {
	Version     int      `json:"version"`
	Account     string   `json:"account,omitempty"`
	To          string   `json:"to,omitempty"`
	Cc          string   `json:"cc,omitempty"`
	Bcc         string   `json:"bcc,omitempty"`
	Subject     string   `json:"subject,omitempty"`
	Body        string   `json:"body,omitempty"`
	Markdown    bool     `json:"markdown,omitempty"` // the body is sent as Markdown (text and HTML)
	Attachments []string `json:"attachments,omitempty"`
	Sending     bool     `json:"sending,omitempty"` // a send had started and had not finished when this was saved
	// SentEarlier is when the server accepted an earlier version of this
	// message; the draft holds the changes made while that send went out.
	SentEarlier time.Time `json:"sentEarlier,omitzero"`
	Saved       time.Time `json:"saved"`
}

// shortTime is how notices and questions name a time ("Fri 4 Dec 15:04").
func shortTime(t time.Time) string { return i18n.ShortTime(t) }

// Empty reports whether the draft holds nothing a person wrote.
func (d draft) Empty() bool {
	return strings.TrimSpace(d.To+d.Cc+d.Bcc+d.Subject+d.Body) == "" && len(d.Attachments) == 0
}

// sameContent reports whether two drafts hold the same message.
func (d draft) sameContent(o draft) bool {
	if d.Account != o.Account || d.To != o.To || d.Cc != o.Cc || d.Bcc != o.Bcc ||
		d.Subject != o.Subject || d.Body != o.Body || d.Markdown != o.Markdown || len(d.Attachments) != len(o.Attachments) {
		return false
	}
	for i := range d.Attachments {
		if d.Attachments[i] != o.Attachments[i] {
			return false
		}
	}
	return true
}

// maxDraftSize caps the saved draft Load reads: far above any text typed
// or pasted (attachments are kept as paths), far below what would exhaust
// memory.
const maxDraftSize = 64 << 20

// draftStore keeps one composer's draft in one file (Drafts/ID.json),
// written atomically. id "" is the single draft of earlier versions
// (Drafts/current.json, drafts.go).
type draftStore struct{ path string }

func newDraftStore(dataDir string) draftStore { return draftStoreFor(dataDir, "") }

// draftStoreFor is the store of the draft named id in dataDir.
func draftStoreFor(dataDir, id string) draftStore {
	if id == "" {
		id = legacyDraftID
	}
	return draftStore{path: filepath.Join(draftsFolder(dataDir), id+".json")}
}

// Load returns the saved draft, or nil when there is none. A file that cannot
// be read as a draft (truncated, edited by hand) is kept aside, never
// deleted, and reported.
func (s draftStore) Load() (*draft, error) {
	data, err := boundedfile.Read(s.path, maxDraftSize) // a FIFO or a link to /dev/zero is refused at once
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.X("draft.read", "read the saved draft"), err)
	}
	var d draft
	if err := json.Unmarshal(data, &d); err != nil || d.Version == 0 {
		aside := s.path + ".broken-" + time.Now().Format("20060102-150405")
		if rerr := os.Rename(s.path, aside); rerr != nil {
			return nil, fmt.Errorf("%s: %w", lang.X("draft.damaged_not_kept", "the saved draft {{.Path}} is damaged and could not be kept aside", map[string]any{"Path": s.path}), rerr)
		}
		return nil, &draftKeptAsideError{Path: aside}
	}
	return &d, nil
}

// draftKeptAsideError reports a saved draft that could not be read as a draft
// and was moved aside to Path: the draft file is gone, so saving and clearing
// may go on. Callers tell it apart with errors.As, never by its text, which is
// translated.
type draftKeptAsideError struct {
	Path string // where the damaged file now is
}

func (e *draftKeptAsideError) Error() string {
	return lang.X("draft.damaged_kept", "the saved draft was damaged; it was kept as {{.Path}}", map[string]any{"Path": e.Path})
}

// Save writes the draft atomically: a crash or a full disk leaves the
// previous draft intact.
func (s draftStore) Save(d draft) error {
	d.Version = draftVersion
	d.Saved = time.Now().UTC()
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("%s: %w", lang.X("draft.save", "save the draft"), err)
	}
	if err := atomicfile.WriteBytes(s.path, 0o600, data); err != nil {
		return fmt.Errorf("%s: %w", lang.X("draft.save", "save the draft"), err)
	}
	return nil
}

// Clear removes the saved draft (after a successful send or a discard).
func (s draftStore) Clear() error {
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", lang.X("draft.remove", "remove the draft"), err)
	}
	return nil
}
