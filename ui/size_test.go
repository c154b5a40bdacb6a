package ui

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestHumanSizeUsesTheUnitsProvidersStateLimitsIn(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"}, {1, "1 byte"}, {999, "999 bytes"}, {1000, "1.0 kB"},
		{1536, "1.5 kB"}, {25_000_000, "25.0 MB"}, {4 << 30, "4.29 GB"},
	} {
		if got := humanSize(tc.n); got != tc.want {
			t.Errorf("humanSize(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestTheAttachmentsWeighWhatTheirBase64LinesWeigh(t *testing.T) {
	// The oracle is the standard library's base64 cut into 76-character
	// lines joined by CRLF, and the literal sizes Python's base64 gives.
	for _, tc := range []struct{ n, want int64 }{{1, 4}, {57, 76}, {58, 82}, {3 << 20, 4_304_680}} {
		enc := base64.StdEncoding.EncodeToString(make([]byte, tc.n))
		var lines []string
		for len(enc) > 76 {
			lines, enc = append(lines, enc[:76]), enc[76:]
		}
		wire := int64(len(strings.Join(append(lines, enc), "\r\n")))
		if wire != tc.want {
			t.Fatalf("the oracle gives %d for %d bytes, want %d", wire, tc.n, tc.want)
		}
		l := newAttachmentList(func() {})
		l.items = append(l.items, attachment{Size: tc.n})
		if got := l.EncodedSize(); got != tc.want {
			t.Errorf("%d bytes of attachment weigh %d in the message, want %d", tc.n, got, tc.want)
		}
	}
}
