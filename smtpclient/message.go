package smtpclient

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"stamp/i18n"
	"stamp/internal/boundedfile"
)

// Bytes is a Message held in memory.
type Bytes []byte

// WriteTo writes the message.
func (b Bytes) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(b)
	return int64(n), err
}

// Size is len(b).
func (b Bytes) Size() int64 { return int64(len(b)) }

// File is a Message read from an RFC 5322 file (an .eml), sent as is: the
// DATA stream still normalises its line ends and dot-stuffs it.
type File struct {
	f    *os.File
	size int64
}

// OpenFile opens path as a Message; Close it after sending. Only a
// regular file (after following links) is opened, without ever waiting: a
// FIFO, device or folder is refused at once (boundedfile.Open).
func OpenFile(path string) (*File, error) {
	f, st, err := boundedfile.Open(path)
	if err != nil {
		if errors.Is(err, boundedfile.ErrNotRegular) {
			return nil, fmt.Errorf("%s is %w", path, err)
		}
		return nil, err
	}
	return &File{f: f, size: st.Size()}, nil
}

// Size is the file's size when it was opened.
func (m *File) Size() int64 { return m.size }

// WriteTo streams the file from its start. A file that grew or shrank
// since it was opened is an error: the size announced to the server would
// be wrong and the message may be half-written.
func (m *File) WriteTo(w io.Writer) (int64, error) {
	if _, err := m.f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	buf := make([]byte, dataChunk)
	n, err := io.CopyBuffer(onlyWriter{w}, io.LimitReader(m.f, m.size), buf)
	if err != nil {
		return n, err
	}
	if n != m.size {
		return n, errors.New(i18n.T("smtp.source.shrank", "{{.Path}} shrank while sending: {{.Read}} of {{.Size}} bytes",
			map[string]any{"Path": m.f.Name(), "Read": n, "Size": m.size}))
	}
	var probe [1]byte
	if k, _ := m.f.Read(probe[:]); k > 0 {
		return n, errors.New(i18n.T("smtp.source.grew", "{{.Path}} grew while sending", map[string]any{"Path": m.f.Name()}))
	}
	return n, nil
}

// Close closes the file.
func (m *File) Close() error { return m.f.Close() }

// onlyWriter hides ReadFrom so io.CopyBuffer uses our buffer size.
type onlyWriter struct{ io.Writer }

// HasEightBit reports whether a message has bytes over 127, to set
// Envelope.EightBitMIME for a file sent as is. It tests eight bytes at a
// time: a 100 MiB file costs little more than reading it.
func HasEightBit(r io.Reader) (bool, error) {
	buf := make([]byte, dataChunk)
	for {
		n, err := r.Read(buf)
		if eightBit(buf[:n]) {
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

func eightBit(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return true
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}
