package account

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/zalando/go-keyring"
)

// systemKeyring is the OS keyring through github.com/zalando/go-keyring.
type systemKeyring struct {
	// found remembers that the keyring service answered once, so the check
	// does not run before every call. A failed check is not remembered: the
	// person may start their keyring while Stamp runs.
	mu    sync.Mutex
	found bool
}

// SystemKeyring returns the OS keyring as a Backend. On Linux and BSD it
// first makes sure a Secret Service is on the D-Bus session bus, without
// ever starting a bus of its own.
func SystemKeyring() Backend { return &systemKeyring{} }

func (k *systemKeyring) check() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.found {
		return nil
	}
	err := secretServicePresent()
	k.found = err == nil
	return err
}

func (k *systemKeyring) Set(service, user, secret string) error {
	if err := k.check(); err != nil {
		return err
	}
	return notFound(keyring.Set(service, user, secret))
}

func (k *systemKeyring) Get(service, user string) (string, error) {
	if err := k.check(); err != nil {
		return "", err
	}
	v, err := keyring.Get(service, user)
	return v, notFound(err)
}

func (k *systemKeyring) Delete(service, user string) error {
	if err := k.check(); err != nil {
		return err
	}
	return notFound(keyring.Delete(service, user))
}

func notFound(err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("%w (%v)", ErrNoSecret, err)
	}
	return err
}

// classify turns a keyring error into a *KeyringUnavailableError with the
// best reason the error's text allows: the keyring libraries report D-Bus
// errors, exit codes of macOS's security tool and Windows error numbers,
// with few types to go on.
func classify(op string, err error) *KeyringUnavailableError {
	var ku *KeyringUnavailableError
	if errors.As(err, &ku) {
		if ku.Op == "" {
			c := *ku
			c.Op = op
			return &c
		}
		return ku
	}
	return &KeyringUnavailableError{Reason: reasonFor(err), Op: op, Err: err}
}

func reasonFor(err error) Reason {
	if errors.Is(err, keyring.ErrUnsupportedPlatform) {
		return ReasonUnsupported
	}
	msg := strings.ToLower(err.Error())
	if name := dbusErrorName(err); name != "" {
		msg = strings.ToLower(name) + " " + msg
	}
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(msg, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("serviceunknown", "namehasnoowner", "was not provided by any .service",
		"couldn't determine address of session bus", "no such file or directory", "connection refused",
		"unknownobject", "no such object", "object does not exist",
		"a specified logon session does not exist", "no keychain"):
		return ReasonNoService
	case has("islocked", "is locked", "failed to unlock", "user interaction is not allowed",
		"user canceled", "user cancelled", "dismissed"):
		return ReasonLocked
	case has("noreply", "timeout", "timed out"):
		return ReasonTimedOut
	case has("accessdenied", "access denied", "access is denied", "not allowed", "permission denied",
		"authorization", "interactionnotallowed"):
		return ReasonDenied
	}
	return ReasonFailed
}
