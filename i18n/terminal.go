package i18n

import (
	"context"
	"io"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TerminalWriter returns a writer that puts the UTF-8 text written to it
// into w in the character set of the terminal's locale, or w itself when
// that is UTF-8 (or not known). For a terminal whose locale names another
// codeset (LC_ALL, else LC_CTYPE, else LANG: "zh_CN.GB18030", "zh_CN.GBK",
// "en_US.ISO-8859-1"; or, on Linux, a locale without one whose charmap is
// another, as glibc's "zh_CN" is GB2312): every GB codeset gets GB18030,
// other codesets the golang.org/x/text encoding of that name, an unknown one
// plain ASCII. A character the codeset cannot hold is written as "?", never
// dropped. Only for text meant for a person: JSON stays UTF-8 (RFC 8259
// §8.1), and message files are bytes.
func TerminalWriter(w io.Writer) io.Writer {
	return terminalWriterFor(w, terminalCodeset())
}

// terminalCodeset is the locale's codeset, read once per process.
var terminalCodeset = sync.OnceValue(func() string {
	return localeCodeset(getenv, localeCharmap)
})

// localeCodeset returns the codeset of the locale that decides how text is
// encoded (LC_CTYPE's, as the C library chooses it): the part after "." in
// the first of LC_ALL, LC_CTYPE, LANG that is set, or, for a locale named
// without one, what charmap says for it. "" for no locale, C and POSIX
// (Stamp writes UTF-8 there as it always has: a container without LANG
// usually has a UTF-8 terminal).
func localeCodeset(getenv func(string) string, charmap func(locale string) string) string {
	locale := ""
	for _, v := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if locale = strings.TrimSpace(getenv(v)); locale != "" {
			break
		}
	}
	name := locale
	if i := strings.IndexByte(name, '@'); i >= 0 {
		name = name[:i]
	}
	if i := strings.IndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	if name == "" || name == "C" || name == "POSIX" {
		return ""
	}
	return charmap(locale)
}

// localeCharmap asks the C library for the charmap of a locale named without
// a codeset (`locale charmap`, bounded to two seconds; Linux only: macOS's
// and the BSDs' such locales are UTF-8 in practice, and Windows' console
// takes UTF-16). "" when it cannot tell, or when the locale is not installed
// (the C library then falls back to C, and the terminal most likely speaks
// UTF-8).
func localeCharmap(string) string {
	if runtime.GOOS != "linux" {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "locale", "charmap").Output()
	if err != nil {
		return ""
	}
	// A locale that is not installed makes locale(1) answer the C
	// locale's ANSI_X3.4-1968: not known, then.
	if cs := strings.TrimSpace(string(out)); cs != "ANSI_X3.4-1968" {
		return cs
	}
	return ""
}

var isoName = regexp.MustCompile(`^iso[-_]?8859[-_]?(\d+)$`)

// codesetEncoding returns the encoding of a codeset as locales name it, nil
// for UTF-8 and for no codeset; ascii is true for a codeset Stamp cannot
// encode (written as ASCII, which nearly every codeset holds).
func codesetEncoding(codeset string) (enc encoding.Encoding, ascii bool) {
	c := strings.ToLower(strings.TrimSpace(codeset))
	flat := strings.NewReplacer("-", "", "_", "").Replace(c)
	switch {
	case flat == "" || flat == "utf8":
		return nil, false
	case strings.HasPrefix(flat, "gb") || flat == "euccn" || flat == "cp936":
		return simplifiedchinese.GB18030, false
	case flat == "ansix3.41968" || flat == "usascii" || flat == "ascii" || flat == "646":
		return nil, true
	case flat == "big5hkscs":
		c = "big5" // HKSCS is a superset: Big5's bytes read the same
	case flat == "eucjp" || flat == "euckr":
		c = "euc-" + flat[3:]
	}
	if m := isoName.FindStringSubmatch(c); m != nil {
		c = "iso-8859-" + m[1]
	}
	if e, err := ianaindex.IANA.Encoding(c); err == nil && e != nil {
		return e, false
	}
	return nil, true
}

func terminalWriterFor(w io.Writer, codeset string) io.Writer {
	enc, ascii := codesetEncoding(codeset)
	if enc == nil && !ascii {
		return w
	}
	return &encodingWriter{w: w, enc: enc}
}

// encodingWriter converts each Write from UTF-8 into enc (nil: ASCII).
type encodingWriter struct {
	w   io.Writer
	enc encoding.Encoding
}

// Write converts p as a whole: a UTF-8 sequence split across two Writes is
// written as "?" (stamp-send writes whole lines).
func (e *encodingWriter) Write(p []byte) (int, error) {
	if _, err := e.w.Write(e.convert(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (e *encodingWriter) convert(p []byte) []byte {
	if e.enc != nil {
		if out, err := e.enc.NewEncoder().Bytes(p); err == nil {
			return out
		}
	}
	out := make([]byte, 0, len(p))
	for len(p) > 0 {
		r, size := utf8.DecodeRune(p)
		ch := p[:size]
		p = p[size:]
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, '?')
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		case e.enc == nil:
			out = append(out, '?')
		default:
			b, err := e.enc.NewEncoder().Bytes(ch)
			if err != nil {
				b = []byte{'?'}
			}
			out = append(out, b...)
		}
	}
	return out
}
