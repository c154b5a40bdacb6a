package i18n

import (
	"go/parser"
	"go/token"
	"testing"
)

// Attack (attackzh round): the key check reads lang.X, i18n.T, i18n.N and
// i18n.M calls, and lists i18n.TIn among the translation functions
// (keys_test.go:246), but fileKeys has no case for TIn calls
// (keys_test.go:204-222 fall to `default: return true`): a TIn key is
// neither checked against the files nor counted as used, and a TIn whose
// English is a variable (as ui/fonts.go:66 passes `local`) is not
// reported. A misspelt key in the one call that keeps the no-CJK-font
// warning legible (ui/fonts.go:66) would turn it back into boxes and pass.
func TestAttackZhTheKeyCheckReadsTIn(t *testing.T) {
	src := `package ui
import "stamp/i18n"
func f(local string) string { return i18n.TIn(i18n.English, "fonts.cjk_misssing", local) }`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "fonts.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	uses, problems := fileKeys(fset, f)
	if len(uses) == 0 && len(problems) == 0 {
		t.Errorf("i18n.TIn(tag, %q, variable): the key check neither reads the key nor complains", "fonts.cjk_misssing")
	}
}
