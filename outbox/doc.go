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
//     attempt is cancelled before DATA);
//  3. State Sent, with the Sent copy's file name, once the server's final
//     2xx came; then the Sent copy is written and the entry removed.
//
// The kernel drops the lock of a killed process. Whoever takes the lock of
// a message in Sending next knows the attempt died: at Stage Connecting
// the server never got a DATA command, so the message goes back to the
// queue; at Stage Data the whole message may have reached the server, so
// it goes to NeedsAttention with ReasonMaybeDelivered and is never sent
// again without the person. A record in Sent finishes its move (the Sent
// copy, written once under its recorded name, then removal). So every
// kill ends in exactly one delivery, or in a visible "may have been
// delivered".
package outbox
