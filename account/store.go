package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"stamp/i18n"
	"stamp/internal/atomicfile"
	"stamp/internal/boundedfile"
	"stamp/internal/filelock"
)

// SchemaVersion is the newest version of accounts.json this code reads and
// writes. A file with a newer version is never rewritten (its fields would
// be lost). Version 2 added Account.OAuth; a file without an OAuth account
// is still written as version 1, so older Stamps keep using it, and one
// with an OAuth account as version 2, so they leave it untouched instead
// of dropping the sign-in settings.
const SchemaVersion = 2

// FileName is the settings file inside the store's folder.
const FileName = "accounts.json"

// ConfigDirEnv names an environment variable that, when set, replaces the
// default settings folder (for portable installs and for tests).
const ConfigDirEnv = "STAMP_CONFIG_DIR"

// DefaultLockTimeout bounds the wait for another writer to finish.
const DefaultLockTimeout = 10 * time.Second

var (
	// ErrNoAccount is returned (wrapped, with the name) for an account that
	// does not exist.
	ErrNoAccount = newTextError(i18n.M("account.err.no_account", "no such account"))
	// ErrAccountExists is returned by Add for an ID that is already taken.
	ErrAccountExists = newTextError(i18n.M("account.err.exists", "an account with this name already exists"))
)

// BrokenFileError says the settings file exists but cannot be understood.
// The file is left exactly as it was; Store.Reset keeps it aside and starts
// with no accounts, and only when the person asks for it.
type BrokenFileError struct {
	Path string
	Err  error
}

func (e *BrokenFileError) Error() string {
	return i18n.T("account.err.broken_file", "the account settings file {{.Path}} cannot be read ({{.Error}}); it has been left untouched. Fix it by hand, or reset to keep it aside as {{.Name}}.broken-<time> and start with no accounts",
		map[string]any{"Path": e.Path, "Error": fmt.Sprint(e.Err), "Name": filepath.Base(e.Path)})
}

func (e *BrokenFileError) Unwrap() error { return e.Err }

// NewerFileError says the settings file was written by a newer Stamp. It is
// never rewritten by this version, which would drop what it does not know.
type NewerFileError struct {
	Path      string
	Found     int
	Supported int
}

func (e *NewerFileError) Error() string {
	return fmt.Sprintf("the account settings file %s has schema version %d, but this Stamp understands "+
		"only up to version %d; update Stamp (the file has been left untouched)", e.Path, e.Found, e.Supported)
}

// fileData is the JSON shape of accounts.json. There is deliberately no
// field that could hold a secret.
type fileData struct {
	Schema   int       `json:"schema"`
	Default  string    `json:"default,omitempty"`
	Accounts []Account `json:"accounts"`
}

// Store keeps accounts in FileName inside one folder. Every change takes a
// lock, re-reads the file, applies the change and writes a new file
// atomically, so two writers (two windows, the app and stamp-send) never lose
// each other's updates. Reads take no lock: they always see a whole file.
type Store struct {
	dir  string
	path string
	// LockTimeout bounds the wait for another writer; 0 means DefaultLockTimeout.
	LockTimeout time.Duration
}

// DefaultDir is where Stamp keeps its settings: $STAMP_CONFIG_DIR when set,
// otherwise "Stamp" inside os.UserConfigDir() (~/.config/Stamp on Linux,
// ~/Library/Application Support/Stamp on macOS, %AppData%\Stamp on Windows).
func DefaultDir() (string, error) {
	if d := os.Getenv(ConfigDirEnv); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("%s: %w", i18n.T("account.err.find_folder", "find the settings folder"), err)
	}
	return filepath.Join(base, "Stamp"), nil
}

// Open returns the store in dir, creating the folder (mode 0700) if needed.
// An empty dir means DefaultDir(). Open does not read the file, so it
// succeeds even when the file is broken; List and the rest report that.
func Open(dir string) (*Store, error) {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("account.err.settings_folder_named", "settings folder {{.Path}}", map[string]any{"Path": fmt.Sprintf("%q", dir)}), err)
	}
	_, statErr := os.Stat(abs)
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("account.err.create_folder", "create the settings folder"), err)
	}
	// MkdirAll leaves an existing folder's mode alone. The folder holds
	// nothing secret, but which accounts exist is nobody else's business:
	// make Stamp's own folder private. A folder of another name was chosen
	// by the person ($STAMP_CONFIG_DIR) and is left as it is.
	if statErr == nil && filepath.Base(abs) == "Stamp" {
		if err := tightenDir(abs); err != nil {
			return nil, err
		}
	}
	return &Store{dir: abs, path: filepath.Join(abs, FileName)}, nil
}

// Dir is the store's folder.
func (s *Store) Dir() string { return s.dir }

// Path is the settings file's path.
func (s *Store) Path() string { return s.path }

