package contacts

import (
	"net/mail"
	"testing"
	"time"
)

// A Bcc recipient's use is kept to the day, and a Bcc the same day never
// moves an exact later visible use back.
func TestBccUseIsKeptToTheDay(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	if err := s.Learn([]mail.Address{{Address: "boss@example.org"}}, nil, []mail.Address{{Address: "lawyer@example.net"}}); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if c, _ := s.Get("lawyer@example.net"); !c.LastUsed.Equal(day) || !c.Added.Equal(day) || c.Uses != 1 {
		t.Fatalf("Bcc'd lawyer: last used %v, added %v, uses %d; want the day %v and 1 use", c.LastUsed, c.Added, c.Uses, day)
	}
	if c, _ := s.Get("boss@example.org"); !c.LastUsed.Equal(time.Date(2026, 12, 1, 9, 31, 0, 0, time.UTC)) {
		t.Fatalf("To boss: last used %v, want the send's instant", c.LastUsed)
	}
	if err := s.Learn(nil, nil, []mail.Address{{Address: "boss@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Get("boss@example.org"); !c.LastUsed.Equal(time.Date(2026, 12, 1, 9, 31, 0, 0, time.UTC)) || c.Uses != 2 {
		t.Fatalf("after a Bcc the same day: last used %v, uses %d", c.LastUsed, c.Uses)
	}
}
