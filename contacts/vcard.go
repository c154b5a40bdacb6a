package contacts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/quotedprintable"
	"sort"
	"strings"

	"github.com/emersion/go-vcard"
	"golang.org/x/text/encoding/htmlindex"

	"stamp/i18n"
	"stamp/internal/boundedfile"
)

// MaxVCardFile bounds a vCard file read by ImportFile. Cards are read one
// at a time, so memory stays at one card (MaxCardSize); the bound only
// keeps a device or an endless file from being read for ever. 1 GiB holds
// tens of thousands of cards with photos.
const MaxVCardFile = 1 << 30

// CardError is one card that could not be imported, or not completely (an
// EMAIL that is not an address is left out, the card's other addresses
// are imported), named by its place in the file and its FN or first
// address.
type CardError struct {
	Card string // e.g. `card 3 "Bob Example" (line 17)`
	Err  error
}

func (e *CardError) Error() string {
	return i18n.T("contacts.err.card", "{{.Card}}: {{.Err}}", map[string]any{"Card": e.Card, "Err": e.Err.Error()})
}

func (e *CardError) Unwrap() error { return e.Err }

// ImportResult says what an import did.
type ImportResult struct {
	Added, Updated int // addresses new to the book, and known ones renamed or re-filed
	NoAddress      int // cards without any e-mail address (nothing to import)
	// Problems lists the cards left out, in part or whole; everything else
	// was imported.
	Problems []*CardError
}

// ImportFile imports the vCard file at path (see Import). Only a regular
// file is read, at most MaxVCardFile bytes.
func (s *Store) ImportFile(path string) (ImportResult, error) {
	f, fi, err := boundedfile.Open(path)
	if err != nil {
		return ImportResult{}, errOpen(path, err)
	}
	defer f.Close()
	if fi.Size() > MaxVCardFile {
		return ImportResult{}, errVCardTooLarge(path, MaxVCardFile>>20)
	}
	return s.Import(io.LimitReader(f, MaxVCardFile))
}

// imported is one address of a card.
type imported struct {
	name, addr, card string
}

