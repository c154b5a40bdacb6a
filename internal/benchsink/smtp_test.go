package main

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestDataFindsTheTerminatorAcrossReads(t *testing.T) {
	body := strings.Repeat("ABCD\r\n..dot-stuffed\r\n", 5000)
	for _, tc := range []struct {
		name, data string
		want       int64
	}{
		{"an empty message ends at once", ".\r\nQUIT\r\n", 0},
		{"a long message is counted to its last CRLF", body + ".\r\nQUIT\r\n", int64(len(body))},
		{"a line of a single dot inside a dot-stuffed body is not the end", "a\r\n..\r\nb\r\n.\r\nQUIT\r\n", 10},
	} {
		for _, one := range []bool{false, true} {
			var in io.Reader = strings.NewReader(tc.data)
			if one {
				in = iotest.OneByteReader(in)
			}
			r := newChunkReader(in)
			n, err := r.data()
			if err != nil || n != tc.want {
				t.Fatalf("%s (byte by byte %v): got %d, %v; want %d", tc.name, one, n, err, tc.want)
			}
			if l, err := r.line(); err != nil || l != "QUIT" {
				t.Fatalf("%s: the next line is %q, %v; want QUIT", tc.name, l, err)
			}
		}
	}
}
