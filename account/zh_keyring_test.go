package account

import (
	"context"
	"errors"
	"strings"
	"testing"

	"stamp/i18n"
)

// The keyring's and the security modes' words in Chinese: Stamp's sentence
// translated, the numbers and the system's words kept, the typed errors
// unchanged (issue 19).
func TestKeyringTextsInChinese(t *testing.T) {
	defer i18n.SetLanguage(i18n.English)
	ctx := context.Background()
	kr := NewLimitedKeyring()
	big := fakeRefreshToken(t, 9000)

	i18n.SetLanguage(i18n.SimplifiedChinese)
	err := kr.Set(KeyringService, "probe", big)
	if !errors.Is(err, ErrKeyringValueTooBig) {
		t.Fatalf("a 9,000-byte value: %v, want ErrKeyringValueTooBig", err)
	}
	checkChinese(t, "a value too big", err.Error(), "windows:", "2560")
	if !strings.Contains(err.Error(), "密钥环不接受这么大的值") {
		t.Errorf("a value too big in Chinese: %q", err)
	}

	s := NewSecretsWith(kr)
	if _, err := s.SaveRefreshToken(ctx, "big@example.com", "microsoft", big); err != nil {
		t.Fatal(err)
	}
	for k := range kr.Entries() {
		if strings.HasSuffix(k, "/2") {
			kr.MemoryKeyring.Delete(KeyringService, strings.SplitN(k, "\x00", 2)[1])
		}
	}
	_, _, _, err = NewSecretsWith(kr).RefreshToken(ctx, "big@example.com")
	if !errors.Is(err, ErrTokenDamaged) {
		t.Fatalf("a missing part: %v, want ErrTokenDamaged", err)
	}
	checkChinese(t, "a missing part", err.Error(), `"big@example.com"`)
	if !strings.Contains(err.Error(), "缺少第 2 部分") {
		t.Errorf("a missing part in Chinese: %q", err)
	}

	for _, sec := range []Security{SecurityTLS, SecuritySTARTTLS, SecurityNone} {
		checkChinese(t, "security "+string(sec), sec.Describe())
	}

	i18n.SetLanguage(i18n.English)
	if err := kr.Set(KeyringService, "probe", big); err.Error() != "windows: the keyring refuses a value this large (9000 bytes > 2560)" {
		t.Errorf("a value too big in English: %q", err)
	}
	if _, _, _, err := NewSecretsWith(kr).RefreshToken(ctx, "big@example.com"); !strings.Contains(err.Error(), `account "big@example.com": part 2 of `) {
		t.Errorf("a missing part in English: %q", err)
	}
	if got := SecurityNone.Describe(); got != "no encryption (local relays and test servers only)" {
		t.Errorf("security none in English: %q", got)
	}
}
