package i18n

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The key check: every key the code uses (lang.X / lang.XN in ui, T / N
// here and in the pure packages) is in every translation file, every key in a
// file is used, en.json says what the code's English fallback says, and a
// translation uses no template field its English lacks. Keys are read from
// the syntax tree of every non-test .go file of the module, so a key must be
// a string literal at the call.
//
// Adding the keys another branch used is JSON only: this test prints the
// missing ones ready to paste into en.json (and to translate into the others).

const (
	fynelangPath = "fyne.io/fyne/v2/lang"
	i18nPath     = "stamp/i18n"
)

// use is one key as the code uses it.
type use struct {
	key, one, other string
	where           string
}

func TestEveryKeyIsTranslatedAndEveryTranslationUsed(t *testing.T) {
	uses, problems := scanKeys(t, "..")
	fu, fp := fyneUses(t) // Fyne's keys Stamp words itself (fynekeys_test.go)
	uses, problems = append(uses, fu...), append(problems, fp...)
	files := loadFiles(t)
	byKey := map[string]use{}
	for _, u := range uses {
		if prev, ok := byKey[u.key]; ok && (prev.other != u.other || prev.one != u.one) {
			problems = append(problems, fmt.Sprintf("%s: key %q has English %q here but %q at %s", u.where, u.key, u.other, prev.other, prev.where))
			continue
		}
		byKey[u.key] = u
	}
	missing := map[string][]string{}
	for _, lang := range sortedKeys(files) {
		msgs := files[lang]
		for _, k := range sortedKeys(byKey) {
			u := byKey[k]
			m, ok := msgs[k]
			if !ok {
				missing[lang] = append(missing[lang], k)
				continue
			}
			if lang == "en" {
				if m["other"] != u.other || (u.one != "" && m["one"] != u.one) {
					problems = append(problems, fmt.Sprintf("en.json: %q is %q but the code at %s says %q (one: %q)", k, m["other"], u.where, u.other, u.one))
				}
			}
			want := fields(u.one + u.other)
			for form, text := range m {
				for f := range fields(text) {
					if !want[f] {
						problems = append(problems, fmt.Sprintf("%s.json: %q (%s) uses {{.%s}}, which the English at %s does not have", lang, k, form, f, u.where))
					}
				}
			}
		}
		for _, k := range sortedKeys(msgs) {
			if _, ok := byKey[k]; !ok {
				problems = append(problems, fmt.Sprintf("%s.json: key %q is used nowhere in the code", lang, k))
			}
		}
	}
	for _, lang := range sortedKeys(missing) {
		var b strings.Builder
		for _, k := range missing[lang] {
			u := byKey[k]
			v, _ := json.Marshal(u.other)
			if u.one != "" {
				v, _ = json.Marshal(map[string]string{"one": u.one, "other": u.other})
			}
			fmt.Fprintf(&b, "  %q: %s,\n", k, v)
		}
		problems = append(problems, fmt.Sprintf("%s.json lacks %d keys the code uses (English shown; translate them):\n%s", lang, len(missing[lang]), b.String()))
	}
	if len(uses) < 200 {
		problems = append(problems, fmt.Sprintf("found only %d keys in the code: is the scan broken?", len(uses)))
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// scanKeys parses every non-test .go file under root and returns the keys of
// the translation calls, with problems (a key that is not a literal, lang.L).
func scanKeys(t *testing.T, root string) (uses []use, problems []string) {
	t.Helper()
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "bin" || name == "dist" || name == "test-output") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		u, p := fileKeys(fset, f)
		uses, problems = append(uses, u...), append(problems, p...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return uses, problems
}

func fileKeys(fset *token.FileSet, f *ast.File) (uses []use, problems []string) {
	names := map[string]string{} // local name -> import path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p != fynelangPath && p != i18nPath {
			continue
		}
		n := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			n = imp.Name.Name
		}
		if n == "." {
			problems = append(problems, fset.Position(imp.Pos()).String()+": import "+p+" by name, not with a dot (the key check reads lang.X and i18n.T calls)")
			continue
		}
		names[n] = p
	}
	inI18n := f.Name.Name == "i18n" && len(names) == 0
	// A translation function used as a value (var x = lang.X) hides its
	// calls from the check: report it.
	called := map[*ast.SelectorExpr]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				called[sel] = true
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || called[sel] {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && translationFuncs[names[id.Name]][sel.Sel.Name] {
			problems = append(problems, fset.Position(sel.Pos()).String()+": call "+id.Name+"."+sel.Sel.Name+" directly, never through a variable (the key check reads only calls)")
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		var pkg, fn string
		switch fun := call.Fun.(type) {
		case *ast.SelectorExpr:
			id, ok := fun.X.(*ast.Ident)
			if !ok || names[id.Name] == "" {
				return true
			}
			pkg, fn = names[id.Name], fun.Sel.Name
		case *ast.Ident:
			if !inI18n {
				return true
			}
			pkg, fn = i18nPath, fun.Name
		default:
			return true
		}
		where := fset.Position(call.Pos()).String()
		lit := func(i int) (string, bool) {
			if i >= len(call.Args) {
				return "", false
			}
			b, ok := call.Args[i].(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(b.Value)
			return s, err == nil
		}
		var u use
		var ok1, ok2, ok3 = true, true, true
		switch {
		case pkg == fynelangPath && (fn == "X" || fn == "LocalizeKey" || fn == "XN" || fn == "LocalizePluralKey"):
			u.key, ok1 = lit(0)
			u.other, ok2 = lit(1)
		case pkg == fynelangPath && (fn == "L" || fn == "N" || fn == "Localize" || fn == "LocalizePlural"):
			problems = append(problems, where+": use lang.X with a dotted key, not lang."+fn)
			return true
		case pkg == i18nPath && (fn == "T" || fn == "M"):
			u.key, ok1 = lit(0)
			u.other, ok2 = lit(1)
		case pkg == i18nPath && fn == "TIn": // TIn(tag, key, English, data)
			u.key, ok1 = lit(1)
			u.other, ok2 = lit(2)
		case pkg == i18nPath && fn == "N":
			u.key, ok1 = lit(0)
			u.one, ok2 = lit(1)
			u.other, ok3 = lit(2)
		default:
			return true
		}
		if !ok1 || !ok2 || !ok3 {
			if inI18n {
				return true // the layer itself passes keys on (Message.String)
			}
			problems = append(problems, where+": the key and English text of a translation call must be string literals (the key check reads them from the source)")
			return true
		}
		if !keyPattern.MatchString(u.key) {
			problems = append(problems, fmt.Sprintf("%s: key %q is not lowercase and dotted (area.thing)", where, u.key))
		}
		u.where = where
		uses = append(uses, u)
		return true
	})
	return uses, problems
}

// translationFuncs are the functions whose calls the key check reads, by
// import path.
var translationFuncs = map[string]map[string]bool{
	fynelangPath: {"X": true, "XN": true, "LocalizeKey": true, "LocalizePluralKey": true, "L": true, "N": true, "Localize": true, "LocalizePlural": true},
	i18nPath:     {"T": true, "N": true, "M": true, "TIn": true},
}

var (
	keyPattern   = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)
	fieldPattern = regexp.MustCompile(`\{\{\s*\.(\w+)`)
)

func fields(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range fieldPattern.FindAllStringSubmatch(s, -1) {
		m[f[1]] = true
	}
	return m
}

// loadFiles reads every translation file: language -> key -> form -> text.
func loadFiles(t *testing.T) map[string]map[string]map[string]string {
	t.Helper()
	entries, err := os.ReadDir(Dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(Dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		msgs := map[string]map[string]string{}
		for k, v := range raw {
			var s string
			if json.Unmarshal(v, &s) == nil {
				msgs[k] = map[string]string{"other": s}
				continue
			}
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil || forms["other"] == "" {
				t.Errorf("%s: %q is neither a text nor plural forms with \"other\"", e.Name(), k)
				continue
			}
			msgs[k] = forms
		}
		out[strings.TrimSuffix(e.Name(), ".json")] = msgs
	}
	if len(out) < 2 {
		t.Fatalf("found %d translation files, want en and zh-Hans at least", len(out))
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
