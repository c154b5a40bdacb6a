package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync/atomic"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// FS holds the translation files, one per language, named by its BCP 47 tag
// ("translations/en.json", "translations/zh-Hans.json"): the names both
// go-i18n and Fyne's lang.AddTranslationsFS read the language from.
//
//go:embed translations/*.json
var FS embed.FS

// Dir is the folder inside FS that holds the files (for lang.AddTranslationsFS).
const Dir = "translations"

// The languages Stamp speaks, English first (the fallback).
var (
	English           = language.English
	SimplifiedChinese = language.MustParse("zh-Hans")
)

// Supported lists the languages with a translation file, English first.
func Supported() []language.Tag { return []language.Tag{English, SimplifiedChinese} }

var (
	bundle  = loadBundle()
	matcher = language.NewMatcher(Supported())
	current atomic.Pointer[state]
)

type state struct {
	tag       language.Tag
	localizer *goi18n.Localizer
}

func init() { SetLanguage(English) }

func loadBundle() *goi18n.Bundle {
	b := goi18n.NewBundle(English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, t := range Supported() {
		name := Dir + "/" + t.String() + ".json"
		data, err := FS.ReadFile(name)
		if err != nil {
			panic(fmt.Sprintf("i18n: embedded %s: %v", name, err))
		}
		if _, err := b.ParseMessageFileBytes(data, name); err != nil {
			panic(fmt.Sprintf("i18n: embedded %s: %v", name, err))
		}
	}
	return b
}

// Match returns the supported language of the first given one (in order of
// preference, as the system lists them) that Stamp speaks, English when it
// speaks none. Every Chinese variant (zh-TW, zh-HK, zh-Hant, zh-SG, zh)
// counts as Simplified Chinese: Stamp has no Traditional translation yet, and
// Simplified is closer to a Traditional reader than English.
func Match(prefs ...language.Tag) language.Tag {
	for _, p := range prefs {
		if m, ok := matchSupported(p); ok {
			return m
		}
	}
	return English
}

// Parse reads a language name as a person or the system writes it ("zh_CN.UTF-8",
// "zh-Hans", "en-US", "C") and returns the supported language closest to it.
func Parse(s string) (language.Tag, error) {
	t, err := language.Parse(cleanLocale(s))
	if err != nil {
		return English, fmt.Errorf("unknown language %q: %w", s, err)
	}
	return Match(t), nil
}

// ParseSupported is Parse for a language a person names on purpose (--lang):
// an error when s is no language or one Stamp does not speak, instead of a
// quiet English.
func ParseSupported(s string) (language.Tag, error) {
	t, err := language.Parse(cleanLocale(s))
	if err != nil {
		return English, fmt.Errorf("unknown language %q: %w", s, err)
	}
	m, ok := matchSupported(t)
	if !ok {
		return English, fmt.Errorf("language %q is not one Stamp speaks", s)
	}
	return m, nil
}

// matchSupported is the supported language close to t, with false when
// none is: any Chinese is Simplified Chinese (see Match).
func matchSupported(t language.Tag) (language.Tag, bool) {
	if base, _ := t.Base(); base.String() == "zh" {
		return SimplifiedChinese, true
	}
	_, i, conf := matcher.Match(t)
	if conf == language.No {
		return English, false
	}
	return Supported()[i], true
}

// SetLanguage makes the supported language closest to tag the one T and N
// answer in, and returns it. Safe for concurrent use.
func SetLanguage(tag language.Tag) language.Tag {
	s := stateFor(Match(tag))
	current.Store(s)
	return s.tag
}

// states holds one localizer per supported language, made once.
var states = func() map[language.Tag]*state {
	m := map[language.Tag]*state{}
	for _, t := range Supported() {
		m[t] = &state{tag: t, localizer: goi18n.NewLocalizer(bundle, t.String())}
	}
	return m
}()

func stateFor(t language.Tag) *state {
	if s, ok := states[t]; ok {
		return s
	}
	return states[English]
}

// TIn is T in the supported language closest to tag, whatever the current
// one: for a text that must be in one given language (a Chinese provider's
// advice shown in both languages).
func TIn(tag language.Tag, key, fallback string, data ...map[string]any) string {
	return localize(stateFor(Match(tag)), key, &goi18n.Message{ID: key, Other: fallback}, nil, data)
}

// Language returns the language T and N answer in.
func Language() language.Tag { return current.Load().tag }

// T returns the text of key in the current language, or fallback (the
// English text, a text/template like the files' texts) when the language
// has no such key. data fills the template's {{.Name}} fields.
func T(key, fallback string, data ...map[string]any) string {
	return localize(current.Load(), key, &goi18n.Message{ID: key, Other: fallback}, nil, data)
}

// N returns the plural form of key for count in the current language
// (English: one/other; Chinese: other), with {{.Count}} set to count.
func N(key, one, other string, count int, data ...map[string]any) string {
	d := map[string]any{"Count": count}
	for _, m := range data {
		for k, v := range m {
			d[k] = v
		}
	}
	return localize(current.Load(), key, &goi18n.Message{ID: key, One: one, Other: other}, count, []map[string]any{d})
}

func localize(st *state, key string, def *goi18n.Message, count any, data []map[string]any) string {
	var d map[string]any
	if len(data) > 0 {
		d = data[0]
	}
	s, err := st.localizer.Localize(&goi18n.LocalizeConfig{
		DefaultMessage: def,
		TemplateData:   d,
		PluralCount:    count,
	})
	if err != nil && s == "" {
		// A broken template or plural: show the English rather than nothing.
		return def.Other
	}
	return s
}

// Message is a text that is looked up when it is shown, not when it is
// made: for tables built when the program starts (the engine's advice, the
// presets), before the language is chosen. Make one with M.
type Message struct {
	Key, English string
}

// M returns the Message for key with its English text. The key check reads
// M calls like T calls, so the key and text must be literals here too.
func M(key, english string) Message { return Message{Key: key, English: english} }

// String returns the text in the current language.
func (m Message) String() string { return T(m.Key, m.English) }

// With returns the text in the current language, its template filled with data.
func (m Message) With(data map[string]any) string { return T(m.Key, m.English, data) }

// In returns the text in the supported language closest to tag.
func (m Message) In(tag language.Tag, data map[string]any) string {
	return TIn(tag, m.Key, m.English, data)
}
