package contacts

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// syntheticBook is n contacts with names, local parts and domains drawn
// from small pools, so that short prefixes match thousands of them, as in
// a real large book.
func syntheticBook(n int) []Contact {
	first := []string{"anna", "john", "maria", "jose", "wei", "fatima", "olga", "ahmed", "julia", "li", "peter", "sara", "juan", "mei", "karl", "jo"}
	last := []string{"smith", "garcia", "wang", "müller", "kim", "jones", "rossi", "novak", "silva", "khan", "brown", "johnson", "lee", "martin"}
	domains := []string{"example.com", "example.org", "mail.example.net", "corp.example", "uni.example.edu", "jmail.example"}
	r := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	list := make([]Contact, n)
	for i := range list {
		f, l := first[r.IntN(len(first))], last[r.IntN(len(last))]
		c := Contact{Name: fmt.Sprintf("%s %s", f, l), Address: fmt.Sprintf("%s.%s%d@%s", f, l, i, domains[r.IntN(len(domains))])}
		if r.IntN(3) > 0 {
			c.Uses = r.IntN(50)
			c.LastUsed = now.Add(-time.Duration(r.IntN(400*24)) * time.Hour)
		}
		list[i] = c
	}
	return list
}

// BenchmarkSearch50k is one keystroke's suggestions (8) in a book of
// 50,000 contacts, for one- to several-letter prefixes:
//
//	go test -run '^$' -bench Search50k -benchmem ./contacts/
func BenchmarkSearch50k(b *testing.B) {
	s := &Store{idx: buildIndex(syntheticBook(50000))}
	for _, q := range []string{"j", "jo", "joh", "example", "müller", "zzz"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				s.idx.search([]string{q}, 8)
			}
		})
	}
	b.Run("john_sm", func(b *testing.B) {
		for b.Loop() {
			s.idx.search([]string{"john", "sm"}, 8)
		}
	})
}

// BenchmarkBuildIndex50k is reading a changed file's contents into the
// index (once per change, never per keystroke).
func BenchmarkBuildIndex50k(b *testing.B) {
	list := syntheticBook(50000)
	for b.Loop() {
		buildIndex(list)
	}
}

// BenchmarkStoreSearch50k is the whole call the completion makes per
// keystroke: a look at the file (stat), the search and the copies of the 8
// contacts returned.
func BenchmarkStoreSearch50k(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	list := syntheticBook(50000)
	if err := s.update(func(bk *book) error {
		for _, c := range list {
			bk.add(c)
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s.Search("jo", 8)
	}
}
