package account

import (
	"strings"
	"testing"

	"stamp/i18n"
)

// A keyring found missing before any operation (no Op) still reads as a
// sentence: it names what could not be done, in both languages.
func TestAKeyringErrorWithoutAnOperationReadsAsASentence(t *testing.T) {
	defer i18n.SetLanguage(i18n.English)
	for _, tc := range []struct {
		lang      i18n.Choice
		want, bad string
	}{
		{"en", "cannot use the password in the system keyring", "cannot  the"},
		{"zh-Hans", "无法在系统密钥环中使用密码", "密钥环中密码"},
	} {
		i18n.SetLanguage(tc.lang.Resolve())
		got := (&KeyringUnavailableError{Reason: ReasonNoService}).Error()
		if !strings.Contains(got, tc.want) || strings.Contains(got, tc.bad) {
			t.Errorf("%s: %q, want it to say %q", tc.lang, got, tc.want)
		}
	}
}
