package contacts

import (
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// halfLifeDays is how fast a use fades: a send 30 days ago counts half as
// much as one today.
const halfLifeDays = 30.0

// neverUsedDays is the age given to a contact that was imported or added
// but never sent to, so it ranks below recent use but is still found.
const neverUsedDays = 180.0

// index is the contacts of one read of the file, in rank order (best
// first), with their search tokens: built once, never changed, so readers
// need no lock on it except for the scratch bitset.
type index struct {
	list   []Contact // best first
	byKey  map[string]int
	toks   []posting // every token of every contact, sorted by token
	joined []string  // per contact: "\x00tok\x00tok…", to test a word in one Contains

	mu   sync.Mutex // guards mark (one search at a time)
	mark []uint64   // scratch: a bit per contact
}

type posting struct {
	tok string
	id  int32
}

// rankOf is log2 of the contact's frecency, (1+uses) × 2^(−age/30 days),
// without the part that only depends on today: the order it gives does not
// change as time passes, so it is computed once per index.
func rankOf(c *Contact) float64 {
	days := -neverUsedDays
	if !c.LastUsed.IsZero() {
		days = float64(c.LastUsed.Unix()) / 86400
	} else if !c.Added.IsZero() {
		days = float64(c.Added.Unix())/86400 - neverUsedDays
	}
	return math.Log2(1+float64(c.Uses)) + days/halfLifeDays
}

func buildIndex(in []Contact) *index {
	type ranked struct {
		rank      float64
		name, key string
		i         int
	}
	order := make([]ranked, len(in))
	for i := range in {
		order[i] = ranked{rankOf(&in[i]), strings.ToLower(in[i].Name), key(in[i].Address), i}
	}
	// Higher frecency first, then by name, then by address, so that equal
	// ranks come out the same way every time.
	slices.SortFunc(order, func(a, b ranked) int {
		if a.rank != b.rank {
			if a.rank > b.rank {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	idx := &index{list: make([]Contact, len(in)), byKey: make(map[string]int, len(in)),
		joined: make([]string, len(in)), mark: make([]uint64, (len(in)+63)/64)}
	idx.toks = make([]posting, 0, 6*len(in))
	var b strings.Builder
	for id, o := range order {
		c := in[o.i]
		idx.list[id] = c
		idx.byKey[o.key] = id
		b.Reset()
		for _, t := range tokens(&c) {
			idx.toks = append(idx.toks, posting{t, int32(id)})
			b.WriteByte(0)
			b.WriteString(t)
		}
		idx.joined[id] = b.String()
	}
	slices.SortFunc(idx.toks, func(a, b posting) int { return strings.Compare(a.tok, b.tok) })
	return idx
}

// tokens are the case-folded words a query word may be a prefix of: each
// word of the name (and, in a run of Chinese or Japanese characters, each
// position in it, as such names have no spaces), the whole address, the
// local part and its pieces (split at . _ - +), and the domain and its
// labels.
func tokens(c *Contact) []string {
	out := make([]string, 0, 8)
	add := func(t string) {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, w := range strings.FieldsFunc(fold(c.Name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	}) {
		add(w)
		for i, r := range w {
			if i > 0 && isIdeograph(r) {
				add(w[i:])
			}
		}
	}
	addr := fold(c.Address)
	add(addr)
	local, domain := addr, ""
	if at := strings.LastIndexByte(addr, '@'); at >= 0 {
		local, domain = addr[:at], addr[at+1:]
	}
	add(local)
	for _, p := range strings.FieldsFunc(local, func(r rune) bool { return strings.ContainsRune("._-+", r) }) {
		add(p)
	}
	add(domain)
	for _, l := range strings.Split(domain, ".") {
		add(l)
	}
	return out
}

// fold case-folds s (Unicode full case folding: final ς and σ, ß and ss
// match), as both the tokens and the query are compared. A Caser keeps
// state, so each call has its own; plain ASCII (most addresses) needs none.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return cases.Fold().String(s)
		}
	}
	return strings.ToLower(s)
}

func isIdeograph(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// Search returns up to limit contacts (all when limit ≤ 0) that match
// query, best first: each word of the query must be the start of a word of
// the name, of the address, of its local part or of its domain (any case).
// They are ranked by frecency: uses, each worth half as much every 30
// days; contacts never sent to count as used once, 180 days before they
// were added. An empty query matches every contact.
//
// The cost of a keystroke does not grow with the square of anything: a
// binary search finds the tokens that start with the longest query word,
// each sets its contact's bit, and the bits are read in rank order until
// limit contacts also match the other words. A query longer than
// MaxQueryBytes, or of more than MaxQueryWords different words (once the
// words that only start another one are dropped), matches nothing: no
// address or name is that long, and a pasted page must not cost seconds
// per keystroke.
func (s *Store) Search(query string, limit int) []Contact {
	if len(query) > MaxQueryBytes {
		return nil
	}
	words := queryWords(fold(query))
	if len(words) > MaxQueryWords {
		return nil
	}
	idx := s.snapshot()
	ids := idx.search(words, limit)
	out := make([]Contact, len(ids))
	for i, id := range ids {
		out[i] = idx.list[id].clone()
	}
	return out
}

// Query limits of Search.
const (
	// MaxQueryBytes is the longest query Search looks up.
	MaxQueryBytes = 256
	// MaxQueryWords is the most different words a query may have.
	MaxQueryWords = 8
)

// queryWords splits query into its words, without duplicates and without
// the words that start another one (a contact matching "example" also
// matches "e").
func queryWords(query string) []string {
	words := strings.Fields(query)
	out := make([]string, 0, len(words))
	for i, w := range words {
		implied := false
		for j, o := range words {
			if strings.HasPrefix(o, w) && (len(o) > len(w) || j < i) {
				implied = true // a longer word it starts, or the same word earlier
				break
			}
		}
		if !implied {
			out = append(out, w)
		}
	}
	return out
}

func (idx *index) search(words []string, limit int) []int {
	n := len(idx.list)
	if limit <= 0 || limit > n {
		limit = n
	}
	if len(words) == 0 {
		out := make([]int, limit)
		for i := range out {
			out[i] = i
		}
		return out
	}
	lead := 0
	for i, w := range words {
		if len(w) > len(words[lead]) {
			lead = i
		}
	}
	w := words[lead]
	others := make([]string, 0, len(words)-1)
	for i, o := range words {
		if i != lead {
			others = append(others, "\x00"+o)
		}
	}
	lo := sort.Search(len(idx.toks), func(i int) bool { return idx.toks[i].tok >= w })
	hi := lo + sort.Search(len(idx.toks)-lo, func(i int) bool { return !strings.HasPrefix(idx.toks[lo+i].tok, w) })
	if lo == hi {
		return nil
	}
	idx.mu.Lock()
	defer idx.mu.Unlock()
	clear(idx.mark)
	for _, p := range idx.toks[lo:hi] {
		idx.mark[p.id>>6] |= 1 << (p.id & 63)
	}
	var out []int
	for wi, word := range idx.mark {
		for word != 0 {
			id := wi<<6 + bits.TrailingZeros64(word)
			word &= word - 1
			if idx.matchesAll(id, others) {
				out = append(out, id)
				if len(out) == limit {
					return out
				}
			}
		}
	}
	return out
}

// matchesAll says whether every word (each "\x00"+word) starts a token of
// contact id.
func (idx *index) matchesAll(id int, words []string) bool {
	for _, w := range words {
		if !strings.Contains(idx.joined[id], w) {
			return false
		}
	}
	return true
}
