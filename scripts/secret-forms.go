//go:build ignore

// secret-forms reads scripts/test-secrets.txt and prints every form in which
// a test secret could leak, one per line as "LABEL<TAB>FORM", for
// scripts/secret-audit.sh and scripts/test-keyring.sh:
//
//	go run scripts/secret-forms.go scripts/test-secrets.txt
//
// Each line of the file is the body of a Go double-quoted string literal
// (\" \\ \a \xNN \uNNNN … are decoded by strconv.Unquote); blank lines and
// lines starting with # are ignored. The forms of each secret are exactly
// those smtpclient.SecretForms lists, the forms the engine masks (as is,
// strconv.Quote/QuoteToASCII, JSON with and without HTML escaping and ASCII
// only, each of the secret and of its smtpclient.Printable form; base64 in
// both alphabets, padded and not, whole and inside a longer text): search
// and mask cannot drift apart.
//
// LABEL names the secret by its line number, never by its text, so a report
// that prints labels leaks nothing. A secret with a line break is refused:
// the search works line by line.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

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
		for _, f := range smtpclient.SecretForms(secret) {
			emit(f.Kind, f.Text)
		}
	}
	if err := sc.Err(); err != nil {
		fail("%s: %v", os.Args[1], err)
	}
	if secrets == 0 {
		fail("%s: no secrets", os.Args[1])
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "secret-forms: "+format+"\n", args...)
	os.Exit(1)
}
