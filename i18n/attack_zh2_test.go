package i18n

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/text/language"
)

// settings.json that is a folder, or a link to one (a dotfiles manager
// linking the wrong level, ~/.config/stamp/settings.json → ~/dotfiles/stamp):
// reading it fails with "is a directory", which SaveChoice takes for a
// damaged file: it renames the folder — the link's target, wherever it is —
// to settings.json.broken-TIME (or the target's name + .broken-TIME) and
// writes a settings file in its place. Choosing a language in Stamp moves
// the person's folder away.
func TestAttackZh2SaveChoiceMovesAFolderAside(t *testing.T) { // fixed (fixzh2a): a regression test
	for _, viaLink := range []bool{false, true} {
		root := t.TempDir()
		dir := filepath.Join(root, "config")
		os.MkdirAll(dir, 0o700)
		folder := filepath.Join(dir, SettingsFile)
		if viaLink {
			folder = filepath.Join(root, "dotfiles", "stamp")
			os.MkdirAll(folder, 0o700)
			if err := os.Symlink(folder, filepath.Join(dir, SettingsFile)); err != nil {
				t.Fatal(err)
			}
		} else {
			os.MkdirAll(folder, 0o700)
		}
		keep := filepath.Join(folder, "notes.txt")
		if err := os.WriteFile(keep, []byte("mine"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := SaveChoice(dir, "zh-Hans")
		fi, serr := os.Stat(folder)
		_, kerr := os.Stat(keep)
		if serr != nil || !fi.IsDir() || kerr != nil {
			entries, _ := filepath.Glob(filepath.Join(filepath.Dir(folder), "*"))
			t.Errorf("link %v: SaveChoice (err %v) moved the folder %s away (now %v); its contents: %v", viaLink, err, folder, entries, kerr)
		}
		if err == nil {
			t.Errorf("link %v: SaveChoice into a folder named %s said nothing", viaLink, SettingsFile)
		}
	}
}

// Where a day starts with the clocks going forward at midnight (Chile's
// first Sunday of September: 00:00 → 01:00; Paraguay, Cuba, Lebanon, and
// São Paulo until 2019 likewise), "local midnight" of that day does not
// exist, and time.ParseInLocation gives the hour before it: 23:00 the day
// BEFORE. ParseDate("2026-09-06") is then the 5th; Send later takes the
// parsed value's Date() (ui laterAt), so a message the person schedules
// for 6 Sep 09:30 leaves on 5 Sep 09:30 — and so does one picked from the
// calendar, whose day is written into the entry and parsed back.
func TestAttackZh2ParseDateOnAMidnightDSTDayIsTheDayBefore(t *testing.T) { // fixed (fixzh2a): a regression test
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	saved := time.Local
	time.Local = loc
	t.Cleanup(func() { time.Local = saved })
	for _, lang := range []language.Tag{English, SimplifiedChinese} {
		SetLanguage(lang)
		for _, typed := range []string{"2026-09-06", "2026年9月6日", "6 Sep 2026", Date(time.Date(2026, 9, 6, 12, 0, 0, 0, loc))} {
			got, ok := ParseDate(typed)
			if !ok || got.Day() != 6 || got.Month() != time.September {
				t.Errorf("%v: ParseDate(%q) = %v (%v), the person wrote the 6th", lang, typed, got, ok)
			}
		}
	}
	SetLanguage(English)
}
