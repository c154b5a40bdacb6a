package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every exported function of this package that takes a key is one the key
// check reads: a new one (as TIn once was) would otherwise pass keys and
// English texts the check never sees.
func TestTheKeyCheckReadsEveryFunctionTakingAKey(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	seen := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !fn.Name.IsExported() {
				continue
			}
			for _, p := range fn.Type.Params.List {
				for _, n := range p.Names {
					if n.Name != "key" {
						continue
					}
					seen++
					if !translationFuncs[i18nPath][fn.Name.Name] {
						t.Errorf("%s: i18n.%s takes a key but the key check does not read its calls (translationFuncs, fileKeys)", fset.Position(fn.Pos()), fn.Name.Name)
					}
				}
			}
		}
	}
	if seen < 4 { // T, N, M, TIn
		t.Fatalf("found %d exported functions taking a key; expected at least T, N, M and TIn", seen)
	}
}
