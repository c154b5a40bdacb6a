package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Attack (attackzh round) on issue 19's "every string a person sees": on
// a Chinese desktop the application menu, the launcher's right-click
// action, the software centre and the Windows installer show Stamp in
// English only. The desktop entry has no GenericName[zh_CN], Comment[zh_CN]
// or Name[zh_CN] for its "New message" action
// (packaging/linux/app.stampmail.stamp.desktop), the AppStream metainfo no
// <summary xml:lang="zh-CN">, and the NSIS installer only MUI_LANGUAGE
// "English" (packaging/windows/stamp.nsi:75). Skipped unless STAMP_ATTACK
// is set.
func TestAttackZhTheDesktopEntryAndInstallerAreEnglishOnly(t *testing.T) {
	if os.Getenv("STAMP_ATTACK") == "" {
		t.Skip("attack test")
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	desktop := read("packaging/linux/app.stampmail.stamp.desktop")
	for _, key := range []string{"GenericName[zh_CN]=", "Comment[zh_CN]="} {
		if !strings.Contains(desktop, key) {
			t.Errorf("the desktop entry has no %s (a Chinese desktop shows the English)", key)
		}
	}
	if i := strings.Index(desktop, "[Desktop Action compose]"); i < 0 || !strings.Contains(desktop[i:], "Name[zh_CN]=") {
		t.Errorf("the desktop entry's New message action has no Name[zh_CN]=")
	}
	if meta := read("packaging/linux/app.stampmail.stamp.metainfo.xml"); !strings.Contains(meta, `<summary xml:lang="zh`) {
		t.Errorf("the AppStream metainfo has no Chinese summary")
	}
	if nsi := read("packaging/windows/stamp.nsi"); !strings.Contains(nsi, `MUI_LANGUAGE "SimpChinese"`) {
		t.Errorf("the Windows installer speaks English only (no MUI_LANGUAGE \"SimpChinese\")")
	}
}
