package outbox

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"stamp/internal/boundedfile"
)

// ErrAlreadySent says the message had already left (the server accepted
// it; its sender stopped before moving it to Sent): Take and Remove
// finished the move instead of taking it back. errors.As finds an
// *AlreadySentError with its Sent copy's path.
var ErrAlreadySent = errors.New("the message was already sent")

// AlreadySentError is ErrAlreadySent with where the message is now.
type AlreadySentError struct {
	// Record is the message's last record (State Sent, SentAt).
	Record Record
	// SentPath is its Sent copy ("" when no copy is kept).
	SentPath string
}

func (e *AlreadySentError) Error() string {
	if e.SentPath != "" {
		return "the message was already sent; its copy is in " + e.SentPath
	}
	return ErrAlreadySent.Error()
}

// Is makes errors.Is(err, ErrAlreadySent) true.
func (e *AlreadySentError) Is(target error) bool { return target == ErrAlreadySent }

// Remove deletes a message from the outbox (the person's Delete). It
// refuses with ErrBusy while the message is being sent.
func (o *Outbox) Remove(id string) error {
	return o.Take(id, nil)
}

// Take hands a queued message back (Undo, Edit): keep gets the record,
// the message file (open) and the caller's draft (nil if none was given);
// when keep returns nil the message leaves the outbox, otherwise it stays
// as it was. A nil keep just removes it. Take refuses with ErrBusy while
// the message is being sent; a message whose attempt died is first judged
// (see the package doc), so Take of a message that may have been
// delivered still works, and its record says so. While keep runs the
// record says NeedsAttention, ReasonTakenBack (on disk, not reported to
// OnChange): if Stamp dies inside keep, the message is never sent on its
// own; if keep fails, the record is put back as it was.
func (o *Outbox) Take(id string, keep func(r Record, msg *os.File, draft []byte) error) error {
	if !ValidID(id) {
		return ErrNotFound
	}
	c, err := o.lockSoon(id)
	if err != nil {
		return err
	}
	defer c.release()
	r, err := o.load(id)
	if err != nil {
		return err
	}
	if r, err = o.recover(r); err != nil {
		return err
	}
	if r.State == Sent { // it left already: the Sent copy is its place
		if err := o.finishSent(&r); err != nil {
			return err
		}
		ae := &AlreadySentError{Record: r}
		if r.SentCopy {
			ae.SentPath = filepath.Join(o.opts.SentDir, r.SentName)
		}
		return ae
	}
	if keep != nil {
		f, _, err := boundedfile.Open(o.path(id, ".eml")) // never a FIFO's wait
		if err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
		draft, err := boundedfile.Read(o.path(id, ".draft"), 64<<20)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			f.Close()
			return fmt.Errorf("outbox: the message's draft: %w", err)
		}
		taken := r
		taken.State, taken.Reason, taken.Stage = NeedsAttention, ReasonTakenBack, ""
		taken.LastError = &Failure{Text: "taken back", At: time.Now(), Event: EventTakenBack}
		if err := o.write(&taken); err != nil {
			f.Close()
			return err // nothing handed back
		}
		hook("taken-back-recorded", id)
		err = keep(r, f, draft)
		f.Close() // before the removal: Windows removes no open file
		if err != nil {
			if werr := o.write(&r); werr != nil {
				return fmt.Errorf("%w (and the outbox could not put the message back as it was: %v)", err, werr)
			}
			return err
		}
	}
	if err := o.remove(id); err != nil {
		return err
	}
	o.changed(Change{Record: r, Removed: true})
	return nil
}
