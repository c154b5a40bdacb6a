package account

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"stamp/i18n"
)

// KeyringService is the service name of Stamp's entries in the OS keyring;
// the entry's user name is the account ID.
const KeyringService = "Stamp"

// DefaultKeyringTimeout bounds every keyring call. It is generous because
// the desktop may be showing the person an unlock prompt.
const DefaultKeyringTimeout = 20 * time.Second

// ErrNoSecret says no password or token is saved for the account (neither in
// the keyring nor for this session): ask the person.
var ErrNoSecret = newTextError(i18n.M("account.err.no_secret", "no password saved for this account"))

// Reason says why the keyring could not be used.
type Reason int

const (
	// ReasonNoService: no keyring service on this desktop (no Secret Service
	// on the D-Bus session bus, no session bus at all).
	ReasonNoService Reason = iota + 1
	// ReasonLocked: the keyring is locked and was not unlocked (the unlock
	// prompt was dismissed or cannot be shown).
	ReasonLocked
	// ReasonTimedOut: the keyring did not answer in time.
	ReasonTimedOut
	// ReasonDenied: the keyring refused access.
	ReasonDenied
	// ReasonUnsupported: Stamp has no keyring support on this system.
	ReasonUnsupported
	// ReasonFailed: the keyring reported another error.
	ReasonFailed
)

// KeyringUnavailableError says the OS keyring could not be used, and why.
// Find it with errors.As. The honest fallback is to ask for the password
// and keep it for this session only (Secrets does that in Save).
type KeyringUnavailableError struct {
	Reason Reason
	// Op is what Stamp was doing: "save", "read" or "delete".
	Op string
	// Err is the underlying error; it never contains the secret.
	Err error
	// SignIn: the secret is an OAuth 2 sign-in, not a password (the text
	// then speaks of the sign-in, and offers no "enter the password").
	SignIn bool
}

// AboutSignIn returns err with the *KeyringUnavailableError it is (if it
// is one) marked SignIn, for a keyring call on an OAuth 2 account.
func AboutSignIn(err error) error {
	var ku *KeyringUnavailableError
	if !errors.As(err, &ku) || ku.SignIn {
		return err
	}
	c := *ku
	c.SignIn = true
	return &c
}

func (e *KeyringUnavailableError) Unwrap() error { return e.Err }

// PasswordLocation says where an account's password (or token) lives, so the
// UI and `stamp-send account list` can tell the person.
type PasswordLocation int

const (
	// LocationNone: nothing is saved; Stamp asks when it sends.
	LocationNone PasswordLocation = iota
	// LocationKeyring: in the OS keyring.
	LocationKeyring
	// LocationSession: in memory for this run only ("ask each time"),
	// because the keyring was unavailable or the person chose not to save it.
	LocationSession
	// LocationUnknown: the keyring could not be asked.
	LocationUnknown
)

// String describes the location for a person.
func (l PasswordLocation) String() string {
	switch l {
	case LocationNone:
		return "not saved (asked each time)"
	case LocationKeyring:
		return "system keyring"
	case LocationSession:
		return "this session only (asked again next time)"
	case LocationUnknown:
		return "unknown (keyring unavailable)"
	}
	return fmt.Sprintf("PasswordLocation(%d)", int(l))
}

// CredentialKind says what a Credential holds.
type CredentialKind string

const (
	// KindPassword is a password or app password / authorization code.
	KindPassword CredentialKind = "password"
	// KindOAuth2 is an OAuth 2 token set (for XOAUTH2).
	KindOAuth2 CredentialKind = "oauth2"
)

// OAuth2Token is what an OAuth 2 sign-in leaves behind.
type OAuth2Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	// Provider names the OAuth 2 endpoint set ("google", "microsoft").
	Provider string `json:"provider,omitempty"`
}

// String hides the tokens: printing an OAuth2Token with fmt (%v, %+v, %s)
// shows only its provider and expiry.
func (t OAuth2Token) String() string {
	exp := "no expiry"
	if !t.Expiry.IsZero() {
		exp = "expires " + t.Expiry.UTC().Format(time.RFC3339)
	}
	return "OAuth2Token{" + t.Provider + ", ********, " + exp + "}"
}

// GoString hides the tokens from %#v too.
func (t OAuth2Token) GoString() string { return t.String() }

