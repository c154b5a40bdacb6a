package ui

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"golang.org/x/text/language"

	"stamp/i18n"
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
	out, err := exec.CommandContext(ctx, "fc-list", ":family="+family+":style="+style, "file", "index").Output()
	if err != nil {
		return "", 0, false
	}
	// One line per match: "/path/font.ttc: :index=2"; take the first.
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, rest, found := strings.Cut(line, ": ")
		if !found {
			continue
		}
		_, idx, _ := strings.Cut(rest, "index=")
		n, err := strconv.Atoi(strings.TrimSpace(idx))
		if err != nil {
			n = 0
		}
		return path, n, true
	}
	return "", 0, false
}

// loadFace reads a font file as a resource Fyne can load: a TrueType or
// OpenType file as it is, face index of a collection (.ttc) as a standalone
// OpenType font (Fyne parses single fonts only).
func loadFace(path string, index int) (fyne.Resource, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if string(data[:min(4, len(data))]) == "ttcf" {
		data, err = extractFace(data, index)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	name := strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".ttc") + "-" + strconv.Itoa(index) + ".otf"
	return fyne.NewStaticResource(name, data), nil
}

var errBadCollection = errors.New("not a valid font collection")

// extractFace copies face index of a TrueType/OpenType collection into a
// font of its own: its table directory, then each table it names (4-byte
// aligned), with the offsets rewritten.
func extractFace(ttc []byte, index int) ([]byte, error) {
	be := binary.BigEndian
	if len(ttc) < 12 {
		return nil, errBadCollection
	}
	n := int(be.Uint32(ttc[8:]))
	if index < 0 || index >= n || len(ttc) < 12+4*n {
		return nil, fmt.Errorf("no face %d in a collection of %d", index, n)
	}
	off := int(be.Uint32(ttc[12+4*index:]))
	if off+12 > len(ttc) {
		return nil, errBadCollection
	}
	tables := int(be.Uint16(ttc[off+4:]))
	dirLen := 12 + 16*tables
	if off+dirLen > len(ttc) {
		return nil, errBadCollection
	}
	size := dirLen
	for i := 0; i < tables; i++ {
		rec := ttc[off+12+16*i:]
		o, l := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if o+l > len(ttc) || o < 0 || l < 0 {
			return nil, errBadCollection
		}
		size += (l + 3) &^ 3
	}
	out := make([]byte, dirLen, size)
	copy(out, ttc[off:off+dirLen])
	for i := 0; i < tables; i++ {
		rec := out[12+16*i:]
		o, l := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		be.PutUint32(rec[8:], uint32(len(out)))
		out = append(out, ttc[o:o+l]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}
