package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"stamp/account"
	"stamp/discover"
	"stamp/discover/discovertest"
)

const exampleTestAutoconfig = `<clientConfig version="1.1"><emailProvider id="example.test">
<displayName>Example Mail</displayName>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
<authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></outgoingServer>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>587</port><socketType>STARTTLS</socketType>
<authentication>password-cleartext</authentication><username>%EMAILLOCALPART%</username></outgoingServer>
</emailProvider></clientConfig>`

// discoveringAccountsWindow is an accounts window whose lookups reach the
// loopback servers of n only.
func discoveringAccountsWindow(t *testing.T, n *discovertest.Net) *AccountsWindow {
	t.Helper()
	store, err := account.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	secrets, _ := testSecrets(t)
	d := discover.New(discover.Options{Resolver: n.Resolver(), Dial: n.Dial, CAPEM: n.CAPEM(), ISPDB: discovertest.ISPDB,
		Timeout: 5 * time.Second, SourceTimeout: 2 * time.Second, GuessTimeout: time.Second})
	w := NewAccountsWindowWith(test.NewTempApp(t), store, secrets, AccountsOptions{Discoverer: d, DiscoverDelay: 20 * time.Millisecond})
	t.Cleanup(func() { w.Window.Close() })
	return w
}

func TestTypingAnAddressLooksUpItsSettingsAndSaysWhereTheyCameFrom(t *testing.T) {
	n := discovertest.New(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(exampleTestAutoconfig))
	w := discoveringAccountsWindow(t, n)
	test.Type(w.Address, "ann@example.test")
	if !w.disc.looking.Visible() && w.Host.Text == "" {
		t.Error("no spinner while the settings are looked up")
	}
	waitFor(t, "the discovered settings", func() bool { return w.Host.Text == "smtp.example.test" })
	if w.Port.Text != "465" || w.Security.Selected != securityChoices[0].label || w.Username.Text != "ann" {
		t.Errorf("filled port=%q security=%q login=%q", w.Port.Text, w.Security.Selected, w.Username.Text)
	}
	if f := w.disc.found; !f.Visible() || !strings.Contains(f.Text, "from your provider's own settings file") || strings.Contains(f.Text, "⚠") {
		t.Errorf("source shown: visible=%v %q", f.Visible(), f.Text)
	}
	if w.disc.looking.Visible() {
		t.Error("the spinner stays after the lookup")
	}
	// The other server is offered, and choosing it fills the form.
	alts := w.disc.alternatives
	if !alts.Visible() || len(alts.Options) != 2 || !strings.Contains(alts.Options[1], "smtp.example.test:587 (STARTTLS)") {
		t.Fatalf("alternatives visible=%v %q", alts.Visible(), alts.Options)
	}
	alts.SetSelected(alts.Options[1])
	if w.Port.Text != "587" || w.Security.Selected != securityChoices[1].label {
		t.Errorf("after choosing the alternative: port=%q security=%q", w.Port.Text, w.Security.Selected)
	}
}

func TestADiscoveredServerDoesNotOverwriteATypedOne(t *testing.T) {
	n := discovertest.New(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(exampleTestAutoconfig))
	w := discoveringAccountsWindow(t, n)
	w.Host.SetText("relay.mine.test")
	w.Port.SetText("2525")
	test.Type(w.Address, "ann@example.test")
	waitFor(t, "the lookup's result", func() bool { return w.disc.found.Visible() })
	if w.Host.Text != "relay.mine.test" || w.Port.Text != "2525" {
		t.Fatalf("the lookup replaced what the person typed: %s:%s", w.Host.Text, w.Port.Text)
	}
	if !strings.Contains(w.disc.found.Text, "the server you typed is kept") {
		t.Errorf("found = %q", w.disc.found.Text)
	}
}

func TestAServerInAnotherDomainIsShownWithItsWarning(t *testing.T) {
	n := discovertest.New(t)
	n.MX("corp.test", 0, "corp-test.mail.protection.outlook.com")
	w := discoveringAccountsWindow(t, n)
	test.Type(w.Address, "me@corp.test")
	waitFor(t, "the discovered settings", func() bool { return w.Host.Text == "smtp.office365.com" })
	f := w.disc.found
	if !strings.Contains(f.Text, "Microsoft 365 (MX)") || !strings.Contains(f.Text, "⚠ smtp.office365.com is outside your address's domain") ||
		f.Importance != widget.WarningImportance {
		t.Errorf("found (%v) = %q", f.Importance, f.Text)
	}
}

