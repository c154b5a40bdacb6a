package contacts

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestQueryWordsDropDuplicatesAndPrefixes(t *testing.T) {
	got := queryWords("ann e example ann an smith e")
	if want := []string{"ann", "example", "smith"}; !slices.Equal(got, want) {
		t.Fatalf("queryWords = %q, want %q", got, want)
	}
}

func TestLongOrManyWordQueriesAreCheap(t *testing.T) {
	s := &Store{idx: buildIndex(syntheticBook(50000))}
	// Under MaxQueryBytes, many words that start "example": one word left.
	q := "example " + strings.Repeat("e ex exa ", 20)
	if len(q) > MaxQueryBytes {
		t.Fatalf("test query is %d bytes", len(q))
	}
	start := time.Now()
	got := s.Search(q, 8)
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Fatalf("a %d-byte query of repeated prefixes took %v", len(q), took)
	}
	if len(got) != 8 {
		t.Fatalf("the query reduced to \"example\" found %d contacts, want 8", len(got))
	}
	if got := s.Search("a b c d e f g h i", 8); got != nil {
		t.Fatalf("nine different words found %d contacts, want none", len(got))
	}
	if got := s.Search(strings.Repeat("x", MaxQueryBytes+1), 8); got != nil {
		t.Fatal("an over-long query found contacts")
	}
}
