// Package outbox is Stamp's durable queue of outgoing mail: undo send (a
// short delay before a message leaves), send later (a time that survives
// restarts), and mail that waits for the network (back-off on temporary
// failures, a retry when the network changes). It never loses a message
// and never sends one twice on its own.
//
// On disk, in one folder (the data folder's "Outbox"), each message is
//
//	ID.eml   the complete RFC 5322 message as transmitted, written once
//	         (atomically, flushed to disk) and never changed
//	ID.json  its Record: account, envelope, state, attempts, next attempt,
//	         last error (replaced atomically on every change)
//	ID.lock  the per-message lock (internal/filelock): whoever holds it is
//	         the one process working on the message
//	ID.draft optional: the caller's own description of the message (the
//	         composer's form), handed back by Take for Undo and Edit
//
// The record is the commit point: ID.eml is complete before ID.json
// exists, and a message leaves the outbox by removing ID.json first.
//
// # Exactly once across kill -9
//
// A sender holds ID.lock for the whole attempt and records, each time
// flushed to disk before it goes on:
//
//  1. State Sending, Stage Connecting, before it connects;
//  2. Stage Data, from the engine's "DATA" step event, before the DATA
//     command is written (the engine calls the event handler on its own
//     goroutine and waits for it; when this record cannot be written the
//     attempt is cancelled before DATA), and at the latest from the
//     message's WriteTo, which the outbox wraps (after 354, before any
//     byte of the message; if the record cannot be written there, WriteTo
//     fails and the engine closes without ending the data);
//  3. State Sent, with the Sent copy's file name, once the server's final
//     2xx came; then the Sent copy is written and the entry removed.
//
// The kernel drops the lock of a killed process. Whoever takes the lock of
// a message in Sending next knows the attempt died: at Stage Connecting
// the server never got a DATA command, so the message goes back to the
// queue; at Stage Data the whole message may have reached the server, so
// it goes to NeedsAttention with ReasonMaybeDelivered and is never sent
// again without the person (SendNow and Reschedule refuse it with
// ErrMaybeDelivered unless again; List and Get judge such a dead attempt
// as soon as its lock is free, so the person sees it before deciding). A record in Sent finishes its move (the Sent
// copy, written once under its recorded name, then removal). So every
// kill ends in exactly one delivery, or in a visible "may have been
// delivered".
//
// # How the app uses it
//
// cmd/stamp opens one Outbox for the data folder (Dir: datadir.Outbox,
// SentDir: datadir.Sent) with a Sender that sends the sandbox itself and
// everything else through AccountSender (Background: true), and runs
// Outbox.Run on a goroutine until exit. OnChange and OnEvent arrive on
// that goroutine (or the one that called Enqueue, SendNow, Take): ui hands
// them to runOnUI. Calls that may send (SendNow, Flush) or wait (Take,
// Remove) belong on a goroutine, never on the UI goroutine.
//
//   - Send: FromCompose(m), then Account, SentCopy (the sender's
//     KeepSent), Draft (the composer's draft JSON) and Delay (the undo
//     setting, DefaultUndoDelay) or At (Send later); Enqueue. Only when it
//     returns is the form cleared; an error (a full disk) leaves the form
//     and draft as they were.
//   - The undo bar counts down to Record.NextAttempt; Undo is Take(id,
//     keep) where keep restores Draft into a composer (ErrBusy: it is
//     already leaving). Edit from the Outbox window is the same Take. Take
//     records ReasonTakenBack before keep runs, so a crash inside keep
//     leaves a message the window shows as taken back (send or delete),
//     never one sent on its own. A message that already left makes Take
//     (and Remove) return ErrAlreadySent (*AlreadySentError with the Sent
//     copy's path): the bar says "it was already sent", not "undone".
//   - The Outbox window lists List() (State, Reason, NextAttempt,
//     LastError.Explain(), Busy) and refreshes on OnChange; Send now and
//     Retry are SendNow(ctx, id, false); when it returns ErrMaybeDelivered
//     the window asks the person and, if they choose to send it again,
//     calls SendNow(ctx, id, true) (Reschedule likewise). Delete is Remove
//     after a confirmation. A Change with Removed and State Sent
//     says "sent", with Record.LeftLate for a scheduled message that left
//     late.
//   - On exit with List() not empty: "send them now" is SendNow for each
//     Waiting and Retrying message; "quit" just quits (Run at the next
//     start sends what is due).
package outbox
