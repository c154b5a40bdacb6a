// Package contacts is Stamp's address book: every address a person sent to
// or imported, with its display name, how often and how recently it was
// used, kept in one JSON file in the data folder (contacts.json, written
// atomically, changed under a lock so that the app and stamp-send never
// lose each other's updates). It ranks addresses for completion (Search),
// learns from every successful send (Learn) and reads and writes vCard
// files (Import, Export). It knows nothing of Fyne.
package contacts

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"stamp/internal/atomicfile"
	"stamp/internal/boundedfile"
	"stamp/internal/filelock"
)

// midWrite, when set (tests), runs when half of the new file is written.
var midWrite func()

// FileName is the name of the contacts file inside the data folder.
const FileName = "contacts.json"

// SchemaVersion is the version of the file this package writes.
const SchemaVersion = 1

// MaxFileSize bounds the contacts file read: 64 MiB holds several hundred
// thousand contacts; anything bigger is not a file Stamp wrote.
const MaxFileSize = 64 << 20

// DefaultLockTimeout bounds the wait for another writer to finish.
const DefaultLockTimeout = 10 * time.Second

// maxWith is how many recent co-recipients a contact remembers, and
// maxWithMessage the most visible recipients a message may have to be
// remembered that way (a mass mailing says nothing about who goes
// together).
const (
	maxWith        = 8
	maxWithMessage = 20
)

// Contact is one address in the book.
type Contact struct {
	// Address is the e-mail address as first typed or imported.
	Address string `json:"address"`
	// Name is the display name ("" when none is known).
	Name string `json:"name,omitempty"`
	// Uses counts the successful sends that had this address in To, Cc or Bcc.
	Uses int `json:"uses,omitempty"`
	// LastUsed is the time of the last such send (zero when never).
	LastUsed time.Time `json:"last_used,omitzero"`
	// Added is when the address entered the book.
	Added time.Time `json:"added,omitzero"`
	// Card is the vCard UID the address was imported from: Export puts a
	// card's addresses back together.
	Card string `json:"card,omitempty"`
	// With lists, newest first, the addresses this one was recently sent
	// with in To or Cc. A Bcc recipient never appears here.
	With []string `json:"with,omitempty"`
}

// String is the contact as it goes into an address field: `Name <addr>`
// (the name quoted when it holds a comma or another special character,
// never encoded), or the bare address.
func (c Contact) String() string {
	if c.Name == "" {
		return c.Address
	}
	name := c.Name
	if strings.ContainsAny(name, `"\,;<>@:()[].`) {
		name = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
	}
	return name + " <" + c.Address + ">"
}

