//go:build ignore

// secret-forms reads scripts/test-secrets.txt and prints every form in which
// a test secret could leak, one per line as "LABEL<TAB>FORM", for
// scripts/secret-audit.sh and scripts/test-keyring.sh:
//
//	go run scripts/secret-forms.go scripts/test-secrets.txt
//
// Each line of the file is the body of a Go double-quoted string literal
// (\" \\ \a \xNN \uNNNN … are decoded by strconv.Unquote); blank lines and
// lines starting with # are ignored. The forms of each secret S, and of
// smtpclient.Printable(S):
//
//   - the text itself;
//   - strconv.Quote and strconv.QuoteToASCII (without the outer quotes):
//     what %q and error messages produce;
//   - JSON strings as encoding/json writes them, with and without HTML
//     escaping, and with every non-ASCII character as \uNNNN (without the
//     outer quotes): what --json output and saved settings produce;
//
// and base64 of S (standard and URL alphabets, padded and not): the whole
// encoding, and, for each of the three byte offsets S can start at inside a
// longer encoded string (AUTH PLAIN's "\0user\0password"), the characters
// that depend on S alone, when there are at least 12 of them.
//
// LABEL names the secret by its line number, never by its text, so a report
// that prints labels leaks nothing. A secret with a line break is refused:
// the search works line by line.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"stamp/smtpclient"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run scripts/secret-forms.go scripts/test-secrets.txt")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "secret-forms:", err)
		os.Exit(1)
	}
	defer f.Close()
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	sc := bufio.NewScanner(f)
	n, secrets := 0, 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		secret, err := strconv.Unquote(`"` + line + `"`)
		if err != nil {
			fail("%s:%d: not the body of a Go string literal (write \" as \\\" and \\ as \\\\): %v", os.Args[1], n, err)
		}
		if strings.ContainsAny(secret, "\r\n") {
			fail("%s:%d: a test secret may not contain a line break (the audit searches line by line)", os.Args[1], n)
		}
		if len(secret) < 6 {
			fail("%s:%d: a test secret needs at least 6 bytes, or the audit finds it everywhere", os.Args[1], n)
		}
		secrets++
		seen := map[string]bool{}
		emit := func(kind, form string) {
			if form == "" || seen[form] || strings.ContainsAny(form, "\r\n") {
				return
			}
			seen[form] = true
			fmt.Fprintf(out, "secret on line %d, %s\t%s\n", n, kind, form)
		}
		for _, base := range []struct{ name, s string }{{"", secret}, {"Printable, ", smtpclient.Printable(secret)}} {
			emit(base.name+"as is", base.s)
			emit(base.name+"strconv.Quote", unquoted(strconv.Quote(base.s)))
			emit(base.name+"strconv.QuoteToASCII", unquoted(strconv.QuoteToASCII(base.s)))
			emit(base.name+"JSON", unquoted(jsonString(base.s, true)))
			emit(base.name+"JSON without HTML escaping", unquoted(jsonString(base.s, false)))
			emit(base.name+"JSON, ASCII only", unquoted(jsonASCII(base.s)))
		}
		for _, enc := range []struct {
			name string
			e    *base64.Encoding
		}{
			{"base64", base64.StdEncoding}, {"base64 unpadded", base64.RawStdEncoding},
			{"base64url", base64.URLEncoding}, {"base64url unpadded", base64.RawURLEncoding},
		} {
			emit(enc.name, enc.e.EncodeToString([]byte(secret)))
			for k := 0; k < 3; k++ {
				emit(fmt.Sprintf("%s inside a longer text (offset %d)", enc.name, k), core(enc.e, secret, k))
			}
		}
	}
	if err := sc.Err(); err != nil {
		fail("%s: %v", os.Args[1], err)
	}
	if secrets == 0 {
		fail("%s: no secrets", os.Args[1])
	}
}

// core returns the base64 characters that depend only on secret when it
// starts k bytes after a 3-byte boundary of a longer encoded text.
func core(e *base64.Encoding, secret string, k int) string {
	enc := e.Strict().WithPadding(base64.NoPadding).EncodeToString(append(make([]byte, k), secret...))
	total := k + len(secret)
	start := 0
	if k > 0 {
		start = 4 // the first group also encodes bytes before the secret
	}
	end := total / 3 * 4 // the last partial group also encodes the bytes after it
	if end <= start || end-start < 12 {
		return ""
	}
	return enc[start:end]
}

func unquoted(q string) string { return q[1 : len(q)-1] }

func jsonString(s string, html bool) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(html)
	if err := e.Encode(s); err != nil {
		fail("%v", err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// jsonASCII is a JSON string with every non-ASCII character as \uNNNN
// (surrogate pairs above U+FFFF), as Python's json.dumps writes it.
func jsonASCII(s string) string {
	var b strings.Builder
	for _, r := range jsonString(s, true) {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "secret-forms: "+format+"\n", args...)
	os.Exit(1)
}
