package account

import (
	"fmt"

	"stamp/i18n"
)

// The words a person reads about the keyring, in the current language
// (i18n): why it cannot be used, and what to do about it.

// String describes the reason for a person, in the current language.
func (r Reason) String() string {
	switch r {
	case ReasonNoService:
		return i18n.T("account.keyring.reason.no_service", "no keyring service is running on this desktop")
	case ReasonLocked:
		return i18n.T("account.keyring.reason.locked", "the keyring is locked")
	case ReasonTimedOut:
		return i18n.T("account.keyring.reason.timed_out", "the keyring did not answer in time")
	case ReasonDenied:
		return i18n.T("account.keyring.reason.denied", "the keyring refused access")
	case ReasonUnsupported:
		return i18n.T("account.keyring.reason.unsupported", "this system has no keyring Stamp can use")
	case ReasonFailed:
		return i18n.T("account.keyring.reason.failed", "the keyring reported an error")
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

func (e *KeyringUnavailableError) Error() string {
	var op string
	switch e.Op {
	case "save":
		op = i18n.T("account.keyring.op.save", "save")
	case "read":
		op = i18n.T("account.keyring.op.read", "read")
	case "delete":
		op = i18n.T("account.keyring.op.delete", "delete")
	case "": // a keyring found missing before any operation
		op = i18n.T("account.keyring.op.use", "use")
	default:
		op = e.Op
	}
	what := i18n.T("account.keyring.what.password", "password")
	if e.SignIn {
		what = i18n.T("account.keyring.what.signin", "sign-in")
	}
	s := i18n.T("account.keyring.error", "cannot {{.Op}} the {{.What}} in the system keyring: {{.Reason}}",
		map[string]any{"Op": op, "What": what, "Reason": e.Reason.String()})
	if e.Err != nil {
		s += i18n.T("account.keyring.error_detail", " ({{.Detail}})", map[string]any{"Detail": e.Err.Error()})
	}
	if hint := e.Hint(); hint != "" {
		s = i18n.T("account.keyring.error_hint", "{{.Error}}. {{.Hint}}", map[string]any{"Error": s, "Hint": hint})
	}
	return s
}

// Hint says what the person can do about it, in the current language (a
// sentence without its final full stop).
func (e *KeyringUnavailableError) Hint() string {
	if e.SignIn {
		switch e.Reason {
		case ReasonNoService:
			return i18n.T("account.keyring.hint.signin.no_service", "Install and start a Secret Service keyring (on Debian or Ubuntu: sudo apt install gnome-keyring, then log in again; KWallet 6 or KeePassXC also work) and try again")
		case ReasonLocked:
			return i18n.T("account.keyring.hint.signin.locked", "Unlock the keyring (for example with Seahorse, \"Passwords and Keys\") and try again")
		case ReasonTimedOut:
			return i18n.T("account.keyring.hint.signin.timed_out", "If an unlock prompt is open, answer it and try again")
		case ReasonDenied:
			return i18n.T("account.keyring.hint.signin.denied", "Allow Stamp to use the keyring and try again")
		}
		return i18n.T("account.keyring.hint.signin.other", "Try again")
	}
	switch e.Reason {
	case ReasonNoService:
		return i18n.T("account.keyring.hint.no_service", "Install and start a Secret Service keyring (on Debian or Ubuntu: sudo apt install gnome-keyring, then log in again; KWallet 6 or KeePassXC also work) or enter the password each time")
	case ReasonLocked:
		return i18n.T("account.keyring.hint.locked", "Unlock the keyring (for example with Seahorse, \"Passwords and Keys\") and try again, or enter the password each time")
	case ReasonTimedOut:
		return i18n.T("account.keyring.hint.timed_out", "If an unlock prompt is open, answer it and try again; otherwise enter the password each time")
	case ReasonDenied:
		return i18n.T("account.keyring.hint.denied", "Allow Stamp to use the keyring, or enter the password each time")
	}
	return i18n.T("account.keyring.hint.other", "Enter the password each time")
}
