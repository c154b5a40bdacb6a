package compose

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchFile creates a file of size bytes of varied content.
func benchFile(b *testing.B, size int64) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "big.bin")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	block := make([]byte, 1<<20)
	for i := range block {
		block[i] = byte(i*7 + i>>8)
	}
	for n := int64(0); n < size; n += int64(len(block)) {
		if _, err := f.Write(block[:min(int64(len(block)), size-n)]); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchmarkAttachment writes a message with one attachment of size bytes
// from disk to io.Discard; the reported MB/s are of attachment input.
func benchmarkAttachment(b *testing.B, size int64) {
	path := benchFile(b, size)
	m := validMessage()
	m.Attachments = []Attachment{{Path: path}}
	// One write first: the first content-type lookup loads the system's
	// MIME table, once per process.
	if w, err := m.NewWriter(WriteOptions{}); err == nil {
		w.WriteTo(io.Discard)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w, err := m.NewWriter(WriteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if n, err := w.WriteTo(io.Discard); err != nil || n != w.Size() {
			b.Fatalf("WriteTo = %d, %v; Size %d", n, err, w.Size())
		}
	}
}

// The allocations of these three must be the same: memory does not grow
// with the attachment.
func BenchmarkWriteAttachment1MiB(b *testing.B)   { benchmarkAttachment(b, 1<<20) }
func BenchmarkWriteAttachment10MiB(b *testing.B)  { benchmarkAttachment(b, 10<<20) }
func BenchmarkWriteAttachment100MiB(b *testing.B) { benchmarkAttachment(b, 100<<20) }

// BenchmarkWriteTextMessage is a typical small message with an HTML part.
func BenchmarkWriteTextMessage(b *testing.B) {
	m := validMessage()
	m.Subject = "Réunion de l'équipe — ordre du jour 📅"
	m.Text = "Bonjour à tous,\n\nVoici l'ordre du jour de la réunion de jeudi.\n"
	m.HTML = "<p>Bonjour à tous,</p><p>Voici l'ordre du jour de la réunion de jeudi.</p>"
	b.ReportAllocs()
	for b.Loop() {
		w, err := m.NewWriter(WriteOptions{})
		if err != nil {
			b.Fatal(err)
		}
		w.WriteTo(io.Discard)
	}
}
