package account

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"stamp/i18n"
)

// Without a D-Bus session bus the keyring's reason is Stamp's sentence in
// Chinese, the variable's name kept (issue 19).
func TestNoSessionBusInChinese(t *testing.T) {
	if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
		t.Skip("this user has a session bus at /run/user/UID/bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	defer i18n.SetLanguage(i18n.English)
	i18n.SetLanguage(i18n.SimplifiedChinese)
	err := secretServicePresent()
	var ku *KeyringUnavailableError
	if !errors.As(err, &ku) || ku.Reason != ReasonNoService {
		t.Fatalf("no bus: %v, want ReasonNoService", err)
	}
	if got := err.Error(); !strings.Contains(got, "（没有 D-Bus 会话总线（未设置 DBUS_SESSION_BUS_ADDRESS））") {
		t.Errorf("no bus in Chinese: %q", got)
	}
	checkChinese(t, "no bus", err.Error(), "DBUS_SESSION_BUS_ADDRESS", "D-Bus", "Secret Service", "KWallet", "KeePassXC", "sudo apt install gnome-keyring")
	i18n.SetLanguage(i18n.English)
	if got := secretServicePresent().(*KeyringUnavailableError).Err.Error(); !strings.HasPrefix(got, "no D-Bus session bus") {
		t.Errorf("no bus in English: %q", got)
	}
}
