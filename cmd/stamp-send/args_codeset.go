package main

import (
	"strings"

	"stamp/i18n"
)

// pathFlags are the flags whose value names a file: its bytes are the
// file's name on disk, kept as they came whatever the terminal's codeset.
var pathFlags = map[string]bool{
	"body-file": true, "html-file": true, "attach": true, "eml": true, "out": true, "ca-file": true,
}

// terminalArgs returns the command-line arguments in UTF-8. On a terminal
// whose locale names another codeset (zh_CN.GB18030, zh_CN.GBK, ...; the
// codeset stamp-send's output is written in, terminal.go) every argument a
// person types as words (--subject, --body, --to, names) arrives in that
// codeset and is read in it (i18n.FromTerminal), as a C program would.
// File names stay as they came — the values of --body-file, --html-file,
// --attach, --eml, --out, --ca-file and the FILE of "contacts import" and
// "contacts export" — and the contents of files are never converted.
func terminalArgs(args []string) []string {
	out := make([]string, len(args))
	copy(out, args)
	if core := withoutLang(out); len(core) >= 2 && core[0] == "contacts" && (core[1] == "import" || core[1] == "export") {
		return out // only a FILE (and flags in ASCII, --lang too) follows
	}
	pathNext := false
	for i, a := range out {
		if pathNext {
			pathNext = false
			continue
		}
		if a == "--" {
			break // send takes no operands; nothing after it is words
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if strings.HasPrefix(a, "-") && pathFlags[name] {
			pathNext = !hasValue // "--attach F": F is the next argument
			continue
		}
		out[i] = i18n.FromTerminal(a)
	}
	return out
}
