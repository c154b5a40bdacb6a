package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"stamp/i18n"
)

// MaxKeyringValue is the largest value Stamp puts in one keyring entry.
// Windows' Credential Manager refuses a secret over 2,560 bytes and macOS's
// security command line holds about 4 KB (go-keyring base64-encodes the
// value there); 2,000 bytes fits both. Longer refresh tokens are split
// across numbered entries.
const MaxKeyringValue = 2000

// ErrTokenDamaged says the parts of a split refresh token in the keyring do
// not fit together (one was changed or deleted by hand): sign in again.
var ErrTokenDamaged = newTextError(i18n.M("account.err.token_damaged", "the saved sign-in in the keyring is damaged"))

// splitHead is the account's entry when its refresh token is split: the
// usual entry (kind oauth2, no token) plus where the parts are.
type splitHead struct {
	entry
	// Parts is the number of part entries, named PartName(id, Gen, i).
	Parts int `json:"parts"`
	// Gen names this generation of parts, so a new token's parts never
	// overwrite the ones the head still points to.
	Gen string `json:"gen"`
	// Sum is the hex SHA-256 of the whole token, to check the assembly.
	Sum string `json:"sum"`
}

// PartName is the keyring user name of part i (from 1) of a split token.
// Account IDs cannot contain "/", so it never names an account.
func PartName(id, gen string, i int) string { return fmt.Sprintf("%s/oauth2-part/%s/%d", id, gen, i) }

// SaveRefreshToken keeps an OAuth 2 refresh token for the account, and
// nothing else of the token set (access tokens stay in memory). The entry
// is the account's usual one (kind oauth2) when it fits in
// MaxKeyringValue; a longer token is split across part entries, written
// before the head that points to them, so a crash leaves the old sign-in
// whole. When the keyring is unavailable the token is kept for this
// session and LocationSession comes back with a nil error.
func (s *Secrets) SaveRefreshToken(ctx context.Context, id, provider, token string) (PasswordLocation, error) {
	if err := ValidateID(id); err != nil {
		return LocationNone, err
	}
	if token == "" {
		return LocationNone, errors.New(i18n.T("account.err.refresh_token_empty", "the refresh token is empty"))
	}
	cred := Credential{Kind: KindOAuth2, OAuth2: &OAuth2Token{RefreshToken: token, Provider: provider}}
	value, err := encodeEntry(cred)
	if err != nil {
		return LocationNone, err
	}
	oldHead, oldErr := s.rawGet(ctx, id)
	if len(value) <= MaxKeyringValue {
		err = s.call(ctx, "save", func() error { return s.backend.Set(KeyringService, id, value) })
	} else {
		err = s.saveSplit(ctx, id, provider, token)
	}
	loc, err := s.settle(id, cred, err)
	if loc == LocationKeyring && oldErr == nil {
		s.deleteParts(ctx, id, oldHead.splitHead, true)
	}
	return loc, err
}

