package contacts

import (
	"encoding/json"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Finding 4: Bcc recipients are "never shown as sent with" anyone, but the
// file (and `stamp-send contacts list --json`, which prints last_used)
// still says who was Bcc'd together: every address of one send gets the
// very same LastUsed, to the nanosecond, and the same Uses step. Read
// back from contacts.json by an independent JSON decode, the Bcc'd
// recipient sits in a group with the visible ones of that message.
func TestAttackBccRecipientsShareTheSendInstantWithTheVisibleOnes(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	// Unrelated sends before and after, at other times.
	if err := s.Learn([]mail.Address{{Address: "other@example.org"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Learn([]mail.Address{{Address: "boss@example.org"}}, nil, []mail.Address{{Address: "lawyer@example.net"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Learn([]mail.Address{{Address: "late@example.org"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Contacts []struct {
			Address  string `json:"address"`
			LastUsed string `json:"last_used"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	when := map[string]string{}
	for _, c := range f.Contacts {
		when[c.Address] = c.LastUsed
	}
	if when["lawyer@example.net"] != "" && when["lawyer@example.net"] == when["boss@example.org"] && when["boss@example.org"] != when["late@example.org"] {
		t.Fatalf("contacts.json pairs the Bcc'd lawyer with the To boss: both last_used %s (unique to that send)", when["boss@example.org"])
	}
}

// Finding 6: ranking lowercases with strings.ToLower instead of folding
// case: a name stored in capitals with a Greek final sigma
// (ΟΔΥΣΣΕΑΣ) is not found when typed as it is written in lower case
// (Οδυσσεας, final ς), though "ΟΔΥΣΣΕΑΣ" finds it.
func TestAttackGreekFinalSigmaIsNotCaseFolded(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Learn([]mail.Address{{Name: "ΟΔΥΣΣΕΑΣ Παπαδόπουλος", Address: "od@example.gr"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.Search("Οδυσσεας", 5); len(got) != 1 {
		t.Fatalf("typing the name Οδυσσεας finds %v; want the contact ΟΔΥΣΣΕΑΣ (case folding)", got)
	}
}

// Finding 7: a pathological query is not fast. Search takes the longest
// word as the lead and checks every other word against each contact the
// lead matches, so the cost is words × contacts: a pasted text of a few
// thousand characters whose longest word is the company domain (every
// contact has it) costs seconds per keystroke in a 50,000-contact book
// (the paste itself runs suggest; the To field then lags on every key,
// and `stamp-send contacts list QUERY` hangs the same way).
func TestAttackManyWordQueryIsQuadraticIn50kBook(t *testing.T) {
	s := &Store{idx: buildIndex(syntheticBook(50000))}
	q := "example " + strings.Repeat("e ", 2000) + "zz"
	start := time.Now()
	s.Search(q, 8)
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Fatalf("one keystroke's search of a %d-character, 2002-word query took %v in 50,000 contacts (budget 5 ms)", len(q), took)
	}
}
