package compose

import (
	"strings"
	"testing"
)

// Finding 12 (issue 19: "numbers formatted per language"): a resized
// attachment's sizes go into the text as raw int64s: "it was 30000000
// bytes, now 1" (no grouping, unlike smtp.detail.too_big, and "1" with no
// unit), in both languages.
func TestAttackAResizedAttachmentsSizesAreFormatted(t *testing.T) {
	e := &AttachmentError{Name: "report.pdf", Path: "/home/ann/report.pdf", Want: 30_000_000, Got: 1}
	got := e.Error()
	if !strings.Contains(got, "30,000,000") || strings.Contains(got, "30000000") {
		t.Errorf("the sizes are not formatted: %q", got)
	}
}
