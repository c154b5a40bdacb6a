package contacts

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzImport feeds arbitrary bytes to the vCard import: it never panics,
// every imported address is valid, and what it imported exports and
// imports again to the same addresses.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.vcf"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Import(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range res.Problems {
			if p.Card == "" || p.Error() == "" {
				t.Fatalf("a problem without a name: %#v", p)
			}
		}
		all := s.All()
		for _, c := range all {
			if checkAddress(c.Address) != nil {
				t.Fatalf("imported %q", c.Address)
			}
			if strings.ContainsAny(c.Name, "\r\n") {
				t.Fatalf("a name with a line break: %q", c.Name)
			}
		}
		if len(all) == 0 {
			return
		}
		var out bytes.Buffer
		if err := s.Export(&out); err != nil {
			t.Fatal(err)
		}
		again, _ := Open(t.TempDir())
		if _, err := again.Import(&out); err != nil {
			t.Fatalf("the export does not import: %v\n%s", err, out.String())
		}
		if again.Len() != len(all) {
			t.Fatalf("%d addresses after export and import, was %d\n%s", again.Len(), len(all), out.String())
		}
	})
}
