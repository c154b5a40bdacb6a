package compose

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"sync"
)

const (
	lineIn  = 57 // input bytes per base64 line
	lineOut = 76 // characters per base64 line (RFC 2045 §6.8)
	// blockLines is how many lines are encoded per read: about 230 KiB in,
	// 310 KiB out, large enough that a 100 MiB file takes a few hundred
	// reads and writes.
	blockLines = 4096
)

// Base64Size is how many bytes an attachment of n bytes takes in a message
// Stamp writes: base64 in lines of 76 characters separated by CRLF (the
// line break after the last line belongs to the MIME boundary). Front ends
// use it to weigh a message before it is written.
func Base64Size(n int64) int64 { return base64Size(n) }

// base64Size is the length of n bytes in base64 lines of 76 characters
// separated by CRLF, without a line break after the last line.
func base64Size(n int64) int64 {
	if n == 0 {
		return 0
	}
	lines := (n + lineIn - 1) / lineIn
	return (n+2)/3*4 + 2*(lines-1)
}

// encoder streams attachments as base64 lines; its buffers are reused
// through a pool, so memory does not grow with the size of the files.
type encoder struct {
	in  []byte
	out []byte
}

var encoders = sync.Pool{New: func() any {
	return &encoder{
		in:  make([]byte, lineIn*blockLines),
		out: make([]byte, (lineOut+2)*blockLines),
	}
}}

func getEncoder() *encoder  { return encoders.Get().(*encoder) }
func putEncoder(e *encoder) { encoders.Put(e) }

// encode writes src's content to dst as base64 lines. It reads exactly
// src.size bytes and fails with an *AttachmentError if the content is
// shorter or longer than that.
func (e *encoder) encode(dst io.Writer, src *source) error {
	r, err := src.open()
	if err != nil {
		return err
	}
	defer r.Close()
	fail := func(got int64, err error) error {
		return &AttachmentError{Name: src.name, Path: src.path, Want: src.size, Got: got, Err: err}
	}
	var done int64
	for done < src.size {
		n := int(min(int64(len(e.in)), src.size-done))
		if _, err := io.ReadFull(r, e.in[:n]); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return fail(-1, errors.New("the file became shorter"))
			}
			return fail(-1, err)
		}
		out := e.out[:0]
		if done > 0 {
			out = append(out, '\r', '\n')
		}
		out = encodeLines(out, e.in[:n])
		done += int64(n)
		if _, err := dst.Write(out); err != nil {
			return err
		}
	}
	// A file that grew would be sent cut short; refuse rather than send a
	// message that looks complete.
	var one [1]byte
	if n, _ := r.Read(one[:]); n > 0 {
		return fail(-1, errors.New("the file became longer"))
	}
	return nil
}

// encodeLines appends in as base64 lines separated by CRLF (none after the
// last) to out, which has room for them.
func encodeLines(out, in []byte) []byte {
	o := len(out)
	out = out[:cap(out)]
	for len(in) > lineIn {
		encodeLine((*[lineOut + 2]byte)(out[o:]), (*[lineIn]byte)(in))
		o += lineOut + 2
		in = in[lineIn:]
	}
	n := base64.StdEncoding.EncodedLen(len(in))
	base64.StdEncoding.Encode(out[o:o+n], in)
	return out[:o+n]
}

// base64Pairs maps 12 bits of input to their two base64 characters, first
// character in the low byte: one lookup does the work of two.
var base64Pairs = func() (t [4096]uint16) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = uint16(alphabet[i>>6]) | uint16(alphabet[i&63])<<8
	}
	return t
}()

// encodeLine writes one full line, 57 bytes as 76 characters and CRLF. It
// is base64.StdEncoding.Encode specialised for the line: six input bytes
// per step, loaded as one 64-bit word, four pair lookups and one 64-bit
// store of eight characters (about twice the speed of the general encoder;
// TestEncodeLineMatchesTheStandardEncoder compares them).
func encodeLine(dst *[lineOut + 2]byte, src *[lineIn]byte) {
	t := &base64Pairs
	for i, o := 0, 0; i < 54; i, o = i+6, o+8 {
		// Bytes i..i+7 are in range: the last step reads up to byte 55.
		v := binary.BigEndian.Uint64(src[i:])
		a, b := v>>40, v>>16
		w := uint64(t[(a>>12)&0xfff]) | uint64(t[a&0xfff])<<16 |
			uint64(t[(b>>12)&0xfff])<<32 | uint64(t[b&0xfff])<<48
		binary.LittleEndian.PutUint64(dst[o:], w)
	}
	v := uint(src[54])<<16 | uint(src[55])<<8 | uint(src[56])
	binary.LittleEndian.PutUint16(dst[72:], t[(v>>12)&0xfff])
	binary.LittleEndian.PutUint16(dst[74:], t[v&0xfff])
	dst[76], dst[77] = '\r', '\n'
}