// Import reads vCards (versions 2.1, 3.0 and 4.0, any number per file, as
// Google Contacts, Apple Contacts, Outlook and Thunderbird write them) and
// adds every EMAIL with the card's name (FN, else N) to the book; a known
// address takes the card's name. Version 2.1 is read as Outlook and old
// phones write it: bare parameters ("EMAIL;PREF;INTERNET:") are types, and
// values in ENCODING=QUOTED-PRINTABLE with a CHARSET are decoded. A card
// that is broken (no END, too big, undecodable text, an EMAIL that is not
// an address) is named in the result's Problems and the rest is imported.
// The error is for a file that could not be read or a book that could not
// be saved; then nothing was imported.
func (s *Store) Import(r io.Reader) (ImportResult, error) {
	var res ImportResult
	var found []imported
	cr := newCardReader(r)
	for {
		raw, err := cr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return ImportResult{}, errReadVCard(err)
		}
		addrs, problem := parseCard(raw)
		if problem != nil {
			res.Problems = append(res.Problems, &CardError{Card: raw.label(), Err: problem})
		}
		if len(addrs) == 0 && problem == nil {
			res.NoAddress++
		}
		found = append(found, addrs...)
	}
	if cr.n == 0 {
		return ImportResult{}, errNoVCard()
	}
	if len(found) == 0 {
		return res, nil
	}
	now := s.now().UTC()
	err := s.update(func(b *book) error {
		res.Added, res.Updated = 0, 0
		for _, f := range found {
			c := b.get(f.addr)
			if c == nil {
				b.add(Contact{Address: f.addr, Name: f.name, Added: now, Card: f.card})
				res.Added++
				continue
			}
			if (f.name != "" && c.Name != f.name) || c.Card != f.card {
				res.Updated++
			}
			if f.name != "" {
				c.Name = f.name
			}
			c.Card = f.card
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// parseCard decodes one card and returns its addresses; a problem that
// spoils only part of the card comes with the rest of it.
func parseCard(raw *rawCard) ([]imported, error) {
	if raw.err != nil {
		return nil, raw.err
	}
	var text strings.Builder
	text.WriteString("BEGIN:VCARD\r\n")
	for _, l := range raw.lines {
		if l == "" || l[0] == ' ' || l[0] == '\t' {
			text.WriteString(l + "\r\n") // a continuation (or a blank line after a 2.1 PHOTO)
			continue
		}
		name, value, ok := splitProperty(l)
		if !ok {
			return nil, errNoColon(clipLabel(l))
		}
		text.WriteString(typedParams(name) + ":" + value + "\r\n")
	}
	text.WriteString("END:VCARD\r\n")
	card, err := vcard.NewDecoder(strings.NewReader(text.String())).Decode()
	if err != nil {
		return nil, err
	}
	name, err := cardName(card)
	if err != nil {
		return nil, err
	}
	uid := strings.TrimSpace(card.Value(vcard.FieldUID))
	var out []imported
	var bad []string
	for _, f := range card[vcard.FieldEmail] {
		v, err := fieldText(f)
		if err != nil {
			return nil, fmt.Errorf("EMAIL: %w", err)
		}
		v = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(v, "mailto:"), "MAILTO:"))
		if v == "" {
			continue
		}
		if checkAddress(v) != nil {
			bad = append(bad, v)
			continue
		}
		n := name
		if key(n) == key(v) {
			n = "" // an FN that is only the address (as Export writes for a nameless one)
		}
		out = append(out, imported{name: n, addr: v})
	}
	if uid == "" && len(out) > 1 {
		uid = syntheticUID(name, out)
	}
	for i := range out {
		out[i].card = uid
	}
	if len(bad) > 0 {
		return out, errBadEmails(clipLabel(strings.Join(bad, ", ")))
	}
	return out, nil
}

// typedParams turns vCard 2.1's bare parameters ("EMAIL;PREF;INTERNET")
// into TYPE= ones, which is what they mean and what go-vcard reads.
func typedParams(name string) string {
	parts := strings.Split(name, ";")
	for i := 1; i < len(parts); i++ {
		if p := strings.TrimSpace(parts[i]); p != "" && !strings.Contains(p, "=") {
			parts[i] = "TYPE=" + p
		}
	}
	return strings.Join(parts, ";")
}

// cardName is the card's FN, else its N put together, decoded.
func cardName(card vcard.Card) (string, error) {
	if f := card.Preferred(vcard.FieldFormattedName); f != nil {
		v, err := fieldText(f)
		if err != nil {
			return "", fmt.Errorf("FN: %w", err)
		}
		if n := cleanName(v); n != "" {
			return n, nil
		}
	}
	if f := card.Get(vcard.FieldName); f != nil {
		v, err := fieldText(f)
		if err != nil {
			return "", fmt.Errorf("N: %w", err)
		}
		// N is family;given;additional;prefix;suffix.
		p := append(strings.Split(v, ";"), "", "", "", "", "")
		return cleanName(strings.Join([]string{p[3], p[1], p[2], p[0], p[4]}, " ")), nil
	}
	return "", nil
}

// fieldText decodes a 2.1 quoted-printable value and its CHARSET.
func fieldText(f *vcard.Field) (string, error) {
	v := f.Value
	if strings.EqualFold(f.Params.Get("ENCODING"), "QUOTED-PRINTABLE") {
		b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(v)))
		if err != nil {
			return "", errQuotedPrintable(err)
		}
		v = string(b)
	}
	if cs := f.Params.Get("CHARSET"); cs != "" && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "us-ascii") {
		enc, err := htmlindex.Get(cs)
		if err != nil {
			return "", errUnknownCharset(clipLabel(cs))
		}
		b, err := enc.NewDecoder().Bytes([]byte(v))
		if err != nil {
			return "", errNotInCharset(clipLabel(cs), err)
		}
		v = string(b)
	}
	return strings.ToValidUTF8(v, "\uFFFD"), nil
}

// syntheticUID groups a card's addresses when the card had no UID.
func syntheticUID(name string, addrs []imported) string {
	h := sha256.New()
	io.WriteString(h, name)
	for _, a := range addrs {
		io.WriteString(h, "\x00"+key(a.addr))
	}
	return "stamp-" + hex.EncodeToString(h.Sum(nil)[:12])
}

// Export writes the book as vCard 3.0 (what Google Contacts, Apple
// Contacts, Outlook and Thunderbird all import): one card per imported card
// (its addresses together again, with its UID), one per other address,
// with FN, N and EMAIL.
func (s *Store) Export(w io.Writer) error {
	idx := s.snapshot()
	groups := map[string][]*Contact{}
	var order []string
	for i := range idx.list {
		c := &idx.list[i]
		g := c.Card
		if g == "" {
			g = "\x00" + key(c.Address)
		}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], c)
	}
	sort.Strings(order)
	for _, g := range order {
		list := groups[g]
		card := vcard.Card{}
		card.SetValue(vcard.FieldVersion, "3.0")
		name := ""
		for _, c := range list {
			if c.Name != "" {
				name = c.Name
				break
			}
		}
		fn := name
		if fn == "" {
			fn = list[0].Address
		}
		card.SetValue(vcard.FieldFormattedName, fn)
		card.SetName(&vcard.Name{GivenName: strings.ReplaceAll(name, ";", ",")}) // go-vcard does not escape ";" inside N
		for _, c := range list {
			card.Add(vcard.FieldEmail, &vcard.Field{Value: c.Address, Params: vcard.Params{vcard.ParamType: {"INTERNET"}}})
		}
		if !strings.HasPrefix(g, "\x00") {
			card.SetValue(vcard.FieldUID, g)
		}
		var buf bytes.Buffer
		if err := vcard.NewEncoder(&buf).Encode(card); err != nil {
			return errWriteCard(list[0].Address, err)
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}
