//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package account

// secretServicePresent has nothing to check where the keyring is part of
// the system (macOS Keychain, Windows Credential Manager).
func secretServicePresent() error { return nil }

func dbusErrorName(error) string { return "" }
