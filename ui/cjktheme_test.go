package ui

import (
	"bytes"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	gotext "github.com/go-text/typesetting/font"

	"stamp/i18n"
)

// The theme Stamp uses for each language and font situation, and the font
// resource it gives each text style: one CJK font in two weights for
// Chinese when the system has one; Fyne's fonts otherwise.
func TestThemeFontsFollowLanguageAndCJKFont(t *testing.T) {
	if _, _, ok := fcFace("Noto Sans CJK SC", "Bold"); !ok {
		t.Skip("fonts-noto-cjk is not installed")
	}
	bold, regular := fyne.TextStyle{Bold: true}, fyne.TextStyle{}
	t.Run("zh with Noto Sans CJK", func(t *testing.T) {
		a := test.NewTempApp(t)
		if !UseCJKFont(a, i18n.SimplifiedChinese) {
			t.Fatal("Chinese with fonts-noto-cjk installed: the CJK font is not used")
		}
		th := a.Settings().Theme()
		for _, c := range []struct {
			style  fyne.TextStyle
			weight gotext.Weight
		}{{regular, gotext.WeightNormal}, {bold, gotext.WeightBold}, {fyne.TextStyle{Bold: true, Italic: true}, gotext.WeightBold}} {
			f := parseFont(t, th.Font(c.style))
			d := f.Describe()
			if d.Family != "Noto Sans CJK SC" || d.Aspect.Weight != c.weight {
				t.Errorf("%+v: %q weight %v, want Noto Sans CJK SC weight %v", c.style, d.Family, d.Aspect.Weight, c.weight)
			}
			for _, r := range "导入 vCard…1封" { // the Chinese and the Latin of one line from one face
				if _, ok := f.NominalGlyph(r); !ok {
					t.Errorf("%+v: no glyph for %q", c.style, r)
				}
			}
		}
		mono := fyne.TextStyle{Monospace: true}
		if th.Font(mono) != theme.DefaultTheme().Font(mono) {
			t.Errorf("monospace is not Fyne's: %s", th.Font(mono).Name())
		}
	})
	t.Run("en with Noto Sans CJK", func(t *testing.T) {
		a := test.NewTempApp(t)
		before := a.Settings().Theme()
		if UseCJKFont(a, i18n.English) || a.Settings().Theme() != before {
			t.Error("the English UI's theme changed")
		}
	})
	t.Run("zh without a CJK font", func(t *testing.T) {
		defer func(f func(string, string) (string, int, bool)) { cjkFontLookup = f }(cjkFontLookup)
		cjkFontLookup = func(string, string) (string, int, bool) { return "", 0, false }
		a := test.NewTempApp(t)
		before := a.Settings().Theme()
		if UseCJKFont(a, i18n.SimplifiedChinese) || a.Settings().Theme() != before {
			t.Error("without a CJK font the theme changed")
		}
		for _, s := range []fyne.TextStyle{regular, bold} {
			if a.Settings().Theme().Font(s) != theme.DefaultTheme().Font(s) {
				t.Errorf("%+v: not Fyne's font", s)
			}
		}
	})
}

// parseFont parses r as Fyne does (go-text's ParseTTF: single fonts only).
func parseFont(t *testing.T, r fyne.Resource) *gotext.Face {
	t.Helper()
	f, err := gotext.ParseTTF(bytes.NewReader(r.Content()))
	if err != nil {
		t.Fatalf("%s: Fyne could not load it: %v", r.Name(), err)
	}
	return f
}

// A damaged collection is an error, not a panic or a half font.
func TestExtractFaceRefusesDamagedCollections(t *testing.T) {
	file, idx, ok := fcFace("Noto Sans CJK SC", "Regular")
	if !ok {
		t.Skip("fonts-noto-cjk is not installed")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		idx  int
	}{{"cut short", data[:4096], idx}, {"no such face", data, 99}, {"header only", []byte("ttcf\x00\x01"), 0}} {
		if _, err := extractFace(bytes.NewReader(c.data), c.idx); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// BenchmarkCJKThemeLoad is what a Chinese start pays for Stamp's CJK
// theme on this machine: asking fontconfig for the two faces and cutting
// them out of the installed collection (docs/performance.md).
func BenchmarkCJKThemeLoad(b *testing.B) {
	if _, _, ok := fcFace(cjkFamilies[0], "Regular"); !ok {
		b.Skip("no Noto Sans CJK installed (scripts/deps.sh installs fonts-noto-cjk)")
	}
	b.ReportAllocs()
	for b.Loop() {
		th, err := newCJKTheme(theme.DefaultTheme())
		if err != nil || th == nil {
			b.Fatalf("no theme: %v", err)
		}
	}
}

// fc-list's lines are read by their tab: a font path holding ": " (which
// fc-list's default format uses as its separator) is kept whole.
func TestFirstFaceKeepsAPathWithAColon(t *testing.T) {
	for _, tc := range []struct {
		out   string
		file  string
		index int
		ok    bool
	}{
		{"/usr/share/fonts/noto/NotoSansCJK-Bold.ttc\t2\n", "/usr/share/fonts/noto/NotoSansCJK-Bold.ttc", 2, true},
		{"/home/ann/fonts/CJK: bold/Noto.ttc\t1\n/other.ttc\t0\n", "/home/ann/fonts/CJK: bold/Noto.ttc", 1, true},
		{"/font.otf\t\n", "/font.otf", 0, true},
		{"", "", 0, false},
	} {
		file, index, ok := firstFace(tc.out)
		if file != tc.file || index != tc.index || ok != tc.ok {
			t.Errorf("%q: %q %d %v, want %q %d %v", tc.out, file, index, ok, tc.file, tc.index, tc.ok)
		}
	}
}
