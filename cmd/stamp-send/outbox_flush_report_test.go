package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/compose"
	"stamp/outbox"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// `stamp-send outbox send` says "sent ID" only for the messages this run
// sent: one that left the outbox because another process deleted it
// meanwhile is not reported as sent.
func TestOutboxFlushSaysSentOnlyForWhatItSent(t *testing.T) {
	srv, err := sandbox.Start(context.Background(), sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	opts := outbox.Options{Dir: filepath.Join(dir, "Outbox"), SentDir: filepath.Join(dir, "Sent")}
	other, err := outbox.Open(opts) // another process's outbox on the same folder
	if err != nil {
		t.Fatal(err)
	}
	var deleteMe string
	var changes []outbox.Change
	opts.OnChange = func(c outbox.Change) { changes = append(changes, c) }
	opts.Sender = outbox.SenderFunc(func(ctx context.Context, _ string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
		other.Remove(deleteMe) // meanwhile, the other process deletes the second message
		cfg := smtpclient.Config{Host: "127.0.0.1", Port: srv.Port(), Security: smtpclient.SecurityNone, Timeout: 5 * time.Second}
		return smtpclient.Send(ctx, cfg, env, msg, onEvent)
	})
	o, err := outbox.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, subject := range []string{"first", "second"} {
		n, err := outbox.FromCompose(&compose.Message{From: compose.Address{Addr: "ann@example.com"},
			To: []compose.Address{{Addr: "bob@example.com"}}, Subject: subject, Text: "hi\n"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := o.Enqueue(n)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	deleteMe = ids[1]
	var stdout, stderr bytes.Buffer
	code := flushOutbox(context.Background(), o, &stdout, &stderr, false, func(id string) (outbox.Change, bool) {
		for i := len(changes) - 1; i >= 0; i-- {
			if changes[i].Record.ID == id {
				return changes[i], true
			}
		}
		return outbox.Change{}, false
	})
	if code != exitOK || !strings.Contains(stdout.String(), "sent "+ids[0]) || strings.Contains(stdout.String(), ids[1]) {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("the server got %d messages", n)
	}
}
