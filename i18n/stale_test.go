package i18n

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The stale check: each translation records a hash of the English it was
// made from (SourcesDir/LANG.json, key -> hash). When the English of a key
// changes in en.json, the hash no longer matches and this test fails until
// the key is translated again and its new hash recorded:
//
//	go test ./i18n -run TestTranslationsFollowTheEnglish -args -i18n.retranslated=KEY,KEY
//
// A key new in a translation has no record yet; once it is translated from
// the current English, record every such key with -args -i18n.record-new.

// sourcesDir holds the recorded hashes, one file per translation. It is not
// under Dir, which is embedded and read as message files.
const sourcesDir = "sources"

var (
	recordNew    = flag.Bool("i18n.record-new", false, "record the English hash of every translated key that has none")
	retranslated = flag.String("i18n.retranslated", "", "comma-separated keys translated again from the current English: record their new hash")
)

// englishHash identifies the English of one key (all its plural forms).
func englishHash(forms map[string]string) string {
	names := make([]string, 0, len(forms))
	for f := range forms {
		names = append(names, f)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, f := range names {
		h.Write([]byte(f + "\x00" + forms[f] + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func TestTranslationsFollowTheEnglish(t *testing.T) {
	files := loadFiles(t)
	en := files["en"]
	again := map[string]bool{}
	for _, k := range strings.Split(*retranslated, ",") {
		if k = strings.TrimSpace(k); k != "" {
			again[k] = true
		}
	}
	for lang, msgs := range files {
		if lang == "en" {
			continue
		}
		path := filepath.Join(sourcesDir, lang+".json")
		recorded := map[string]string{}
		if data, err := os.ReadFile(path); err == nil {
			if err := json.Unmarshal(data, &recorded); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		} else if !os.IsNotExist(err) {
			t.Fatal(err)
		}
		changed := false
		var stale, unrecorded []string
		for key := range msgs {
			forms, ok := en[key]
			if !ok {
				continue // the key check reports a key en.json lacks
			}
			want := englishHash(forms)
			got, has := recorded[key]
			switch {
			case again[key] || (!has && *recordNew):
				if got != want {
					recorded[key], changed = want, true
				}
			case !has:
				unrecorded = append(unrecorded, key)
			case got != want:
				stale = append(stale, key)
			}
		}
		for key := range recorded {
			if _, ok := msgs[key]; !ok {
				delete(recorded, key) // the translation is gone: so is its record
				changed = true
			}
		}
		sort.Strings(stale)
		sort.Strings(unrecorded)
		for _, k := range stale {
			t.Errorf("%s.json: the English of %q changed since it was translated (en.json: %q): translate it again, then record it with -args -i18n.retranslated=%s",
				lang, k, en[k]["other"], k)
		}
		if len(unrecorded) > 0 {
			t.Errorf("%s.json: %d keys have no record of the English they were translated from (%s): once they are translated from the current en.json, record them with -args -i18n.record-new",
				lang, len(unrecorded), strings.Join(unrecorded, ", "))
		}
		if changed {
			data, err := json.MarshalIndent(recorded, "", "  ") // keys sorted: small diffs
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(sourcesDir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("recorded %s", path)
		}
	}
}

// TestTranslationsKeepTheEnglishFields: a translation that drops a
// {{.Field}} of its English drops a fact (an address, a count, the server's
// reply). The key check rejects fields a translation adds; this is the other
// way.
func TestTranslationsKeepTheEnglishFields(t *testing.T) {
	files := loadFiles(t)
	for lang, msgs := range files {
		if lang == "en" {
			continue
		}
		for key, forms := range msgs {
			enForms, ok := files["en"][key]
			if !ok {
				continue
			}
			have := fields(forms["other"])
			for f := range fields(enForms["other"]) {
				if !have[f] {
					t.Errorf("%s.json: %q drops {{.%s}} of its English %q: %q", lang, key, f, enForms["other"], forms["other"])
				}
			}
		}
	}
}
