package i18n

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A settings file Stamp cannot read for another reason than its contents
// (here far larger than any settings file, perhaps something else saved
// under the name) is not damaged: choosing a language says why it was not
// saved, in the person's language, and moves and writes nothing.
func TestAnUnreadableSettingsFileIsAnErrorAndKept(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SettingsFile)
	big := bytes.Repeat([]byte("x"), 70<<10)
	if err := os.WriteFile(path, big, 0o600); err != nil {
		t.Fatal(err)
	}
	SetLanguage(SimplifiedChinese)
	defer SetLanguage(English)
	err := SaveChoice(dir, "en")
	if err == nil || !strings.Contains(err.Error(), "语言未保存") {
		t.Errorf("saving over a 70 KiB settings.json: %v; want an error saying the language was not saved", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, big) {
		t.Errorf("the file was changed (%d bytes now)", len(b))
	}
	if aside, _ := filepath.Glob(filepath.Join(dir, "*broken*")); len(aside) != 0 {
		t.Errorf("kept aside as if damaged: %v", aside)
	}
}
