package main

import (
	"os"
	"path/filepath"
	"regexp"
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
// "English" (packaging/windows/stamp.nsi:75). Fixed; now a regression
// test, which also holds every LangString of the installer to a Chinese twin.
func TestAttackZhTheDesktopEntryAndInstallerAreEnglishOnly(t *testing.T) { // fixed (fixzhb): a regression test
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	desktop := read("packaging/linux/app.stampmail.stamp.desktop")
	for _, key := range []string{"GenericName[zh_CN]=", "Comment[zh_CN]=", "Keywords[zh_CN]="} {
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
	nsi := read("packaging/windows/stamp.nsi")
	for _, m := range regexp.MustCompile(`(?m)^LangString (\w+) \$\{LANG_ENGLISH\}`).FindAllStringSubmatch(nsi, -1) {
		if !strings.Contains(nsi, "LangString "+m[1]+" ${LANG_SIMPCHINESE} ") {
			t.Errorf("the installer's %s has no Simplified Chinese text", m[1])
		}
	}
	if meta := read("packaging/linux/app.stampmail.stamp.metainfo.xml"); !strings.Contains(meta, `<p xml:lang="zh-CN">`) {
		t.Errorf("the AppStream metainfo has no Chinese description")
	}
}

// README.zh-CN.md's first mail says 点击发送 and the send panel shows each
// step; since the outbox (issue 18) Send empties the form and waits (10 秒后
// 发送 — 撤销) before anything is sent, and Send later and the Outbox
// (邮件 › 发件箱) exist: the Chinese README names none of them (nor the
// 联系人 window), so a reader's first send does not do what it says.
func TestAttackZhTheChineseReadmeDescribesTheSendBeforeTheOutbox(t *testing.T) { // fixed (fixzhb): a regression test
	b, err := os.ReadFile(filepath.Join("..", "..", "README.zh-CN.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"撤销", "发件箱", "稍后发送"} {
		if !strings.Contains(string(b), word) {
			t.Errorf("README.zh-CN.md never says %s", word)
		}
	}
}
