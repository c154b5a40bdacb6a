//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package account

import (
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/godbus/dbus/v5"

	"stamp/i18n"
)

const secretServiceName = "org.freedesktop.secrets"

// secretServicePresent makes sure a Secret Service can answer on the D-Bus
// session bus. It never autolaunches a bus (godbus would run dbus-launch
// and leave a daemon behind, with no unlocked keyring on it anyway), and it
// says plainly which part is missing.
func secretServicePresent() error {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err != nil {
			return &KeyringUnavailableError{Reason: ReasonNoService,
				Err: errors.New(i18n.T("account.keyring.dbus.no_bus", "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"))}
		}
	}
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return &KeyringUnavailableError{Reason: ReasonNoService,
			Err: fmt.Errorf("%s: %w", i18n.T("account.keyring.dbus.unreachable", "cannot reach the D-Bus session bus"), err)}
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return &KeyringUnavailableError{Reason: ReasonNoService,
			Err: fmt.Errorf("%s: %w", i18n.T("account.keyring.dbus.auth", "cannot log in to the D-Bus session bus"), err)}
	}
	if err := conn.Hello(); err != nil {
		return &KeyringUnavailableError{Reason: ReasonNoService,
			Err: fmt.Errorf("%s: %w", i18n.T("account.keyring.dbus.no_answer", "the D-Bus session bus did not answer"), err)}
	}
	var owned bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, secretServiceName).Store(&owned); err != nil {
		return &KeyringUnavailableError{Reason: ReasonNoService, Err: err}
	}
	if owned {
		return nil
	}
	var activatable []string
	if err := conn.BusObject().Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable); err == nil &&
		slices.Contains(activatable, secretServiceName) {
		return nil // the bus will start it on the first call
	}
	return &KeyringUnavailableError{Reason: ReasonNoService,
		Err: errors.New(i18n.T("account.keyring.dbus.no_secret_service", "no Secret Service (org.freedesktop.secrets) on the D-Bus session bus"))}
}

func dbusErrorName(err error) string {
	var de dbus.Error
	if errors.As(err, &de) {
		return de.Name
	}
	var dp *dbus.Error
	if errors.As(err, &dp) {
		return dp.Name
	}
	return ""
}