// List returns every account in the order they were added. The default one
// has Default set.
func (s *Store) List() ([]Account, error) {
	d, err := s.read()
	if err != nil {
		return nil, err
	}
	return d.Accounts, nil
}

// Get returns the account with exactly this ID, or an error wrapping
// ErrNoAccount.
func (s *Store) Get(id string) (Account, error) {
	d, err := s.read()
	if err != nil {
		return Account{}, err
	}
	if i := d.index(id); i >= 0 {
		return d.Accounts[i], nil
	}
	return Account{}, fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}), ErrNoAccount)
}

// Find returns the account a person means by name: the exact ID, else the
// one ID or label equal to name ignoring case, else the one account whose
// address is name. Several matches are an error that lists them.
func (s *Store) Find(name string) (Account, error) {
	d, err := s.read()
	if err != nil {
		return Account{}, err
	}
	if i := d.index(name); i >= 0 {
		return d.Accounts[i], nil
	}
	for _, match := range []func(Account) bool{
		func(a Account) bool { return strings.EqualFold(a.ID, name) },
		func(a Account) bool { return a.Label != "" && strings.EqualFold(a.Label, name) },
		func(a Account) bool { return strings.EqualFold(a.Address, name) },
	} {
		var found []Account
		for _, a := range d.Accounts {
			if match(a) {
				found = append(found, a)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		}
		ids := make([]string, len(found))
		for i, a := range found {
			ids[i] = strconv.Quote(a.ID)
		}
		return Account{}, errors.New(i18n.T("account.err.ambiguous", "{{.Name}} matches several accounts ({{.IDs}}); use the exact name", map[string]any{"Name": fmt.Sprintf("%q", name), "IDs": strings.Join(ids, ", ")}))
	}
	return Account{}, fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", name)}), ErrNoAccount)
}

// Default returns the default account, or an error wrapping ErrNoAccount
// when there are no accounts.
func (s *Store) Default() (Account, error) {
	d, err := s.read()
	if err != nil {
		return Account{}, err
	}
	for _, a := range d.Accounts {
		if a.Default {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("%s: %w", i18n.T("account.err.no_default", "no default account"), ErrNoAccount)
}

// Put validates a and saves it, replacing the account with the same ID or
// adding it at the end. If a.Default is set, or it is the only account, it
// becomes the default.
func (s *Store) Put(a Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.update(func(d *fileData) error {
		if i := d.index(a.ID); i >= 0 {
			d.Accounts[i] = a
		} else {
			d.Accounts = append(d.Accounts, a)
		}
		if a.Default {
			d.Default = a.ID
		}
		return nil
	})
}

// Add is Put for a new account: it fails with ErrAccountExists when the ID
// is taken.
func (s *Store) Add(a Account) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.update(func(d *fileData) error {
		if d.index(a.ID) >= 0 {
			return fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}), ErrAccountExists)
		}
		d.Accounts = append(d.Accounts, a)
		if a.Default {
			d.Default = a.ID
		}
		return nil
	})
}

// SetDefault makes the account with this ID the default.
func (s *Store) SetDefault(id string) error {
	return s.update(func(d *fileData) error {
		if d.index(id) < 0 {
			return fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}), ErrNoAccount)
		}
		d.Default = id
		return nil
	})
}

// Remove deletes the account's settings and then its secret in the keyring
// (through secrets; nil removes the settings only). If the default account
// is removed, the first remaining one becomes the default. When the settings
// are gone but the keyring could not be reached, the error is a
// *KeyringUnavailableError saying so.
func (s *Store) Remove(ctx context.Context, id string, secrets *Secrets) error {
	err := s.update(func(d *fileData) error {
		i := d.index(id)
		if i < 0 {
			return fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}), ErrNoAccount)
		}
		d.Accounts = append(d.Accounts[:i], d.Accounts[i+1:]...)
		return nil
	})
	if err != nil || secrets == nil {
		return err
	}
	if err := secrets.Delete(ctx, id); err != nil {
		return fmt.Errorf("%s: %w", i18n.T("account.err.removed_secret_kept", "account {{.Account}} was removed, but its password could not be deleted from the keyring", map[string]any{"Account": fmt.Sprintf("%q", id)}), err)
	}
	return nil
}

// SuggestID proposes a free account ID for an address: the address itself
// in lower case, or with "-2", "-3", ... appended when it is taken.
func (s *Store) SuggestID(address string) (string, error) {
	d, err := s.read()
	if err != nil {
		return "", err
	}
	base := strings.ToLower(strings.TrimSpace(address))
	if ValidateID(base) != nil {
		base = "account"
	}
	if r := []rune(base); len(r) > MaxIDLength-4 {
		base = string(r[:MaxIDLength-4])
	}
	id := base
	for n := 2; d.index(id) >= 0; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id, nil
}