// Credential is the secret of one account, as kept in one keyring entry.
// Printing it with fmt shows only its kind.
type Credential struct {
	Kind     CredentialKind
	Password string
	OAuth2   *OAuth2Token
}

// PasswordCredential wraps a password.
func PasswordCredential(pw string) Credential {
	return Credential{Kind: KindPassword, Password: pw}
}

// String hides the secret.
func (c Credential) String() string { return "Credential{" + string(c.Kind) + ", ********}" }

// GoString hides the secret from %#v too.
func (c Credential) GoString() string { return c.String() }

// Empty reports whether the credential holds no secret.
func (c Credential) Empty() bool {
	switch c.Kind {
	case KindPassword:
		return c.Password == ""
	case KindOAuth2:
		return c.OAuth2 == nil || c.OAuth2.AccessToken == "" && c.OAuth2.RefreshToken == ""
	}
	return true
}

// entry is the JSON stored in the keyring: versioned and tagged with its
// kind, so OAuth 2 tokens fit in the same place as passwords.
type entry struct {
	V        int            `json:"v"`
	Kind     CredentialKind `json:"kind"`
	Password string         `json:"password,omitempty"`
	OAuth2   *OAuth2Token   `json:"oauth2,omitempty"`
}

func encodeEntry(c Credential) (string, error) {
	b, err := json.Marshal(entry{V: 1, Kind: c.Kind, Password: c.Password, OAuth2: c.OAuth2})
	if err != nil {
		return "", fmt.Errorf("%s: %w", i18n.T("account.err.encode_entry", "encode the keyring entry"), err)
	}
	return string(b), nil
}

// decodeEntry reads an entry. A value that is not Stamp's JSON is taken as
// a bare password (an entry made by hand with secret-tool, say).
func decodeEntry(s string) Credential {
	var e entry
	if strings.HasPrefix(s, "{") && json.Unmarshal([]byte(s), &e) == nil && e.V >= 1 &&
		(e.Kind == KindPassword || e.Kind == KindOAuth2) {
		return Credential{Kind: e.Kind, Password: e.Password, OAuth2: e.OAuth2}
	}
	return PasswordCredential(s)
}

// Backend is a keyring: the OS keyring (SystemKeyring) or a MemoryKeyring.
// Not-found is reported as an error wrapping ErrNoSecret.
type Backend interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// Secrets keeps account secrets in a keyring, under a timeout, with an
// in-memory fallback for this session when the keyring is unavailable.
// It is safe for concurrent use.
type Secrets struct {
	backend Backend
	// Timeout bounds each keyring call; 0 means DefaultKeyringTimeout.
	Timeout time.Duration

	mu      sync.Mutex
	session map[string]Credential
	problem *KeyringUnavailableError
	// stuck counts calls that timed out and have not returned yet: while
	// one hangs (an unanswered unlock prompt), new calls fail at once
	// instead of piling up behind it.
	stuck atomic.Int32
}

// NewSecrets uses the OS keyring: the Secret Service (GNOME Keyring,
// KWallet, KeePassXC) on Linux and BSD, the Keychain on macOS, the Credential
// Manager on Windows.
func NewSecrets() *Secrets { return NewSecretsWith(SystemKeyring()) }

// NewSecretsWith uses the given keyring (a MemoryKeyring in tests).
func NewSecretsWith(b Backend) *Secrets {
	return &Secrets{backend: b, session: make(map[string]Credential)}
}

// Save stores the account's secret in the keyring and returns
// LocationKeyring. When the keyring is unavailable it keeps the secret in
// memory for this session instead and returns LocationSession with a nil
// error; Problem then says why. Other errors are returned as they are.
// The parts of a split refresh token the entry held before are deleted
// once the new entry is written.
func (s *Secrets) Save(ctx context.Context, id string, c Credential) (PasswordLocation, error) {
	if err := ValidateID(id); err != nil {
		return LocationNone, err
	}
	if c.Empty() {
		return LocationNone, errors.New(i18n.T("account.err.password_empty", "the password is empty"))
	}
	value, err := encodeEntry(c)
	if err != nil {
		return LocationNone, err
	}
	// The old head may point to the parts of a split refresh token: once
	// the new entry is written nothing points to them, so delete them then.
	oldHead, oldErr := s.rawGet(ctx, id)
	loc, err := s.settle(id, c, s.call(ctx, "save", func() error { return s.backend.Set(KeyringService, id, value) }))
	if loc == LocationKeyring && oldErr == nil {
		s.deleteParts(ctx, id, oldHead.splitHead, true)
	}
	return loc, err
}

