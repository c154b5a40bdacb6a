package i18n

import (
	"bytes"
	"unicode/utf8"
)

// FromTerminal returns text typed at the terminal (a command-line argument)
// in UTF-8: when the terminal's locale names another codeset (as for
// TerminalWriter: GB18030 for "zh_CN.GB18030", "zh_CN.GBK" or glibc's
// "zh_CN"; Latin-1 for "en_US.ISO-8859-1"), s is read in that codeset.
// Text that is valid UTF-8 is kept as it is: a script, a cron job or a
// terminal emulator set to UTF-8 under a GB locale passes UTF-8, while
// Chinese typed in GB18030 (测试 is B2 E2 CA D4) is almost never valid
// UTF-8. s is returned unchanged when the codeset is UTF-8 or not known,
// when s is valid UTF-8 (plain ASCII included), and when its bytes are not
// text in that codeset (the caller then judges them as it would any bytes). Only for
// words a person typed: never for file names, whose bytes name the file,
// nor for the contents of files.
func FromTerminal(s string) string {
	return fromCodeset(s, terminalCodeset())
}

func fromCodeset(s, codeset string) string {
	enc, ascii := codesetEncoding(codeset)
	if enc == nil || ascii || utf8.ValidString(s) {
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
