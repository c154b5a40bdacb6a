package compose

// Sent copies' names and places (issue 18 review, findings 6, 8, 10).

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"
)

// Finding 6: SaveSent names the copy by the second and the subject and
// renamed over whatever had that name. Two messages with one subject sent
// in one second (a direct send from stamp-send or the composer, and the
// outbox's copy, which picks the same name) kept one Sent copy. Now the
// second takes another name.
func TestSaveSentKeepsACopyOfTheSameSecond(t *testing.T) {
	for try := 0; try < 5; try++ {
		dir := t.TempDir()
		start := time.Now()
		for _, text := range []string{"first message\n", "second message\n"} {
			m := &Message{From: Address{Addr: "ann@example.com"}, To: []Address{{Addr: "bob@example.com"}},
				Subject: "Weekly report", Text: text}
			if _, err := SaveSent(dir, m); err != nil {
				t.Fatal(err)
			}
		}
		if time.Now().Unix() != start.Unix() {
			continue // crossed a second: the names differ anyway
		}
		paths, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		var bodies []string
		for _, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			r, err := mail.CreateReader(f)
			if err != nil {
				t.Fatal(err)
			}
			part, err := r.NextPart()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(part.Body)
			bodies = append(bodies, string(b))
			f.Close()
		}
		if len(paths) != 2 || bodies[0] == bodies[1] {
			t.Fatalf("two messages sent, %d Sent copies left (bodies %q): one was replaced", len(paths), bodies)
		}
		return
	}
	t.Skip("could not save twice within one second")
}

// Finding 8 (its root): SafeFileName cut at 80 characters, not bytes, so
// a Sent copy's name for a long subject in Japanese, Chinese or emoji was
// longer than the 255 bytes a file name may have on ext4, btrfs, APFS or
// (in UTF-16 units for astral characters) NTFS: the copy could not be
// written. Now it is cut by bytes, between characters.
func TestSentFileNameFitsTheFileSystem(t *testing.T) {
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	for _, subject := range []string{
		strings.Repeat("会議の議事録と来週の予定について", 6),
		strings.Repeat("📎", 80),
		strings.Repeat("é", 200),
	} {
		name := SentFileName(at, subject)
		if !utf8.ValidString(name) || !strings.HasPrefix(name, "2026-12-04 090000 "+subject[:9]) {
			t.Errorf("SentFileName cut a character or lost the subject: %q", name)
		}
		if units := len(utf16.Encode([]rune(name))); len(name)+len(" abcdefghij 20") > 255 || units > 255 {
			t.Errorf("SentFileName of a %d-character subject is %d bytes (%d UTF-16 units): no room under 255 for a suffix", len([]rune(subject)), len(name), units)
			continue
		}
		if len(name) > 255 {
			t.Errorf("SentFileName of a %d-character subject is %d bytes, more than 255", len([]rune(subject)), len(name))
			continue
		}
		if err := os.WriteFile(filepath.Join(t.TempDir(), name), []byte("x"), 0o600); err != nil {
			t.Error(err)
		}
	}
}

// Finding 10: Unicode format characters (Cf) passed SafeFileName: a
// subject with U+202E RIGHT-TO-LEFT OVERRIDE named a Sent copy that file
// managers show reversed ("…\u202Efdp.exe" ends visually in "exe.pdf"), and
// zero-width characters made two copies look alike. Now they become "_".
func TestSentFileNameHasNoBidiOverrides(t *testing.T) {
	name := SafeFileName("invoice \u202Efdp.exe\u200B\u2066x\u200E")
	if name != "invoice _fdp.exe__x_" {
		t.Errorf("SafeFileName = %q", name)
	}
	for _, r := range name {
		if unicode.Is(unicode.Cf, r) {
			t.Fatalf("SafeFileName kept the format character %U: %q", r, name)
		}
	}
}