// key is how addresses are compared: case-insensitively, as the envelope
// does.
func key(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// ErrNotFound is returned by Remove and Edit for an address not in the book.
var ErrNotFound error = notFoundError{}

// BrokenFileError says that the contacts file exists but cannot be used.
// Nothing is written over it: changes are refused until it is repaired or
// moved away.
type BrokenFileError struct {
	Path string
	Err  error
}

func (e *BrokenFileError) Error() string {
	return brokenFileText(e.Path, e.Err)
}

func (e *BrokenFileError) Unwrap() error { return e.Err }

type fileData struct {
	Schema   int       `json:"schema"`
	Contacts []Contact `json:"contacts"`
}

// Store is the contacts file of one data folder. Its methods are safe for
// concurrent use; changes from another process are picked up by the next
// read (Search, All, Get), which looks at the file's identity first.
type Store struct {
	path string
	// LockTimeout bounds the wait for another writer; 0 means DefaultLockTimeout.
	LockTimeout time.Duration
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	idx     *index      // contacts and their search index, never changed once built
	seen    os.FileInfo // the file idx was read from (nil: none)
	err     error       // the last read's error
	loading bool        // a big file is being read on a goroutine
	write   sync.Mutex  // orders this process's writers before the file lock
}

// Open returns the store of the contacts file in dir and reads it (a file
// over backgroundReadSize on a goroutine: the book is empty until then). A
// missing file is an empty book. A broken file gives a usable, empty store
// and a *BrokenFileError (from Err for a big one); the file is then never
// written over.
func Open(dir string) (*Store, error) {
	s := &Store{path: filepath.Join(dir, FileName), idx: buildIndex(nil)}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshLocked()
	return s, s.err
}

// Path is the contacts file's path.
func (s *Store) Path() string { return s.path }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// backgroundReadSize is the file size above which a changed file is read
// and indexed on a goroutine while searches go on with the index they have
// (about 10,000 contacts; 50,000 take a few hundred milliseconds to index,
// which must not hold a keystroke or the window's first frame).
const backgroundReadSize = 1 << 20

// refreshLocked re-reads the file when it is not the one last read (an
// atomic write replaces it, so its identity changes). Caller holds mu.
func (s *Store) refreshLocked() {
	fi, err := os.Stat(s.path)
	if err == nil && s.seen != nil && os.SameFile(fi, s.seen) && fi.ModTime().Equal(s.seen.ModTime()) && fi.Size() == s.seen.Size() {
		return
	}
	if errors.Is(err, fs.ErrNotExist) && s.seen == nil && s.err == nil {
		return
	}
	if s.loading {
		return
	}
	if err == nil && fi.Size() > backgroundReadSize {
		s.loading = true
		go func() {
			list, fi, err := s.read()
			var idx *index
			if err == nil {
				idx = buildIndex(list)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			s.loading, s.err = false, err
			if err == nil {
				s.idx, s.seen = idx, fi
			}
		}()
		return
	}
	list, fi, err := s.read()
	s.err = err
	if err != nil {
		return
	}
	s.seen = fi
	s.idx = buildIndex(list)
}

// read loads the file: a missing file is an empty list.
func (s *Store) read() ([]Contact, os.FileInfo, error) {
	f, fi, err := boundedfile.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	var refused *boundedfile.RefusedError
	if errors.As(err, &refused) {
		return nil, nil, &BrokenFileError{Path: s.path, Err: err}
	}
	if err != nil {
		return nil, nil, errRead(err)
	}
	defer f.Close()
	if fi.Size() > MaxFileSize {
		return nil, nil, &BrokenFileError{Path: s.path, Err: errFileTooLarge(MaxFileSize)}
	}
	var d fileData
	if err := json.NewDecoder(f).Decode(&d); err != nil {
		return nil, nil, &BrokenFileError{Path: s.path, Err: errDamaged(err)}
	}
	if d.Schema > SchemaVersion {
		return nil, nil, &BrokenFileError{Path: s.path, Err: errNewerSchema(d.Schema, SchemaVersion)}
	}
	list := d.Contacts[:0]
	seen := make(map[string]bool, len(d.Contacts))
	for _, c := range d.Contacts {
		k := key(c.Address)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		list = append(list, c)
	}
	return list, fi, nil
}

// snapshot is the current index, after looking at the file.
func (s *Store) snapshot() *index {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshLocked()
	return s.idx
}

// Err is the error of the last read of the file (nil when it was read).
func (s *Store) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshLocked()
	return s.err
}

// Len is the number of addresses in the book.
func (s *Store) Len() int { return len(s.snapshot().list) }

// All returns every contact, ranked as completion ranks them.
func (s *Store) All() []Contact { return s.Search("", 0) }

// Get returns the contact of addr (any case).
func (s *Store) Get(addr string) (Contact, bool) {
	idx := s.snapshot()
	i, ok := idx.byKey[key(addr)]
	if !ok {
		return Contact{}, false
	}
	return idx.list[i].clone(), true
}

func (c Contact) clone() Contact {
	c.With = append([]string(nil), c.With...)
	return c
}

// book is the contents being changed by update, keyed by address.
type book struct {
	list  []Contact
	byKey map[string]int
}

func (b *book) get(addr string) *Contact {
	if i, ok := b.byKey[key(addr)]; ok {
		return &b.list[i]
	}
	return nil
}

func (b *book) add(c Contact) *Contact {
	b.byKey[key(c.Address)] = len(b.list)
	b.list = append(b.list, c)
	return &b.list[len(b.list)-1]
}

// update runs change on the current contents under the file lock and
// writes the result atomically; the new contents replace the index.
func (s *Store) update(change func(b *book) error) error {
	s.write.Lock()
	defer s.write.Unlock()
	timeout := s.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return errSave(err)
	}
	unlock, err := filelock.Acquire(s.path+".lock", timeout)
	switch {
	case errors.Is(err, filelock.ErrBusy):
		return errBusy(timeout)
	case err != nil:
		return errLock(err)
	}
	defer unlock()
	list, _, err := s.read()
	if err != nil {
		return err
	}
	b := &book{list: make([]Contact, 0, len(list)+8), byKey: make(map[string]int, len(list)+8)}
	for _, c := range list {
		b.add(c.clone())
	}
	if err := change(b); err != nil {
		return err
	}
	sort.Slice(b.list, func(i, j int) bool { return key(b.list[i].Address) < key(b.list[j].Address) })
	d := fileData{Schema: SchemaVersion, Contacts: b.list}
	if d.Contacts == nil {
		d.Contacts = []Contact{}
	}
	data, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		return fmt.Errorf("encode the contacts: %w", err)
	}
	atomicfile.RemoveStaleTemps(s.path, time.Minute)
	data = append(data, '\n')
	if err := atomicfile.Write(s.path, 0o600, func(w io.Writer) error {
		half := len(data) / 2
		if _, err := w.Write(data[:half]); err != nil {
			return err
		}
		if midWrite != nil {
			midWrite()
		}
		_, err := w.Write(data[half:])
		return err
	}); err != nil {
		return errSave(err)
	}
	idx := buildIndex(b.list)
	fi, _ := os.Stat(s.path)
	s.mu.Lock()
	s.idx, s.seen, s.err = idx, fi, nil
	s.mu.Unlock()
	return nil
}
