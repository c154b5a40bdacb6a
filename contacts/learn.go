package contacts

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Learn records a successful send: each To, Cc and Bcc address is added or
// has its use count and last use updated (an address typed twice counts
// once), and a display name typed with it replaces the one known. The To
// and Cc addresses of a message with few recipients remember each other as
// "recently sent with"; a Bcc address is stored like the others but never
// named as sent with anyone, and nobody is named as sent with it. Nor does
// its date pair it with the others: a Bcc address's last use (and, when
// new, the day it was added) is kept to the day only (bccDay), never the
// instant of the send that its To and Cc addresses share.
func (s *Store) Learn(to, cc, bcc []mail.Address) error {
	now := s.now().UTC()
	day := bccDay(now)
	type seen struct {
		addr    mail.Address
		visible bool
	}
	var order []string
	all := map[string]*seen{}
	for i, list := range [][]mail.Address{to, cc, bcc} {
		for _, a := range list {
			k := key(a.Address)
			if k == "" {
				continue
			}
			if p, ok := all[k]; ok {
				if p.addr.Name == "" {
					p.addr.Name = a.Name
				}
				continue
			}
			all[k] = &seen{addr: a, visible: i < 2}
			order = append(order, k)
		}
	}
	if len(order) == 0 {
		return nil
	}
	var visible []string
	for _, k := range order {
		if all[k].visible {
			visible = append(visible, all[k].addr.Address)
		}
	}
	return s.update(func(b *book) error {
		for _, k := range order {
			a := all[k].addr
			when := now
			if !all[k].visible {
				when = day
			}
			c := b.get(k)
			if c == nil {
				c = b.add(Contact{Address: strings.TrimSpace(a.Address), Added: when})
			}
			c.Uses++
			if when.After(c.LastUsed) { // a Bcc's day never moves an exact later use back
				c.LastUsed = when
			}
			if n := cleanName(a.Name); n != "" {
				c.Name = n
			}
			if all[k].visible && len(visible) > 1 && len(visible) <= maxWithMessage {
				c.With = withOthers(c.With, visible, k)
			}
		}
		return nil
	})
}

// bccDay is the start (UTC) of the day of t: the only time a Bcc
// recipient's use is stored with.
func bccDay(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// withOthers puts the others of visible (not self) first in with, once
// each, keeping at most maxWith.
func withOthers(with, visible []string, self string) []string {
	out := make([]string, 0, maxWith)
	have := map[string]bool{self: true}
	for _, list := range [][]string{visible, with} {
		for _, a := range list {
			if k := key(a); !have[k] && len(out) < maxWith {
				have[k] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// SentWith returns the addresses addr was recently sent with (To and Cc
// only), newest first, that are still in the book.
func (s *Store) SentWith(addr string) []string {
	idx := s.snapshot()
	i, ok := idx.byKey[key(addr)]
	if !ok {
		return nil
	}
	var out []string
	for _, w := range idx.list[i].With {
		if _, ok := idx.byKey[key(w)]; ok {
			out = append(out, w)
		}
	}
	return out
}

// Remove forgets addr: it leaves the book and every "sent with" list. It
// comes back only when it is sent to or imported again.
func (s *Store) Remove(addr string) error {
	k := key(addr)
	return s.update(func(b *book) error {
		i, ok := b.byKey[k]
		if !ok {
			return fmt.Errorf("%s: %w", addr, ErrNotFound)
		}
		b.list = append(b.list[:i], b.list[i+1:]...)
		for j := range b.list {
			b.list[j].With = dropAddr(b.list[j].With, k)
		}
		return nil
	})
}

func dropAddr(list []string, k string) []string {
	out := list[:0]
	for _, a := range list {
		if key(a) != k {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Edit changes the contact of addr to c's name and address (use counts,
// dates and card are kept). A new address must be valid and not belong to
// another contact.
func (s *Store) Edit(addr string, c Contact) error {
	k := key(addr)
	newAddr := strings.TrimSpace(c.Address)
	if newAddr == "" {
		newAddr = addr
	}
	if err := checkAddress(newAddr); err != nil {
		return err
	}
	return s.update(func(b *book) error {
		i, ok := b.byKey[k]
		if !ok {
			return fmt.Errorf("%s: %w", addr, ErrNotFound)
		}
		if nk := key(newAddr); nk != k {
			if _, taken := b.byKey[nk]; taken {
				return errTaken(newAddr)
			}
			delete(b.byKey, k)
			b.byKey[nk] = i
		}
		b.list[i].Address = newAddr
		b.list[i].Name = cleanName(c.Name)
		return nil
	})
}

// Add puts a new contact in the book (or renames an existing one).
func (s *Store) Add(name, addr string) error {
	addr = strings.TrimSpace(addr)
	if err := checkAddress(addr); err != nil {
		return err
	}
	now := s.now().UTC()
	return s.update(func(b *book) error {
		c := b.get(addr)
		if c == nil {
			c = b.add(Contact{Address: addr, Added: now})
		}
		if n := cleanName(name); n != "" {
			c.Name = n
		}
		return nil
	})
}

// checkAddress accepts a bare address (local@domain) that net/mail parses.
func checkAddress(addr string) error {
	a, err := mail.ParseAddress("<" + addr + ">")
	if err != nil || a.Address != addr {
		return errNotAddress(addr)
	}
	return nil
}

// cleanName makes a display name one line: controls become spaces and runs
// of spaces one.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