func TestNothingFoundFallsBackToTheMarkedGuess(t *testing.T) {
	n := discovertest.New(t)
	w := discoveringAccountsWindow(t, n)
	test.Type(w.Address, "me@quiet.test")
	waitFor(t, "the lookup's result", func() bool { return w.disc.found.Visible() })
	if !strings.Contains(w.disc.found.Text, "No settings are published for quiet.test") || w.Host.Text != "smtp.quiet.test" ||
		!strings.Contains(w.Notes.Text, "guessed") {
		t.Errorf("found %q, host %q, notes %q", w.disc.found.Text, w.Host.Text, w.Notes.Text)
	}
}

func TestAPresetDomainIsFilledAtOnceWithoutALookup(t *testing.T) {
	n := discovertest.New(t)
	w := discoveringAccountsWindow(t, n)
	w.Address.SetText("me@gmail.com") // at once: typing would pass through unknown domains ("gmail.co")
	if w.Host.Text != "smtp.gmail.com" || w.disc.looking.Visible() {
		t.Fatalf("host %q, looking %v", w.Host.Text, w.disc.looking.Visible())
	}
	if q := n.DNSQueries(); q != 0 {
		t.Errorf("a preset domain asked DNS %d times", q)
	}
}

func TestSaveAndTestStayVisibleInAShortWindow(t *testing.T) {
	n := discovertest.New(t)
	w := discoveringAccountsWindow(t, n)
	test.Type(w.Address, "someone@qq.com") // a long checklist under the form
	w.Window.Resize(fyne.NewSize(700, 300))
	c := w.Window.Canvas()
	for _, b := range []*widget.Button{w.SaveButton, w.TestButton} {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
		if !b.Visible() || pos.Y+b.Size().Height > c.Size().Height || pos.Y < 0 {
			t.Errorf("%q at y=%v (height %v) is outside the %v-high window", b.Text, pos.Y, b.Size().Height, c.Size().Height)
		}
	}
}

func TestTypingLooksUpOnlyTheAddressTypedLast(t *testing.T) {
	n := discovertest.New(t)
	n.File("autoconfig.example.test", "/mail/config-v1.1.xml", []byte(exampleTestAutoconfig))
	w := discoveringAccountsWindow(t, n)
	w.disc.delay = 400 * time.Millisecond
	test.Type(w.Address, "ann@example.test")
	waitFor(t, "the discovered settings", func() bool { return w.Host.Text == "smtp.example.test" })
	for _, r := range n.Requests() {
		if !strings.Contains(r, "example.test") || strings.HasSuffix(r, "/v1.1/e") || strings.Contains(r, "example.tes?") {
			t.Errorf("a lookup for an address typed on the way: %s", r)
		}
	}
}

func TestSavingSettingsWithAWarningAsksFirst(t *testing.T) {
	n := discovertest.New(t)
	n.MX("corp.test", 0, "corp-test.mail.protection.outlook.com")
	w := discoveringAccountsWindow(t, n)
	test.Type(w.Address, "me@corp.test")
	waitFor(t, "the discovered settings", func() bool { return w.Host.Text == "smtp.office365.com" })
	saveShot(t, w.Window, "accounts-discovered-other-domain")
	w.Save()
	top := w.Window.Canvas().Overlays().Top()
	if w.disc.warnDialog == nil || top == nil || !strings.Contains(dialogText(top), "smtp.office365.com is outside your address's domain") {
		t.Fatal("Save did not ask about the server in another domain")
	}
	if w.checking != 0 {
		t.Fatal("Save went on before the answer")
	}
	yes := findButton(top, "Save anyway")
	if yes == nil {
		t.Fatalf("no way to save anyway:\n%s", dialogText(top))
	}
	test.Tap(yes)
	w.waitIdle(t)
	if list, _ := w.store.List(); len(list) != 1 || list[0].Host != "smtp.office365.com" {
		t.Fatalf("after Save anyway: %+v (status %q)", list, w.Status.Text)
	}
}
