package i18n

import (
	"testing"

	"golang.org/x/text/language"
)

// Stamp has no Traditional Chinese yet: every Chinese variant gets the
// Simplified translation wherever it stands in the person's list, and the
// list's order decides between Chinese and English.
func TestEveryChineseVariantGetsSimplifiedChineseInListOrder(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want language.Tag
	}{
		{"zh_TW in LANG", map[string]string{"LANG": "zh_TW.UTF-8"}, SimplifiedChinese},
		{"zh_TW in LANGUAGE before an English LANG", map[string]string{"LANGUAGE": "zh_TW", "LANG": "en_US.UTF-8"}, SimplifiedChinese},
		{"zh_HK in LANGUAGE before an English LANG", map[string]string{"LANGUAGE": "zh_HK", "LANG": "en_US.UTF-8"}, SimplifiedChinese},
		{"zh-Hant in LANGUAGE", map[string]string{"LANGUAGE": "zh-Hant:en", "LANG": "en_GB.UTF-8"}, SimplifiedChinese},
		{"zh_SG in LANGUAGE", map[string]string{"LANGUAGE": "zh_SG", "LANG": "en_US.UTF-8"}, SimplifiedChinese},
		{"bare zh in LANGUAGE", map[string]string{"LANGUAGE": "zh", "LANG": "en_US.UTF-8"}, SimplifiedChinese},
		{"a language Stamp lacks, then zh_TW", map[string]string{"LANGUAGE": "fr:zh_TW:en", "LANG": "fr_FR.UTF-8"}, SimplifiedChinese},
		{"English first, then zh_CN", map[string]string{"LANGUAGE": "en:zh_CN", "LANG": "zh_CN.UTF-8"}, English},
		{"English first, then zh_TW", map[string]string{"LANGUAGE": "en_US:zh_TW", "LANG": "zh_TW.UTF-8"}, English},
		{"only languages Stamp lacks", map[string]string{"LANGUAGE": "fr:de", "LANG": "fr_FR.UTF-8"}, English},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Match(envLanguages(func(k string) string { return tt.env[k] })...); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// Windows' preferred UI languages and macOS's AppleLanguages go through the
// same match; their lists are parsed here as each system writes them.
func TestChineseVariantsFromWindowsAndMacOSLists(t *testing.T) {
	tests := []struct {
		name string
		list []string
		want language.Tag
	}{
		{"Windows zh-TW then en-US", []string{"zh-TW", "en-US"}, SimplifiedChinese},
		{"Windows zh-HK", []string{"zh-HK", "en-GB"}, SimplifiedChinese},
		{"Windows en-US then zh-TW", []string{"en-US", "zh-TW"}, English},
		{"Windows fr-FR then zh-TW", []string{"fr-FR", "zh-TW", "en-US"}, SimplifiedChinese},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tags []language.Tag
			for _, n := range tt.list {
				tags = appendParsed(tags, n)
			}
			if got := Match(tags...); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	for in, want := range map[string]language.Tag{
		"(\n    \"zh-Hant-TW\",\n    \"en-US\"\n)": SimplifiedChinese,
		"(\n    \"zh-Hant-HK\"\n)":                 SimplifiedChinese,
		"(\n    \"en-GB\",\n    \"zh-Hant-TW\"\n)": English,
		"(\n    \"ja-JP\",\n    \"zh-Hans-CN\"\n)": SimplifiedChinese,
	} {
		if got := Match(parseAppleLanguages(in)...); got != want {
			t.Errorf("AppleLanguages %q: got %v, want %v", in, got, want)
		}
	}
}

// A person who names a Chinese variant on purpose (--lang, settings.json)
// gets Simplified Chinese too.
func TestNamedChineseVariantsAreSpoken(t *testing.T) {
	for _, in := range []string{"zh_TW", "zh-Hant", "zh_HK.UTF-8", "zh_SG", "zh"} {
		if got, err := ParseSupported(in); err != nil || got != SimplifiedChinese {
			t.Errorf("ParseSupported(%q) = %v, %v; want zh-Hans", in, got, err)
		}
		if got := Choice(in).Resolve(); got != SimplifiedChinese {
			t.Errorf("Choice(%q).Resolve() = %v; want zh-Hans", in, got)
		}
	}
}
