package compose

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

func TestEncodeLineMatchesTheStandardEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var src [lineIn]byte
	var dst [lineOut + 2]byte
	want := make([]byte, lineOut)
	for i := 0; i < 20000; i++ {
		for j := range src {
			src[j] = byte(r.Uint32())
		}
		if i < 256 { // every byte value in every position, at least once
			for j := range src {
				src[j] = byte(i + j)
			}
		}
		encodeLine(&dst, &src)
		base64.StdEncoding.Encode(want, src[:])
		if !bytes.Equal(dst[:lineOut], want) || dst[76] != '\r' || dst[77] != '\n' {
			t.Fatalf("line %d: got %q, want %q", i, dst, want)
		}
	}
}

// BenchmarkEncodeLines is the attachment encoder alone, 4096 lines a call.
func BenchmarkEncodeLines(b *testing.B) {
	in := make([]byte, lineIn*blockLines)
	for i := range in {
		in[i] = byte(i * 7)
	}
	out := make([]byte, 0, (lineOut+2)*blockLines)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		encodeLines(out, in)
	}
}
