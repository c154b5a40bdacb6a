package i18n

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fyneKeys are keys of Fyne's own texts (its dialogs' buttons, the file
// dialog) that Stamp's translation files set. Stamp registers its files
// into the same bundle after Fyne's, so a key here replaces Fyne's wording:
// Fyne's Chinese says 好 for OK and 不 for No, where Chinese software says
// 确定 and 否. No Stamp code calls these keys; the key check counts them as
// used by Fyne, with the English of Fyne's own base.en.json, so a typo or a
// key a Fyne upgrade dropped fails the check instead of passing unseen.
var fyneKeys = []string{
	"Create Folder",
	"New Folder",
	"No",
	"OK",
	"Select all",
	"Show Hidden Files",
	"Undo",
	"file.name",
	"file.parent",
}

// fyneUses returns fyneKeys as uses with Fyne's English, read from the Fyne
// module this build uses (go list -m), and a problem for each key Fyne does
// not have.
func fyneUses(t *testing.T) (uses []use, problems []string) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatalf("finding Fyne's module: %v", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "lang", "translations", "base.en.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("Fyne's English: %v", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	for _, k := range fyneKeys {
		v, ok := raw[k]
		if !ok {
			problems = append(problems, "fynekeys_test.go: Fyne's base.en.json has no key "+strconv.Quote(k)+" (a typo, or Fyne dropped it)")
			continue
		}
		u := use{key: k, where: "Fyne's base.en.json"}
		var forms map[string]string
		if json.Unmarshal(v, &u.other) != nil {
			if err := json.Unmarshal(v, &forms); err != nil {
				t.Fatalf("%s: %q: %v", file, k, err)
			}
			u.one, u.other = forms["one"], forms["other"]
		}
		uses = append(uses, u)
	}
	return uses, problems
}

// The allowance itself can fail: a key Fyne lacks is reported.
func TestFyneKeysAreFynes(t *testing.T) {
	saved := fyneKeys
	defer func() { fyneKeys = saved }()
	fyneKeys = []string{"OK", "Okay"}
	uses, problems := fyneUses(t)
	if len(uses) != 1 || uses[0].other != "OK" {
		t.Errorf("uses %+v, want OK with Fyne's English OK", uses)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], `"Okay"`) {
		t.Errorf("problems %q, want one naming \"Okay\"", problems)
	}
}
