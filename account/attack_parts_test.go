package account_test

import (
	"context"
	"strings"
	"testing"

	"stamp/account"
)

// TestAttackPasswordOverASplitSignInLeavesItsPartsInTheKeyring: an
// account whose (Microsoft-sized) refresh token is split across entries
// gets a password (stamp-send account password, account add --replace):
// Save overwrites the head only, and the parts — the whole refresh token,
// still valid at the provider — stay in the keyring, pointed to by
// nothing, so no Sign out or Remove ever deletes them.
func TestAttackPasswordOverASplitSignInLeavesItsPartsInTheKeyring(t *testing.T) {
	ctx := context.Background()
	kr := account.NewLimitedKeyring()
	s := account.NewSecretsWith(kr)
	token := "M." + strings.Repeat("0123456789abcdef", 300) // 4,802 bytes: split
	if _, err := s.SaveRefreshToken(ctx, "me", "microsoft", token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePassword(ctx, "me", "a password"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "me"); err != nil { // Remove account: forget every secret
		t.Fatal(err)
	}
	for k, v := range kr.Entries() {
		if strings.Contains(token, v) || strings.Contains(v, token[:200]) {
			t.Errorf("after a password and Remove, the keyring entry %q still holds part of the refresh token (%d bytes)",
				strings.ReplaceAll(k, "\x00", " "), len(v))
		}
	}
}
