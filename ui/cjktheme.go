package ui

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"golang.org/x/text/language"

	"stamp/i18n"
	"stamp/internal/boundedfile"
)

// Fyne 2.7 draws a character its theme font lacks with a system font found
// rune by rune, and asks for that font without a weight
// (internal/painter/font.go lookupRuneFont: font.Aspect{}). Its per-style
// lookup by language, which would find a bold CJK face, misses for a locale
// like zh-CN. So on a bold button or label the Latin letters and digits are
// the theme's bold and the Chinese a regular system face: "导入 vCard…"
// changes weight in the middle of a word. When Stamp speaks Chinese and the
// system has a CJK sans-serif with a Regular and a Bold face, cjkTheme draws
// all proportional text with that font (Noto Sans CJK has Latin letters and
// digits too), so one line has one font in one weight. Monospace and
// symbols stay Fyne's. Otherwise nothing changes.

// cjkFamilies are the fonts tried, best first: each must have Regular and
// Bold. Debian's fonts-noto-cjk ships Noto Sans CJK SC; Source Han Sans is
// the same design under Adobe's name.
var cjkFamilies = []string{"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN"}

// cjkTheme is the app's theme with a CJK font for proportional text.
type cjkTheme struct {
	fyne.Theme
	regular, bold fyne.Resource
}

// Font returns the CJK face for proportional text (bold for bold, regular
// otherwise: Chinese has no italic) and the base theme's for monospace and
// symbols.
func (t *cjkTheme) Font(s fyne.TextStyle) fyne.Resource {
	switch {
	case s.Monospace || s.Symbol:
		return t.Theme.Font(s)
	case s.Bold:
		return t.bold
	default:
		return t.regular
	}
}

// cjkFontLookup finds a family's face (file and index in a collection) by
// style through fontconfig; tests replace it.
var cjkFontLookup = fcFace

// UseCJKFont makes a's theme draw text with a system CJK font when tag is
// Chinese and such a font (cjkFamilies) is installed; it reports whether it
// did. Call it after UseLanguage and before the first window is built.
func UseCJKFont(a fyne.App, tag language.Tag) bool {
	if tag != i18n.SimplifiedChinese {
		return false
	}
	th, err := newCJKTheme(a.Settings().Theme())
	if err != nil {
		fyne.LogError("no CJK font for Stamp's theme; Fyne's fallback draws Chinese", err)
		return false
	}
	if th == nil {
		return false
	}
	a.Settings().SetTheme(th)
	return true
}

// newCJKTheme returns base with the first of cjkFamilies that has both
// faces, nil when none is installed.
func newCJKTheme(base fyne.Theme) (*cjkTheme, error) {
	for _, fam := range cjkFamilies {
		regFile, regIdx, ok1 := cjkFontLookup(fam, "Regular")
		boldFile, boldIdx, ok2 := cjkFontLookup(fam, "Bold")
		if !ok1 || !ok2 {
			continue
		}
		reg, err := loadFace(regFile, regIdx)
		if err != nil {
			return nil, err
		}
		bold, err := loadFace(boldFile, boldIdx)
		if err != nil {
			return nil, err
		}
		return &cjkTheme{Theme: base, regular: reg, bold: bold}, nil
	}
	return nil, nil
}

// fcFace asks fontconfig for family's face in style: its file and its
// index in a collection. Not on Windows and macOS (no fontconfig there).
func fcFace(family, style string) (file string, index int, ok bool) {
	switch runtime.GOOS {
	case "windows", "darwin", "android", "ios":
		return "", 0, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	// One line per match, "FILE<TAB>INDEX": a tab cannot end a font's
	// path the way ": " could (fc-list's own format).
	out, err := exec.CommandContext(ctx, "fc-list", "-f", "%{file}\t%{index}\n", ":family="+family+":style="+style).Output()
	if err != nil {
		return "", 0, false
	}
	return firstFace(string(out))
}

// firstFace reads the first "FILE<TAB>INDEX" line of fc-list's output.
func firstFace(out string) (file string, index int, ok bool) {
	for _, line := range strings.Split(out, "\n") {
		path, idx, found := strings.Cut(line, "\t")
		if !found || path == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(idx))
		if err != nil || n < 0 {
			n = 0
		}
		return path, n, true
	}
	return "", 0, false
}

// loadFace reads a font file as a resource Fyne can load: a TrueType or
// OpenType file as it is, face index of a collection (.ttc) as a standalone
// OpenType font (Fyne parses single fonts only), read table by table.
func loadFace(path string, index int) (fyne.Resource, error) {
	f, _, err := boundedfile.Open(path) // a regular file: never a FIFO
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tag [4]byte
	if _, err := f.ReadAt(tag[:], 0); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var data []byte
	if string(tag[:]) == "ttcf" {
		data, err = extractFace(f, index)
	} else {
		data, err = io.ReadAll(io.LimitReader(f, maxFontSize+1))
		if err == nil && len(data) > maxFontSize {
			err = fmt.Errorf("larger than %d MB", maxFontSize>>20)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + "-" + strconv.Itoa(index) + ".otf"
	return fyne.NewStaticResource(name, data), nil
}

var errBadCollection = errors.New("not a valid font collection")

// maxFontSize bounds what one face may claim (Noto Sans CJK's is 17 MB).
const maxFontSize = 64 << 20

// extractFace copies face index of a TrueType/OpenType collection into a
// font of its own: its table directory, then each table it names (4-byte
// aligned), with the offsets rewritten.
func extractFace(ttc io.ReaderAt, index int) ([]byte, error) {
	be := binary.BigEndian
	read := func(off int64, n int) ([]byte, error) {
		b := make([]byte, n)
		if _, err := ttc.ReadAt(b, off); err != nil {
			return nil, errBadCollection
		}
		return b, nil
	}
	head, err := read(0, 12)
	if err != nil {
		return nil, err
	}
	n := int(be.Uint32(head[8:]))
	if index < 0 || index >= n {
		return nil, fmt.Errorf("no face %d in a collection of %d", index, n)
	}
	b, err := read(12+4*int64(index), 4)
	if err != nil {
		return nil, err
	}
	off := int64(be.Uint32(b))
	b, err = read(off, 12)
	if err != nil {
		return nil, err
	}
	tables := int(be.Uint16(b[4:]))
	dirLen := 12 + 16*tables
	dir, err := read(off, dirLen)
	if err != nil {
		return nil, err
	}
	size := dirLen
	for i := 0; i < tables; i++ {
		size += (int(be.Uint32(dir[12+16*i+12:])) + 3) &^ 3
	}
	if size > maxFontSize {
		return nil, errBadCollection
	}
	out := make([]byte, size)
	copy(out, dir)
	at := dirLen
	for i := 0; i < tables; i++ {
		rec := out[12+16*i:]
		o, l := int64(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if _, err := ttc.ReadAt(out[at:at+l], o); err != nil {
			return nil, errBadCollection
		}
		be.PutUint32(rec[8:], uint32(at))
		at += (l + 3) &^ 3
	}
	return out, nil
}