// Reset starts over with no accounts. An existing settings file (broken or
// not) is not deleted: it is renamed to accounts.json.broken-<time> in the
// same folder, and that path is returned ("" when there was no file).
// Secrets in the keyring are left alone. Call it only when the person has
// agreed to start empty.
func (s *Store) Reset() (keptAt string, err error) {
	unlock, err := s.lock()
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Lstat(s.path); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	keptAt = s.path + ".broken-" + stamp
	for n := 2; ; n++ {
		if _, err := os.Lstat(keptAt); errors.Is(err, fs.ErrNotExist) {
			break
		}
		keptAt = s.path + ".broken-" + stamp + "-" + strconv.Itoa(n)
	}
	if err := os.Rename(s.path, keptAt); err != nil {
		return "", fmt.Errorf("%s: %w", i18n.T("account.err.keep_aside", "keep the old settings file aside"), err)
	}
	if err := atomicfile.SyncDir(s.dir); err != nil {
		return keptAt, err
	}
	return keptAt, nil
}

func (d *fileData) index(id string) int {
	for i, a := range d.Accounts {
		if a.ID == id {
			return i
		}
	}
	return -1
}

// read loads the file; a missing file is an empty store. Only a regular
// file of at most boundedfile.DefaultLimit bytes is read: opening a FIFO would block for
// ever, and a device such as /dev/zero never ends.
func (s *Store) read() (*fileData, error) {
	data, err := boundedfile.Read(s.path, boundedfile.DefaultLimit)
	var refused *boundedfile.RefusedError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &fileData{Schema: SchemaVersion}, nil
	case errors.As(err, &refused):
		return nil, &BrokenFileError{Path: s.path, Err: err}
	case err != nil:
		return nil, fmt.Errorf("%s: %w", i18n.T("account.err.read_settings", "read the account settings"), err)
	}
	return parseFile(s.path, data)
}

func parseFile(path string, data []byte) (*fileData, error) {
	var d fileData
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, &BrokenFileError{Path: path, Err: err}
	}
	switch {
	case d.Schema > SchemaVersion:
		return nil, &NewerFileError{Path: path, Found: d.Schema, Supported: SchemaVersion}
	case d.Schema < 1:
		return nil, &BrokenFileError{Path: path, Err: errors.New(i18n.T("account.err.no_schema", `no "schema" version`))}
	}
	seen := make(map[string]bool, len(d.Accounts))
	for i, a := range d.Accounts {
		if a.ID == "" {
			return nil, &BrokenFileError{Path: path, Err: errors.New(i18n.T("account.err.no_id", "account {{.Number}} has no id", map[string]any{"Number": i + 1}))}
		}
		if seen[a.ID] {
			return nil, &BrokenFileError{Path: path, Err: errors.New(i18n.T("account.err.duplicate_id", "two accounts have the id {{.ID}}", map[string]any{"ID": fmt.Sprintf("%q", a.ID)}))}
		}
		seen[a.ID] = true
	}
	d.normalize()
	return &d, nil
}

// normalize keeps exactly one default while there is any account.
func (d *fileData) normalize() {
	if d.index(d.Default) < 0 {
		d.Default = ""
		if len(d.Accounts) > 0 {
			d.Default = d.Accounts[0].ID
		}
	}
	for i := range d.Accounts {
		d.Accounts[i].Default = d.Accounts[i].ID == d.Default
	}
}

// update runs change on the current contents under the writer lock and
// writes the result atomically.
func (s *Store) update(change func(*fileData) error) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	d, err := s.read()
	if err != nil {
		return err
	}
	if err := change(d); err != nil {
		return err
	}
	d.Schema = 1
	for _, a := range d.Accounts {
		if a.OAuth != nil {
			d.Schema = 2
		}
	}
	d.normalize()
	if d.Accounts == nil {
		d.Accounts = []Account{}
	}
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", i18n.T("account.err.encode_settings", "encode the account settings"), err)
	}
	// Temporary files of a writer that crashed: no live writer owns them
	// under the lock.
	atomicfile.RemoveStaleTemps(s.path, time.Minute)
	if err := writeFileAtomic(s.path, append(data, '\n')); err != nil {
		return fmt.Errorf("%s: %w", i18n.T("account.err.save_settings", "save the account settings"), err)
	}
	return nil
}

// lock takes the writer lock (a separate lock file, because the settings
// file itself is replaced on every write).
func (s *Store) lock() (unlock func(), err error) {
	timeout := s.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	unlock, err = filelock.Acquire(s.path+".lock", timeout)
	switch {
	case errors.Is(err, filelock.ErrBusy):
		return nil, errors.New(i18n.T("account.err.locked", "the account settings are being changed by another Stamp (still locked after {{.Duration}}); try again", map[string]any{"Duration": timeout.String()}))
	case err != nil:
		return nil, fmt.Errorf("%s: %w", i18n.T("account.err.lock_settings", "lock the account settings"), err)
	}
	return unlock, nil
}