// settle ends a save: the keyring took the secret (err nil: drop this
// session's copy, LocationKeyring), or it is unavailable (keep c for this
// session, LocationSession, nil error), or another error.
func (s *Secrets) settle(id string, c Credential, err error) (PasswordLocation, error) {
	var ku *KeyringUnavailableError
	switch {
	case err == nil:
		s.ForgetSession(id)
		return LocationKeyring, nil
	case errors.As(err, &ku):
		s.KeepForSession(id, c)
		return LocationSession, nil
	}
	return LocationNone, err
}

// SavePassword is Save for a password.
func (s *Secrets) SavePassword(ctx context.Context, id, password string) (PasswordLocation, error) {
	return s.Save(ctx, id, PasswordCredential(password))
}

// KeepForSession holds the secret in memory for this run only, without
// touching the keyring ("ask each time"). It wins over a keyring entry
// until Delete or a successful Save.
func (s *Secrets) KeepForSession(id string, c Credential) {
	s.mu.Lock()
	s.session[id] = c
	s.mu.Unlock()
}

// ForgetSession drops the secret kept for this session (after the server
// refused it), so the next send asks again. The keyring is not touched.
func (s *Secrets) ForgetSession(id string) {
	s.mu.Lock()
	delete(s.session, id)
	s.mu.Unlock()
}

// Get returns the account's secret and where it was found: this session's
// memory first, then the keyring. Nothing saved is an error wrapping
// ErrNoSecret; an unusable keyring is a *KeyringUnavailableError. In both
// cases the caller should ask the person for the password.
func (s *Secrets) Get(ctx context.Context, id string) (Credential, PasswordLocation, error) {
	s.mu.Lock()
	c, ok := s.session[id]
	s.mu.Unlock()
	if ok {
		return c, LocationSession, nil
	}
	value, err := s.read(ctx, id)
	switch {
	case err == nil:
		return decodeEntry(value), LocationKeyring, nil
	case errors.Is(err, ErrNoSecret):
		return Credential{}, LocationNone, fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}), ErrNoSecret)
	}
	return Credential{}, LocationUnknown, err
}

// read returns the keyring entry named user (an account ID or a PartName).
func (s *Secrets) read(ctx context.Context, user string) (string, error) {
	var value string
	err := s.call(ctx, "read", func() error {
		v, err := s.backend.Get(KeyringService, user)
		value = v
		return err
	})
	if err != nil {
		// On a time-out or a cancel call returns while fn may still be
		// writing value: read it only after fn's own answer.
		return "", err
	}
	return value, nil
}

// Password is Get for a password account. An OAuth 2 entry is an error.
func (s *Secrets) Password(ctx context.Context, id string) (string, PasswordLocation, error) {
	c, loc, err := s.Get(ctx, id)
	if err != nil {
		return "", loc, err
	}
	if c.Kind != KindPassword {
		return "", loc, errors.New(i18n.T("account.err.keeps_signin", "account {{.Account}} keeps an OAuth 2 sign-in, not a password", map[string]any{"Account": fmt.Sprintf("%q", id)}))
	}
	return c.Password, loc, nil
}

// Location says where the account's secret lives without returning it.
func (s *Secrets) Location(ctx context.Context, id string) (PasswordLocation, error) {
	_, loc, err := s.Get(ctx, id)
	if errors.Is(err, ErrNoSecret) {
		return LocationNone, nil
	}
	return loc, err
}

// Delete forgets the account's secrets, in this session and in the
// keyring: the password or refresh token (with the parts of a split one,
// see SaveRefreshToken) and the OAuth 2 client secret. A secret that was
// never saved is not an error.
func (s *Secrets) Delete(ctx context.Context, id string) error {
	if head, err := s.rawGet(ctx, id); err == nil {
		s.deleteParts(ctx, id, head.splitHead, false)
	}
	err := s.deleteEntry(ctx, id)
	if err == nil && ValidateID(id) == nil {
		if cerr := s.SaveClientSecret(ctx, id, ""); err == nil {
			err = cerr
		}
	}
	return err
}

