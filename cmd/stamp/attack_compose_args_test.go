package main

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"stamp/instance"
	"stamp/mailto"
)

// windowsArgs splits a command line the way CommandLineToArgvW (and Go's
// runtime on Windows) does for the cases used here: double quotes group,
// a space outside quotes separates. (No backslash-quote escapes appear.)
func windowsArgs(cmdline string) []string {
	var args []string
	var cur strings.Builder
	inQuote, have := false, false
	for _, r := range cmdline {
		switch {
		case r == '"':
			inQuote, have = !inQuote, true
		case r == ' ' && !inQuote:
			if have {
				args = append(args, cur.String())
				cur.Reset()
				have = false
			}
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if have {
		args = append(args, cur.String())
	}
	return args
}

// Finding 1: the installer registers the mailto: handler as
// `"$INSTDIR\Stamp.exe" "%1"` (packaging/windows/stamp.nsi:106), and
// stamp's command line takes FILEs after a link and attaches them to the
// link's message. A link that carries a raw double quote (any program that
// hands a URL to ShellExecute without escaping it: the URL-handler
// argument-injection class, CVE-2018-1000006 and friends) breaks out of
// "%1" and names a file of the person's to attach: the attach= attack the
// parser refuses, through the command line instead.
func TestAttackWindowsHandlerQuoteInjectsAFileToAttach(t *testing.T) {
	nsi, err := os.ReadFile("../../packaging/windows/stamp.nsi")
	if err != nil {
		t.Fatal(err)
	}
	const registered = `'"$INSTDIR\Stamp.exe" --url "%1"'`
	if n := strings.Count(string(nsi), registered); n != 2 {
		t.Fatalf("the installer registers %s %d times, want 2 (the mailto: handler and Open with)", registered, n)
	}
	if strings.Contains(string(nsi), `'"$INSTDIR\Stamp.exe" "%1"'`) {
		t.Fatal(`the installer still registers a command without --url`)
	}
	exe := `"C:\Users\ann\AppData\Local\Programs\Stamp\Stamp.exe"`
	command := func(link string) []string {
		return windowsArgs(exe + ` --url "` + link + `"`)[1:] // the registered command, %1 filled in
	}
	for _, link := range []string{
		`mailto:attacker@evil.example?subject=invoice" "C:\Users\ann\Documents\passwords.kdbx`,
		`mailto:attacker@evil.example?subject=invoice" --accounts "C:\Users\ann\Documents\passwords.kdbx`,
		`mailto:attacker@evil.example" --compose --body "hi`,
	} {
		s, err := parseStartArgs(command(link), new(bytes.Buffer))
		if err == nil {
			t.Errorf("a link breaking out of the handler's quotes was taken: files %q, link %q, accounts %v", s.files, s.link, s.accounts)
		}
	}
	// What the handler is for still works: one link, or one file (Open with).
	s, err := parseStartArgs(command("mailto:ann@example.com?subject=Hi"), new(bytes.Buffer))
	if err != nil || s.link != "mailto:ann@example.com?subject=Hi" || len(s.files) != 0 {
		t.Fatalf("the handler's own link: %+v, %v", s, err)
	}
	s, err = parseStartArgs(command(`C:\Users\ann\report.pdf`), new(bytes.Buffer))
	if err != nil || s.link != "" || len(s.files) != 1 || s.files[0] != `C:\Users\ann\report.pdf` {
		t.Fatalf("Open with one file: %+v, %v", s, err)
	}
	// --url anywhere but first and alone is refused.
	for _, args := range [][]string{{"--accounts", "--url", "mailto:a@b.example"}, {"--url", ""}, {"--url", "mailto:a@b.example", "/etc/passwd"}, {"--url=mailto:a@b.example"}} {
		if _, err := parseStartArgs(args, new(bytes.Buffer)); err == nil {
			t.Errorf("%q was taken", args)
		}
	}
	// Started from the menu, the desktop entry's %u expands to nothing:
	// Stamp opens as plain "stamp" does.
	if s, err := parseStartArgs([]string{"--url"}, new(bytes.Buffer)); err != nil || s.link != "" || len(s.files) != 0 || s.accounts {
		t.Fatalf("stamp --url alone: %+v, %v", s, err)
	}
}

// The Linux desktop entry hands links over the same way: one argument.
func TestDesktopEntryHandsOneURL(t *testing.T) {
	entry, err := os.ReadFile("../../packaging/linux/app.stampmail.stamp.desktop")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(entry), "\nExec=stamp --url %u\n") {
		t.Fatalf("the desktop entry does not start stamp --url %%u:\n%s", entry)
	}
}

// Finding 5: stamp --compose builds a link from its flags and the running
// Stamp parses it back; Parse decodes RFC 2047 encoded words in the subject,
// so a --subject typed (or scripted) as text that looks like an encoded
// word arrives as different text: Parse(Build(l)) is not l.
func TestAttackComposeSubjectIsDecodedAsAnEncodedWord(t *testing.T) {
	subject := "Why =?utf-8?q?Hello?= is not decoded"
	s, err := parseStartArgs([]string{"--compose", "--to", "ann@example.com", "--subject", subject}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	l, err := mailto.Parse(s.link)
	if err != nil {
		t.Fatal(err)
	}
	if l.Subject != subject {
		t.Fatalf("--subject %q arrives in the running Stamp as %q", subject, l.Subject)
	}
}

// Finding 6: --compose's flags travel as a built link, every non-ASCII
// byte escaped as %XX (three bytes each), and the link is then held to
// mailto.MaxLength. A letter of 8 000 Chinese characters (24 KB, a quarter
// of what Windows' command line takes) is refused, with an error about "the
// link" the person never gave; stamp-send --body takes the same text.
func TestAttackComposeBodyRefusedAsATooLongLink(t *testing.T) {
	body := strings.Repeat("你好", 4000)
	s, err := parseStartArgs([]string{"--compose", "--to", "ann@example.com", "--body", body}, new(bytes.Buffer))
	if err != nil {
		t.Fatalf("stamp --compose --body (%d bytes of text) refused: %v", len(body), err)
	}
	if l, err := mailto.ParseBuilt(s.link); err != nil || l.Body != body {
		t.Fatalf("the body did not arrive: %v", err)
	}
	// What the running Stamp is handed fits the hand-over, and a link a
	// page gives is still held to MaxLength.
	if args, err := s.handOver(); err != nil || len(args) != 1 || len(args[0].Value) > instance.MaxMessage {
		t.Fatalf("hand-over: %v", err)
	}
	if _, err := parseStartArgs([]string{"mailto:ann@example.com?body=" + strings.Repeat("A", mailto.MaxLength)}, new(bytes.Buffer)); !errors.Is(err, mailto.ErrTooLong) {
		t.Fatalf("a given link over MaxLength: %v", err)
	}
	// Past the hand-over's bound: refused in words about --body, not a link.
	_, err = parseStartArgs([]string{"--compose", "--body", strings.Repeat("你好", 60000)}, new(bytes.Buffer))
	if err == nil || !strings.Contains(err.Error(), "--body") {
		t.Fatalf("a body past the hand-over's bound: %v", err)
	}
}
