package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"stamp/outbox"
)

// The outbox with several composers (composers.go): one Outbox for the
// app, each composer listening while its window is open. A message taken
// back from the outbox (Undo, Edit) goes into the composer that sent it
// when that one is still open and empty, else into a new composer: never
// over another message.

// takeInto takes queued message id out of the outbox, its form saved in
// store before it leaves (a crash in between loses nothing: the draft is
// restored at the next start). An attached file that has gone or changed
// since Send comes back as what was sent, copied out of the queued message
// into dataDir (keepSentAttachments); copied names them. It runs off the
// UI goroutine.
func (u *Outbox) takeInto(id string, store draftStore, dataDir string) (got draft, copied []string, err error) {
	err = u.Box.Take(id, func(_ outbox.Record, msg *os.File, form []byte) error {
		if err := json.Unmarshal(form, &got); err != nil || form == nil {
			return fmt.Errorf("%s", lang.X("outbox.no_form", "this message has no form to edit (it was queued by stamp-send); send it or delete it"))
		}
		got.Sending, got.SentEarlier = false, time.Time{}
		var err error
		if copied, err = keepSentAttachments(dataDir, id, msg, &got); err != nil {
			return err // the message stays in the outbox, its bytes with it
		}
		return store.Save(got)
	})
	return got, copied, err
}

// takenBackText is the notice of a message taken back: back as it was,
// and which attachments are copies of what was sent.
func takenBackText(got draft, copied []string) string {
	text := lang.X("outbox.taken_back", "Not sent: “{{.Subject}}” is back in the composer as it was.", map[string]any{"Subject": got.Subject})
	if len(copied) > 0 {
		text += " " + lang.X("outbox.taken_back_copies", "The attached file {{.Names}} had gone or changed since Send: what was sent is attached, copied into Stamp's “Taken back” folder.",
			map[string]any{"Names": strings.Join(copied, ", ")})
	}
	return text
}

// takeBackFor brings queued message id back into a composer exactly as it
// was sent (Undo, and Edit in the Outbox window): into owner, the
// composer that sent it, when it is still open and holds nothing; else
// into a new composer of its own. Without a set of composers (a lone
// composer, tests) it goes into owner, which asks before replacing what it
// holds. done runs on the UI goroutine with the composer it went into
// (nil when it did not) and Take's error.
func (u *Outbox) takeBackFor(id string, owner *Composer, done func(into *Composer, err error)) {
	s := u.composers
	if s == nil {
		if owner == nil || owner.closed {
			done(nil, errors.New(lang.X("outbox.no_composer", "There is no composer to edit the message in.")))
			return
		}
		owner.takeBack(id, func(err error) { done(owner, err) })
		return
	}
	draftID := newDraftID()
	store := draftStoreFor(s.opts.DataDir, draftID)
	u.goCounted(func() {
		got, copied, err := u.takeInto(id, store, s.opts.DataDir)
		runOnUI(func() {
			var into *Composer
			switch {
			case err == nil:
				into = u.placeTaken(owner, draftID, store, got, copied)
			case !errors.Is(err, outbox.ErrBusy) && !errors.Is(err, outbox.ErrNotFound):
				if c := u.someComposer(owner); c != nil {
					c.showError(err)
				}
			}
			done(into, err)
		})
	})
}

// placeTaken puts a message taken back (its form already saved as draft
// draftID in store) into owner when it is open and empty, else opens a
// new composer on that draft. It returns the composer.
func (u *Outbox) placeTaken(owner *Composer, draftID string, store draftStore, got draft, copied []string) *Composer {
	text := takenBackText(got, copied)
	if owner != nil && !owner.closed && owner.canTakeBack() {
		owner.forgetSends()
		owner.fillForm(got)
		owner.lastSaved = draft{}
		if err := owner.SaveDraft(); err == nil {
			store.Clear() // the message's draft is the owner's own now
			owner.validate()
			owner.Notify(text)
			return owner
		}
		// Its own draft could not be written: the message goes to a
		// window of its own, whose draft is on disk already.
		owner.clearForm()
		owner.lastSaved = draft{}
		owner.validate()
	}
	c := u.composers.openDraft(draftID) // restores the form from the draft
	c.Notify(text)
	return c
}

// canTakeBack reports whether a message taken back may fill c's form: it
// holds nothing and no send or question about one is under way.
func (c *Composer) canTakeBack() bool {
	return c.draft().Empty() && !c.sending && !c.confirming
}

// someComposer is where to say something about the outbox: c when open,
// else the composer in front (nil when none is open).
func (u *Outbox) someComposer(c *Composer) *Composer {
	if c != nil && !c.closed {
		return c
	}
	if u.composers != nil {
		return u.composers.Front()
	}
	return nil
}

// openDraft opens a composer on saved draft id, in front, the keyboard in
// its first empty field.
func (s *Composers) openDraft(id string) *Composer {
	c := s.add(id, nil)
	s.show(c)
	c.FocusFirst()
	return c
}

// sentFrom forgets a message that left the outbox; one this run queued
// that was sent teaches the contacts its recipients (as a direct send
// does, contacts.go), through the composer that sent it or the one in
// front.
func (u *Outbox) sentFrom(ch outbox.Change) {
	id := ch.Record.ID
	d, ok := u.forms[id]
	owner := u.owners[id]
	delete(u.forms, id)
	delete(u.owners, id)
	if !ok || ch.Record.State != outbox.Sent {
		return
	}
	if c := u.someComposer(owner); c != nil {
		c.learnRecipients(d)
	}
}