// deleteEntry forgets the account's own entry, in this session and in the
// keyring.
func (s *Secrets) deleteEntry(ctx context.Context, id string) error {
	s.mu.Lock()
	delete(s.session, id)
	s.mu.Unlock()
	err := s.call(ctx, "delete", func() error { return s.backend.Delete(KeyringService, id) })
	if errors.Is(err, ErrNoSecret) {
		return nil
	}
	return err
}

// Problem returns why the keyring was last unusable, or nil when the last
// keyring call worked.
func (s *Secrets) Problem() *KeyringUnavailableError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.problem
}

// call runs one keyring operation under the timeout. The operation runs on
// its own goroutine because a keyring can block forever (a locked
// collection waiting for a prompt nobody answers); if it does, call
// returns a *KeyringUnavailableError and the goroutine ends whenever the
// keyring answers.
func (s *Secrets) call(ctx context.Context, op string, fn func() error) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultKeyringTimeout
	}
	if err := ctx.Err(); err != nil {
		return err // the caller gave up before asking: not the keyring's fault
	}
	if s.stuck.Load() > 0 {
		return s.note(&KeyringUnavailableError{Reason: ReasonTimedOut, Op: op,
			Err: errors.New(i18n.T("account.keyring.still_waiting", "an earlier keyring request is still waiting for an answer"))})
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1)
	var returned, counted atomic.Bool
	go func() {
		err := fn()
		if returned.Swap(true) && counted.Load() {
			s.stuck.Add(-1) // the caller gave up on us; we are no longer stuck
		}
		done <- err
	}()
	select {
	case err := <-done:
		returned.Store(true)
		if err == nil {
			s.note(nil)
			return nil
		}
		if errors.Is(err, ErrNoSecret) {
			s.note(nil)
			return err
		}
		return s.note(classify(op, err))
	case <-tctx.Done():
		// A call the caller cancelled (not the keyring's time-out) does
		// not make the keyring stuck for the calls after it.
		count := ctx.Err() == nil
		counted.Store(count)
		if !returned.Swap(true) {
			if count {
				s.stuck.Add(1)
			}
		} else {
			// fn finished at the same moment: use its result.
			err := <-done
			if err == nil || errors.Is(err, ErrNoSecret) {
				s.note(nil)
				return err
			}
			return s.note(classify(op, err))
		}
		if ctx.Err() != nil {
			return ctx.Err() // the caller cancelled; not the keyring's fault
		}
		return s.note(&KeyringUnavailableError{Reason: ReasonTimedOut, Op: op,
			Err: errors.New(i18n.T("account.keyring.no_answer_within", "no answer within {{.Timeout}}", map[string]any{"Timeout": timeout.String()}))})
	}
}

func (s *Secrets) note(e *KeyringUnavailableError) error {
	s.mu.Lock()
	s.problem = e
	s.mu.Unlock()
	if e == nil {
		return nil
	}
	return e
}

// MemoryKeyring is a Backend that keeps entries in memory: for tests, and
// for UI tests that must not touch the person's real keyring. Setting Fail
// makes every call return it (as a keyring would when it is unavailable).
type MemoryKeyring struct {
	mu      sync.Mutex
	entries map[[2]string]string
	Fail    error
}

// NewMemoryKeyring returns an empty MemoryKeyring.
func NewMemoryKeyring() *MemoryKeyring {
	return &MemoryKeyring{entries: make(map[[2]string]string)}
}

// Set stores secret for service and user.
func (m *MemoryKeyring) Set(service, user, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	m.entries[[2]string{service, user}] = secret
	return nil
}

// Get returns the secret for service and user.
func (m *MemoryKeyring) Get(service, user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", m.Fail
	}
	v, ok := m.entries[[2]string{service, user}]
	if !ok {
		return "", ErrNoSecret
	}
	return v, nil
}

// Delete removes the secret for service and user.
func (m *MemoryKeyring) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	k := [2]string{service, user}
	if _, ok := m.entries[k]; !ok {
		return ErrNoSecret
	}
	delete(m.entries, k)
	return nil
}

// Len is the number of entries.
func (m *MemoryKeyring) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.entries)
}
