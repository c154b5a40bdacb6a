package contacts

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// names maps every address in the book to its name.
func names(s *Store) map[string]string {
	out := map[string]string{}
	for _, c := range s.All() {
		out[c.Address] = c.Name
	}
	return out
}

func TestImportRealExports(t *testing.T) {
	tests := []struct {
		file      string
		want      map[string]string
		noAddress int
	}{
		{"google.vcf", map[string]string{
			"ada@example.org":                 "Ada Lovelace",
			"ada.lovelace@analytical.example": "Ada Lovelace",
			"countess@example.net":            "Ada Lovelace",
			"zhang.wei@example.cn":            "张伟",
		}, 1},
		{"apple.vcf", map[string]string{
			"grace@example.com":           "Grace Brewster Hopper",
			"amazing.grace@cobol.example": "Grace Brewster Hopper",
			"ding.xiaoli@example.cn":      "丁小丽",
		}, 0},
		{"outlook21.vcf", map[string]string{
			"juergen.mueller@contoso.example": "Jürgen Müller",
			"jm@private.example":              "Jürgen Müller",
			"rene@example.fr":                 "René François (Paris)",
			"lisi@example.cn":                 "李四",
		}, 0},
		{"thunderbird4.vcf", map[string]string{
			"alan.turing@bletchley.example": "Alan Turing",
			"a.turing@npl.example":          "Alan Turing",
			"nobody-named@example.org":      "",
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s := openTemp(t)
			res, err := s.ImportFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Problems) > 0 {
				t.Errorf("problems: %v", res.Problems)
			}
			if res.Added != len(tt.want) || res.NoAddress != tt.noAddress {
				t.Errorf("added %d, without address %d; want %d, %d", res.Added, res.NoAddress, len(tt.want), tt.noAddress)
			}
			got := names(s)
			for addr, name := range tt.want {
				if n, ok := got[addr]; !ok || n != name {
					t.Errorf("%s: name %q (in book: %v), want %q", addr, n, ok, name)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("book has %v", got)
			}
		})
	}
}

func TestMalformedCardsAreNamedAndTheRestImported(t *testing.T) {
	s := openTemp(t)
	res, err := s.ImportFile(filepath.Join("testdata", "malformed.vcf"))
	if err != nil {
		t.Fatal(err)
	}
	got := names(s)
	for _, a := range []string{"first@example.org", "half@example.org", "last@example.org"} {
		if _, ok := got[a]; !ok {
			t.Errorf("%s was not imported; book: %v", a, got)
		}
	}
	for _, a := range []string{"noend@example.org", "colonless@example.org", "klingon@example.org"} {
		if _, ok := got[a]; ok {
			t.Errorf("%s was imported from a broken card", a)
		}
	}
	var msgs []string
	for _, p := range res.Problems {
		msgs = append(msgs, p.Error())
	}
	joined := strings.Join(msgs, "\n")
	for _, want := range []string{
		`card 2 "No End" (line 6): no END:VCARD before the next card's BEGIN:VCARD (line 10)`,
		`card 3 "Half Bad"`, `EMAIL "not an address" left out: not an e-mail address`,
		`card 4 "Colonless"`, "no colon",
		`card 5 <klingon@example.org>`, `unknown CHARSET "x-klingon"`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("problems do not say %q:\n%s", want, joined)
		}
	}
	if len(res.Problems) != 4 {
		t.Errorf("%d problems, want 4:\n%s", len(res.Problems), joined)
	}
}

func TestNotAVCardFileIsAnError(t *testing.T) {
	s := openTemp(t)
	if _, err := s.Import(strings.NewReader("name,email\nBob,bob@example.org\n")); err == nil {
		t.Fatal("a CSV file was taken for vCards")
	}
	if s.Len() != 0 {
		t.Fatal("something was imported")
	}
}

func TestCardTooBigIsSkipped(t *testing.T) {
	s := openTemp(t)
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Huge\r\nEMAIL:huge@example.org\r\nPHOTO;ENCODING=b:")
	line := strings.Repeat("A", 74)
	for b.Len() < MaxCardSize+100 {
		b.WriteString(line + "\r\n ")
	}
	b.WriteString("A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Small\r\nEMAIL:small@example.org\r\nEND:VCARD\r\n")
	res, err := s.Import(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), `"Huge"`) || !strings.Contains(res.Problems[0].Error(), "larger than") {
		t.Fatalf("problems: %v", res.Problems)
	}
	if got := names(s); len(got) != 1 || got["small@example.org"] != "Small" {
		t.Fatalf("book: %v", got)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	src := openTemp(t)
	for _, f := range []string{"google.vcf", "apple.vcf", "outlook21.vcf", "thunderbird4.vcf"} {
		if _, err := src.ImportFile(filepath.Join("testdata", f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.Add(`Comma, "Quoted"; Name\Slash`, "odd@example.org"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := src.Export(&out); err != nil {
		t.Fatal(err)
	}
	// Ada's three addresses come back as one card.
	if n := strings.Count(out.String(), "BEGIN:VCARD"); n != 10 {
		t.Errorf("%d cards exported, want 10 (one per imported card with addresses, one for the added address):\n%s", n, out.String())
	}
	dst := openTemp(t)
	res, err := dst.Import(&out)
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("import of the export: %v %v", err, res.Problems)
	}
	a, b := names(src), names(dst)
	if len(a) != len(b) {
		t.Fatalf("round trip: %v\n!=\n%v", a, b)
	}
	for addr, n := range a {
		if b[addr] != n {
			t.Errorf("%s: %q after the round trip, was %q", addr, b[addr], n)
		}
	}
	for _, c := range src.All() {
		d, _ := dst.Get(c.Address)
		if (c.Card == "") != (d.Card == "") {
			t.Errorf("%s: card %q became %q", c.Address, c.Card, d.Card)
		}
	}
	var cards []string
	for _, c := range dst.All() {
		if strings.HasPrefix(c.Address, "ada") || c.Address == "countess@example.net" {
			cards = append(cards, c.Card)
		}
	}
	sort.Strings(cards)
	if len(cards) != 3 || cards[0] != cards[2] || cards[0] == "" {
		t.Errorf("Ada's addresses are not one card after the round trip: %q", cards)
	}
}

func TestImportRefusesADevice(t *testing.T) {
	s := openTemp(t)
	if _, err := s.ImportFile(os.DevNull); err == nil {
		t.Fatal("a device was read as a vCard file")
	}
}
