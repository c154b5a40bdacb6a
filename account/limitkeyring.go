package account

import (
	"encoding/base64"
	"fmt"

	"stamp/i18n"
)

// ErrKeyringValueTooBig is what a LimitedKeyring returns for a value the
// real keyring would refuse.
var ErrKeyringValueTooBig = newTextError(i18n.M("account.keyring.value_too_big", "the keyring refuses a value this large"))

// Limits of the OS keyrings, as go-keyring meets them.
const (
	// WindowsCredentialLimit: Credential Manager's CRED_MAX_CREDENTIAL_BLOB_SIZE.
	WindowsCredentialLimit = 2560
	// MacSecurityCommandLimit: the line go-keyring feeds to macOS's
	// `security -i`, which holds about 4 KB.
	MacSecurityCommandLimit = 4096
)

// LimitedKeyring is a MemoryKeyring that refuses what Windows' Credential
// Manager or macOS's security command would refuse: a stand-in for tests of
// large tokens.
type LimitedKeyring struct {
	*MemoryKeyring
	// Largest is the size of the largest value stored so far.
	Largest int
	// FailSet, when set, is returned by Set only: a keyring that locks
	// between a read and a write.
	FailSet error
}

// NewLimitedKeyring returns an empty LimitedKeyring.
func NewLimitedKeyring() *LimitedKeyring { return &LimitedKeyring{MemoryKeyring: NewMemoryKeyring()} }

// Set refuses a value over either limit, as the real keyrings do.
func (l *LimitedKeyring) Set(service, user, secret string) error {
	l.mu.Lock()
	fail := l.FailSet
	l.mu.Unlock()
	if fail != nil {
		return fail
	}
	if len(secret) > WindowsCredentialLimit {
		return fmt.Errorf("windows: %w %s", ErrKeyringValueTooBig, i18n.T("account.keyring.too_big_windows", "({{.Size}} bytes > {{.Limit}})", map[string]any{"Size": len(secret), "Limit": WindowsCredentialLimit}))
	}
	// go-keyring on macOS: add-generic-password -U -s SERVICE -a USER -w "go-keyring-base64:BASE64"
	line := len("add-generic-password -U -s '' -a '' -w ''\n") + len(service) + len(user) +
		len("go-keyring-base64:") + base64.StdEncoding.EncodedLen(len(secret))
	if line > MacSecurityCommandLimit {
		return fmt.Errorf("macOS: %w %s", ErrKeyringValueTooBig, i18n.T("account.keyring.too_big_macos", "(a {{.Size}}-byte command line)", map[string]any{"Size": line}))
	}
	if err := l.MemoryKeyring.Set(service, user, secret); err != nil {
		return err
	}
	l.mu.Lock()
	l.Largest = max(l.Largest, len(secret))
	l.mu.Unlock()
	return nil
}

// Entries returns a copy of every value stored, for tests that check no
// entry holds more than it should.
func (m *MemoryKeyring) Entries() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]string, len(m.entries))
	for k, v := range m.entries {
		out[k[0]+"\x00"+k[1]] = v
	}
	return out
}
