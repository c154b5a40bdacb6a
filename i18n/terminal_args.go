package i18n

import (
	"bytes"
	"unicode/utf8"
)

// FromTerminal returns text typed at the terminal (a command-line argument)
// in UTF-8: when the terminal's locale names another codeset (as for
// TerminalWriter: GB18030 for "zh_CN.GB18030", "zh_CN.GBK" or glibc's
// "zh_CN"; Latin-1 for "en_US.ISO-8859-1"), s is read in that codeset, as a
// C program reads its arguments, even when its bytes happen to be valid
// UTF-8 too: common Chinese words typed in GB18030 are (通知 is CD A8 D6 AA,
// which UTF-8 reads as U+0368 U+05AA), so "valid UTF-8 wins" would garble
// them; a script passing UTF-8 under a GB locale must set a UTF-8 locale.
// s is returned unchanged when the codeset is UTF-8 or not known, when s
// is plain ASCII, and when its bytes are not text in that codeset (the
// caller then judges them as it would any bytes). Only for
// words a person typed: never for file names, whose bytes name the file,
// nor for the contents of files.
func FromTerminal(s string) string {
	return fromCodeset(s, terminalCodeset())
}

func fromCodeset(s, codeset string) string {
	enc, ascii := codesetEncoding(codeset)
	if enc == nil || ascii || isASCII(s) {
		return s
	}
	out, err := enc.NewDecoder().Bytes([]byte(s))
	if err != nil || !utf8.Valid(out) {
		return s
	}
	// A decoder writes U+FFFD for bytes that are not in the codeset:
	// then s was not typed in it; keep it as it came.
	back, err := enc.NewEncoder().Bytes(out)
	if err != nil || !bytes.Equal(back, []byte(s)) {
		return s
	}
	return string(out)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
