package main

import (
	"io"
	"strconv"
	"strings"

	"stamp/i18n"
)

// terminalStreams returns stdout and stderr for text meant for a person,
// in the terminal locale's character set (i18n.TerminalWriter: GB18030 on a
// zh_CN.GB18030 or GBK terminal, Latin-1 on en_US.ISO-8859-1, ...). With
// --json both streams stay UTF-8, as JSON must be (RFC 8259 §8.1: the
// events go to stderr, the lists to stdout). Where stdout carries a
// file's bytes — --dry-run's message, `contacts export`'s vCard — it stays
// byte for byte as it is (a vCard is UTF-8; converting it would lose every
// name the terminal's codeset cannot hold); only stderr, the words for a
// person, is converted. The flags are looked for anywhere in args: a false
// match only keeps UTF-8, as before.
func terminalStreams(args []string, stdout, stderr io.Writer) (io.Writer, io.Writer) {
	if hasFlag(args, "json") {
		return stdout, stderr
	}
	if hasFlag(args, "dry-run") || writesFile(args) {
		return stdout, i18n.TerminalWriter(stderr)
	}
	return i18n.TerminalWriter(stdout), i18n.TerminalWriter(stderr)
}

// hasFlag reports whether args hold the boolean flag name ("-name",
// "--name", "--name=true") before "--".
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		v, ok := strings.CutPrefix(a, name)
		if !ok {
			continue
		}
		if v == "" {
			return true
		}
		if b, err := strconv.ParseBool(strings.TrimPrefix(v, "=")); err == nil && strings.HasPrefix(v, "=") && b {
			return true
		}
	}
	return false
}

// writesFile reports whether args are a subcommand whose stdout is a
// file's bytes rather than words: `contacts export` (without a FILE it
// writes the vCard to stdout; with one, stdout stays unused).
// A --lang before the subcommand does not hide it.
func writesFile(args []string) bool {
	args = withoutLang(args)
	return len(args) >= 2 && args[0] == "contacts" && args[1] == "export"
}
