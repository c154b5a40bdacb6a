package smtpclient

import (
	"encoding/base64"
	"strings"
	"testing"
)

// SecretForms lists the forms a server (or a log) could write a secret in,
// each once, longest first, and none for an empty secret.
func TestSecretFormsListsEveryWayToWriteASecret(t *testing.T) {
	const s = "pä\"ss\x07wörd-密码-long enough"
	forms := SecretForms(s)
	have := map[string]bool{}
	for i, f := range forms {
		if f.Text == "" || f.Kind == "" || strings.Contains(f.Kind, s) {
			t.Errorf("form %d: kind %q, text %q", i, f.Kind, f.Text)
		}
		if have[f.Text] {
			t.Errorf("%q listed twice", f.Text)
		}
		have[f.Text] = true
		if i > 0 && len(f.Text) > len(forms[i-1].Text) {
			t.Errorf("form %d (%s) is longer than the one before it", i, f.Kind)
		}
	}
	for _, want := range []string{
		s,
		`p\u00e4\"ss\aw\u00f6rd-\u5bc6\u7801-long enough`,            // %+q
		`pä\"ss\u0007wörd-密码-long enough`,                            // JSON
		`p\u00e4\"ss\u0007w\u00f6rd-\u5bc6\u7801-long enough`,        // Python's json.dumps
		`pä"ss\x07wörd-密码-long enough`,                               // Printable
		base64.StdEncoding.EncodeToString([]byte(s)),                 // AUTH LOGIN
		base64.RawStdEncoding.EncodeToString([]byte(s)),              // without padding
		base64.RawURLEncoding.EncodeToString([]byte(s)),              // URL alphabet
		base64.RawStdEncoding.EncodeToString([]byte("\x00" + s))[4:], // inside AUTH PLAIN's blob, less the edges
	} {
		found := false
		for f := range have {
			if strings.Contains(want, f) && len(f) >= len(want)-4 {
				found = true
			}
		}
		if !found {
			t.Errorf("no form covers %q", want)
		}
	}
	if SecretForms("") != nil {
		t.Error("an empty secret has forms")
	}
}
