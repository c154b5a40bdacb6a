package ui

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/lang"
	"github.com/emersion/go-message"

	"stamp/internal/atomicfile"
	"stamp/internal/boundedfile"
)

// takenBackFolder holds the attachments Undo and Edit brought back from
// the outbox because their files had gone or changed since Send.
func takenBackFolder(dataDir, id string) string {
	return filepath.Join(dataDir, "Taken back", id)
}

// errSameFile ends the copy of an attachment whose file still holds what
// was sent: no copy is needed.
var errSameFile = errors.New("the file still holds what was sent")

// keepSentAttachments makes Undo and Edit bring back what was sent: each
// attachment of got whose file has gone, or no longer holds the bytes the
// queued message msg carries, is copied out of msg into the data folder
// (takenBackFolder) and got points at that copy. It returns the names of
// the attachments it copied. An error leaves the message in the outbox
// (Take keeps it), so the bytes are never lost.
func keepSentAttachments(dataDir, id string, msg io.Reader, got *draft) ([]string, error) {
	if len(got.Attachments) == 0 {
		return nil, nil
	}
	e, err := message.Read(msg)
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return nil, err
	}
	folder := takenBackFolder(dataDir, id)
	var copied []string
	used := map[string]bool{}
	i := 0
	err = e.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil && !message.IsUnknownCharset(err) {
			return err
		}
		if disp, _, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition")); disp != "attachment" {
			return nil
		}
		if i >= len(got.Attachments) {
			return nil
		}
		path := got.Attachments[i]
		i++
		name := filepath.Base(path)
		if name == "." || name == string(filepath.Separator) || strings.HasPrefix(name, "..") {
			name = fmt.Sprintf("attachment %d", i)
		}
		if used[name] {
			name = fmt.Sprintf("%d %s", i, name)
		}
		used[name] = true
		want, present := fileSum(path)
		if err := os.MkdirAll(folder, 0o700); err != nil {
			return err
		}
		to := filepath.Join(folder, name)
		err = atomicfile.Write(to, 0o600, func(w io.Writer) error {
			h := sha256.New()
			if _, err := io.Copy(io.MultiWriter(w, h), part.Body); err != nil {
				return err
			}
			if present && bytes.Equal(h.Sum(nil), want) {
				return errSameFile
			}
			return nil
		})
		switch {
		case errors.Is(err, errSameFile):
		case err != nil:
			return fmt.Errorf("%s %w", lang.X("outbox.takeback_copy_failed", "The attached file is gone or changed, and what was sent could not be kept:"), err)
		default:
			got.Attachments[i-1] = to
			copied = append(copied, name)
		}
		return nil
	})
	os.Remove(folder) // only when empty: nothing had to be copied
	return copied, err
}

// fileSum is the SHA-256 of the file at path; false when it cannot be
// read (gone, not a regular file).
func fileSum(path string) ([]byte, bool) {
	f, _, err := boundedfile.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, false
	}
	return h.Sum(nil), true
}
