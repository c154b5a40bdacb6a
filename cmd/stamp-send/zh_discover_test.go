package main

import (
	"strings"
	"testing"
	"time"

	"stamp/discover"
	"stamp/i18n"
)

// account discover's result when nothing was found, in Chinese and in
// English: Stamp's words in the language, the lookups' places as they are.
func TestDiscoveryPrintedInChinese(t *testing.T) {
	r := &discover.Result{Address: "ann@example.org", Domain: "example.org", Attempts: []discover.Attempt{
		{Source: discover.SourceAutoconfig, Where: "https://autoconfig.example.org/mail/config-v1.1.xml", Outcome: discover.NothingThere, Took: time.Millisecond},
		{Source: discover.SourceMX, Where: "example.org", Outcome: discover.Skipped},
	}}
	defer i18n.SetLanguage(i18n.English)
	i18n.SetLanguage(i18n.SimplifiedChinese)
	var zh strings.Builder
	if err := printDiscovery(&zh, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"没有找到 ann@example.org 可用的设置", "查找记录：", "无结果", "已跳过", "没有保存任何内容。"} {
		if !strings.Contains(zh.String(), want) {
			t.Errorf("in Chinese the result lacks %q:\n%s", want, zh.String())
		}
	}
	for _, line := range strings.Split(zh.String(), "\n") {
		if en := zhEnglishIn(line); len(en) > 0 {
			t.Errorf("English %q left in %q", en, line)
		}
	}
	if got, want := attemptSummary(r), "查找：autoconfig 无结果、mx 已跳过"; got != want {
		t.Errorf("the lookups in one line: %q, want %q", got, want)
	}
	i18n.SetLanguage(i18n.English)
	var en strings.Builder
	printDiscovery(&en, r)
	for _, want := range []string{"No usable settings found for ann@example.org.", "\nLookups:\n", "  autoconfig      nothing    https://", "Nothing was saved.\n"} {
		if !strings.Contains(en.String(), want) {
			t.Errorf("in English the result lacks %q:\n%s", want, en.String())
		}
	}
	if got, want := attemptSummary(r), "lookups: autoconfig nothing, mx skipped"; got != want {
		t.Errorf("the lookups in one line: %q, want %q", got, want)
	}
}
