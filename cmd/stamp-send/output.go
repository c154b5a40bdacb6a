package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"stamp/smtpclient"
)

// Everything stamp-send prints that holds text it did not write itself (a
// server's reply, a certificate's names, an error wrapping either, a file
// name) goes through smtpclient.Printable, here or in the transcript's
// smtpclient.FormatLine: a control character is shown as an escape, never
// obeyed by the terminal, and a server's line never becomes two.

// complain writes "prefix err" as one printable line.
func complain(w io.Writer, prefix string, err error) {
	fmt.Fprintln(w, prefix, smtpclient.Printable(err.Error()))
}

// printableLines makes each line of s Printable and keeps the line breaks
// between them: for a message that stamp-send itself laid out over several
// lines (a list of failed servers, advice under an error).
func printableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = smtpclient.Printable(l)
	}
	return strings.Join(lines, "\n")
}

// printableJSON makes every string in the JSON text b Printable, keeping
// the order of the fields and the numbers as they are. encoding/json
// escapes C0 controls but writes DEL, C1 controls and bidi and zero-width
// characters as they are; a consumer that prints a decoded string would
// print them raw. b must be valid JSON (json.Marshal's output).
func printableJSON(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b))
	for i := 0; i < len(b); {
		if b[i] != '"' {
			out.WriteByte(b[i])
			i++
			continue
		}
		end := i + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' {
				end++
			}
			end++
		}
		end++ // the closing quote
		var s string
		if err := json.Unmarshal(b[i:end], &s); err != nil {
			out.Write(b[i:end])
		} else if p := smtpclient.Printable(s); p == s {
			out.Write(b[i:end])
		} else {
			q, _ := json.Marshal(p)
			out.Write(q)
		}
		i = end
	}
	return out.Bytes()
}