func (s *Secrets) saveSplit(ctx context.Context, id, provider, token string) error {
	gen := make([]byte, 4)
	rand.Read(gen)
	h := splitHead{entry: entry{V: 1, Kind: KindOAuth2, OAuth2: &OAuth2Token{Provider: provider}},
		Gen: hex.EncodeToString(gen)}
	sum := sha256.Sum256([]byte(token))
	h.Sum = hex.EncodeToString(sum[:])
	for rest := token; rest != ""; {
		n := min(len(rest), MaxKeyringValue)
		part := rest[:n]
		rest = rest[n:]
		h.Parts++
		name := PartName(id, h.Gen, h.Parts)
		if err := s.call(ctx, "save", func() error { return s.backend.Set(KeyringService, name, part) }); err != nil {
			s.deleteParts(ctx, id, h, false)
			return err
		}
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := s.call(ctx, "save", func() error { return s.backend.Set(KeyringService, id, string(b)) }); err != nil {
		s.deleteParts(ctx, id, h, false)
		return err
	}
	return nil
}

// RefreshToken returns the account's refresh token and its provider, from
// this session's memory or the keyring, putting a split token together.
// Nothing saved is an error wrapping ErrNoSecret; a password entry is an
// error too.
func (s *Secrets) RefreshToken(ctx context.Context, id string) (token, provider string, loc PasswordLocation, err error) {
	s.mu.Lock()
	c, ok := s.session[id]
	s.mu.Unlock()
	if ok {
		return refreshOf(id, c, LocationSession)
	}
	head, err := s.rawGet(ctx, id)
	switch {
	case errors.Is(err, ErrNoSecret):
		return "", "", LocationNone, fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}), ErrNoSecret)
	case err != nil:
		return "", "", LocationUnknown, err
	}
	if head.Parts == 0 {
		return refreshOf(id, decodeEntry(head.raw), LocationKeyring)
	}
	var b strings.Builder
	for i := 1; i <= head.Parts; i++ {
		name := PartName(id, head.Gen, i)
		part, err := s.read(ctx, name)
		if errors.Is(err, ErrNoSecret) {
			return "", "", LocationKeyring, fmt.Errorf("%s: %s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}),
				i18n.T("account.err.part_missing", "part {{.Part}} of {{.Parts}} is missing", map[string]any{"Part": i, "Parts": head.Parts}), ErrTokenDamaged)
		}
		if err != nil {
			return "", "", LocationUnknown, err
		}
		b.WriteString(part)
	}
	sum := sha256.Sum256([]byte(b.String()))
	if hex.EncodeToString(sum[:]) != head.Sum {
		return "", "", LocationKeyring, fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}), ErrTokenDamaged)
	}
	provider = ""
	if head.OAuth2 != nil {
		provider = head.OAuth2.Provider
	}
	return b.String(), provider, LocationKeyring, nil
}

// refreshOf is RefreshToken's answer for a whole credential found at loc.
func refreshOf(id string, c Credential, loc PasswordLocation) (token, provider string, _ PasswordLocation, err error) {
	if c.Kind != KindOAuth2 || c.OAuth2 == nil || c.OAuth2.RefreshToken == "" {
		return "", "", loc, fmt.Errorf("%s: %w", i18n.T("account.err.keeps_password", "account {{.Account}} keeps a password, not a sign-in", map[string]any{"Account": fmt.Sprintf("%q", id)}), ErrNoSecret)
	}
	return c.OAuth2.RefreshToken, c.OAuth2.Provider, loc, nil
}

// DeleteRefreshToken forgets the account's sign-in: the entry, its parts
// and this session's copy. Nothing saved is not an error.
func (s *Secrets) DeleteRefreshToken(ctx context.Context, id string) error {
	head, err := s.rawGet(ctx, id)
	if err == nil {
		s.deleteParts(ctx, id, head.splitHead, false)
	}
	return s.deleteEntry(ctx, id)
}

type rawHead struct {
	splitHead
	raw string
}

func (s *Secrets) rawGet(ctx context.Context, id string) (rawHead, error) {
	value, err := s.read(ctx, id)
	if err != nil {
		return rawHead{}, err
	}
	h := rawHead{raw: value}
	if strings.HasPrefix(value, "{") && json.Unmarshal([]byte(value), &h.splitHead) == nil && h.Parts > 0 {
		if h.Parts > 1000 || h.Gen == "" || strings.Contains(h.Gen, "/") {
			return rawHead{}, fmt.Errorf("%s: %w", i18n.T("account.err.account", "account {{.Account}}", map[string]any{"Account": fmt.Sprintf("%q", id)}), ErrTokenDamaged)
		}
		return h, nil
	}
	h.splitHead = splitHead{}
	return h, nil
}

// deleteParts removes the parts head points to; with onlyStale, only when
// the entry no longer points to them (after a new token replaced them).
func (s *Secrets) deleteParts(ctx context.Context, id string, head splitHead, onlyStale bool) {
	if head.Parts == 0 {
		return
	}
	if onlyStale {
		if cur, err := s.rawGet(ctx, id); err != nil || cur.Gen == head.Gen {
			return
		}
	}
	for i := 1; i <= head.Parts; i++ {
		name := PartName(id, head.Gen, i)
		s.call(ctx, "delete", func() error { return s.backend.Delete(KeyringService, name) })
	}
}
