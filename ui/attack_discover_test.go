package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/discover/discovertest"
)

// Adversarial review of issue 16 (ATTACK-discover.md). Each test failed on
// the code as reviewed; since the fix they run always, as regression tests.

// Finding 7: a discovery result overwrites the port, security and login
// method the person set, whenever the Host field still holds the host
// Stamp filled (useDiscovered's fill test looks at Host only). Correcting
// a typo in the address after adjusting the port silently puts the
// discovered port back.
func TestAttackRediscoveryOverwritesTheEditedPort(t *testing.T) {
	n := discovertest.New(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(exampleTestAutoconfig))
	w := discoveringAccountsWindow(t, n)
	test.Type(w.Address, "anne@example.test")
	waitFor(t, "the discovered settings", func() bool { return w.Host.Text == "smtp.example.test" && w.disc.found.Visible() })
	// The person unfolds Server settings and sets the port and security
	// their admin told them.
	w.Port.SetText("2525")
	w.setSecurity(securityChoices[1].value)
	wantSec := w.Security.Selected
	// … then fixes a typo in the local part of the address.
	w.Address.SetText("ann@example.test")
	waitFor(t, "the second lookup's result", func() bool { return w.disc.found.Visible() })
	if w.Port.Text != "2525" || w.Security.Selected != wantSec {
		t.Errorf("the person's port 2525 / %q became %s / %q after editing the address (found: %q)",
			wantSec, w.Port.Text, w.Security.Selected, w.disc.found.Text)
	}
	if !strings.Contains(w.disc.found.Text, "Kept what you set: the port, the security") {
		t.Errorf("the result does not say the person's port and security were kept: %q", w.disc.found.Text)
	}
	if strings.Contains(w.disc.found.Text, "anne@") {
		t.Errorf("the result for ann@ names the previous address: %q", w.disc.found.Text)
	}
}

// Finding 7b: the same while the first lookup is still running: the
// person sets the port before the result arrives (Host still empty) and
// the late result replaces it.
func TestAttackLateDiscoveryOverwritesAPortTypedMeanwhile(t *testing.T) {
	n := discovertest.New(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(exampleTestAutoconfig))
	w := discoveringAccountsWindow(t, n)
	w.disc.delay = 300 * time.Millisecond
	test.Type(w.Address, "ann@example.test")
	w.Port.SetText("2525") // typed while the spinner turns
	waitFor(t, "the lookup's result", func() bool { return w.disc.found.Visible() })
	if w.Port.Text != "2525" {
		t.Errorf("the port the person typed during the lookup became %s (host %s; found %q)", w.Port.Text, w.Host.Text, w.disc.found.Text)
	}
}
