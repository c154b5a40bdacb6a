package i18ntest

import "testing"

// The checks can fail: an English sentence, a raw key, no Chinese.
func TestTheChecksSeeWhatAPersonWouldNotice(t *testing.T) {
	for _, tc := range []struct {
		text        string
		english     bool
		key, han    bool
		description string
	}{
		{"无法连接到服务器 smtp.example.com", false, false, true, "Chinese with a host"},
		{"无法连接：could not reach the server", true, false, true, "English left"},
		{"outbox.state_sent", false, true, false, "a raw key"},
		{"535 5.7.8 AADSTS65001", false, false, false, "codes only"},
	} {
		if got := EnglishRun(tc.text) != ""; got != tc.english {
			t.Errorf("%s: English found %v, want %v", tc.description, got, tc.english)
		}
		if got := RawKey(tc.text) != ""; got != tc.key {
			t.Errorf("%s: raw key found %v, want %v", tc.description, got, tc.key)
		}
		if got := HasHan(tc.text); got != tc.han {
			t.Errorf("%s: Han %v, want %v", tc.description, got, tc.han)
		}
	}
}
