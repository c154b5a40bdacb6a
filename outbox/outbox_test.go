//go:build unix

package outbox

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

func TestAQueuedMessageIsSentOnceAndMovedToSent(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	r, err := o.Enqueue(testNew("first"))
	if err != nil {
		t.Fatal(err)
	}
	if r.State != Waiting || r.Size == 0 {
		t.Fatalf("queued record %+v", r)
	}
	if _, err := o.Flush(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if got := e.delivered(); got["first"] != 1 || len(got) != 1 {
		t.Fatalf("the server got %v", got)
	}
	if got := e.sentCopies(); got["first"] != "Cé Blind <cc@example.com>" {
		t.Fatalf("Sent copies %v: want the message with its Bcc line", got)
	}
	if list, _ := o.List(); len(list) != 0 {
		t.Fatalf("still in the outbox: %+v", list)
	}
	if names, _ := os.ReadDir(e.dir); len(names) != 0 {
		t.Fatalf("files left in the outbox folder: %v", names)
	}
	c := e.waitChange("the removal", func(c Change) bool { return c.Removed })
	if c.Record.State != Sent || c.SentPath == "" || c.Record.Attempts != 1 {
		t.Fatalf("last change %+v", c)
	}
	// A second flush finds nothing to send.
	o.Flush(context.Background(), false)
	if got := e.delivered(); got["first"] != 1 {
		t.Fatalf("sent again: %v", got)
	}
}

func TestUndoTakesTheMessageBackBeforeItLeaves(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	n := testNew("undone")
	n.Delay, n.Draft = 10*time.Second, []byte(`{"subject":"undone"}`)
	r, err := o.Enqueue(n)
	if err != nil {
		t.Fatal(err)
	}
	o.Flush(context.Background(), false) // not due yet
	var gotDraft []byte
	var gotSize int64
	err = o.Take(r.ID, func(r Record, msg *os.File, draft []byte) error {
		fi, _ := msg.Stat()
		gotSize, gotDraft = fi.Size(), draft
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if string(gotDraft) != `{"subject":"undone"}` || gotSize != r.Size {
		t.Fatalf("Take gave draft %q and a message of %d bytes (want %d)", gotDraft, gotSize, r.Size)
	}
	if err := o.Take(r.ID, nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("taken twice: %v", err)
	}
	o.Flush(context.Background(), false)
	if n := len(e.srv.Messages()); n != 0 {
		t.Fatalf("the server got %d messages after Undo", n)
	}
}

func TestTakeThatFailsKeepsTheMessage(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	n := testNew("kept")
	n.Delay = time.Hour
	r, _ := o.Enqueue(n)
	if err := o.Take(r.ID, func(Record, *os.File, []byte) error { return errors.New("the disk is full") }); err == nil {
		t.Fatal("no error")
	}
	if got, err := o.Get(r.ID); err != nil || got.State != Waiting {
		t.Fatalf("after a failed Take: %+v %v", got, err)
	}
}

func TestTemporaryRefusalsAreRetriedWithBackoffUntilAccepted(t *testing.T) {
	e := newEnv(t, sandbox.Options{RejectData: &sandbox.Reply{Code: 451, Enhanced: "4.3.0", Text: "try later"}, RejectDataFirst: 3})
	o := e.open(Options{Backoff: []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 60 * time.Millisecond}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	r, err := o.Enqueue(testNew("451 thrice"))
	if err != nil {
		t.Fatal(err)
	}
	c := e.waitChange("the message to leave", func(c Change) bool { return c.Removed && c.Record.ID == r.ID })
	if c.Record.State != Sent || c.Record.Attempts != 4 {
		t.Fatalf("left as %s after %d attempts, want sent after 4", c.Record.State, c.Record.Attempts)
	}
	retrying := 0
	e.mu.Lock()
	for _, ch := range e.changes {
		if ch.Record.State == Retrying && ch.Record.LastError != nil && ch.Record.LastError.Code == 451 {
			retrying++
		}
	}
	e.mu.Unlock()
	if retrying != 3 {
		t.Errorf("%d retrying records with the 451, want 3", retrying)
	}
	if got := e.delivered(); got["451 thrice"] != 1 {
		t.Fatalf("delivered %v", got)
	}
}

func TestAPermanentRefusalNeedsAttentionAndIsNotRetried(t *testing.T) {
	e := newEnv(t, sandbox.Options{RejectData: &sandbox.Reply{Code: 550, Enhanced: "5.7.1", Text: "message refused"}})
	o := e.open(Options{Backoff: []time.Duration{time.Millisecond}})
	r, _ := o.Enqueue(testNew("refused"))
	o.Flush(context.Background(), false)
	got, err := o.Get(r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != NeedsAttention || got.Reason != ReasonRefused || got.LastError == nil || got.LastError.Code != 550 || got.LastError.Explain() == "" || got.LastError.Kind != "reply" || got.LastError.Explanation != "" {
		t.Fatalf("record after a 550: %+v (error %+v)", got, got.LastError)
	}
	o.Flush(context.Background(), true)
	if err := e.srv.WaitSessionsEnded(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if got, _ := o.Get(r.ID); got.Attempts != 1 {
		t.Fatalf("%d attempts, want 1: a 550 is never retried on its own", got.Attempts)
	}
	// The person decides: Send now tries again.
	if got, _ := o.SendNow(context.Background(), r.ID, false); got.Attempts != 2 || got.State != NeedsAttention {
		t.Fatalf("after Send now: %+v", got)
	}
}

func TestTheServerComingBackGetsTheMessageOutOnItsOwn(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.srv.Close() // connection refused from now on
	o := e.open(Options{Backoff: []time.Duration{50 * time.Millisecond}, Hourly: 100 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	r, _ := o.Enqueue(testNew("offline"))
	c := e.waitChange("a retry after a refused connection", func(c Change) bool {
		return c.Record.State == Retrying && c.Record.Attempts >= 2
	})
	if c.Record.LastError == nil || !c.Record.LastError.Temporary {
		t.Fatalf("retrying without a temporary error: %+v", c.Record.LastError)
	}
	e.startServer()
	e.waitChange("the message to leave", func(c Change) bool { return c.Removed && c.Record.ID == r.ID })
	if got := e.delivered(); got["offline"] != 1 {
		t.Fatalf("delivered %v", got)
	}
}

func TestANetworkChangeRetriesAtOnce(t *testing.T) {
	noNetRetryGap(t)
	e := newEnv(t, sandbox.Options{})
	e.srv.Close()
	net := make(chan struct{}, 1)
	o := e.open(Options{Backoff: []time.Duration{time.Hour}, NetworkChanges: func(context.Context) <-chan struct{} { return net }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	r, _ := o.Enqueue(testNew("network"))
	e.waitChange("the first failure", func(c Change) bool { return c.Record.State == Retrying })
	e.startServer()
	net <- struct{}{}
	e.waitChange("the message to leave", func(c Change) bool { return c.Removed && c.Record.ID == r.ID })
}

func TestSendLaterWaitsAndSaysItLeftLate(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	n := testNew("later")
	n.At = time.Now().Add(time.Hour)
	r, _ := o.Enqueue(n)
	if r.State != Scheduled || !r.Scheduled.Equal(n.At) {
		t.Fatalf("record %+v", r)
	}
	o.Flush(context.Background(), true)
	if len(e.srv.Messages()) != 0 {
		t.Fatal("sent before its time")
	}
	// As if Stamp had been closed until three hours after the time.
	r.Scheduled, r.NextAttempt = time.Now().Add(-3*time.Hour), time.Now().Add(-3*time.Hour)
	if err := o.save(&r); err != nil {
		t.Fatal(err)
	}
	o.Flush(context.Background(), false)
	c := e.waitChange("the message to leave", func(c Change) bool { return c.Removed })
	late, ok := c.Record.LeftLate()
	if !ok || late < 3*time.Hour-time.Minute {
		t.Fatalf("LeftLate = %v %v", late, ok)
	}
}

func TestACancelledAttemptIsNotCountedAndGoesAgain(t *testing.T) {
	e := newEnv(t, sandbox.Options{Latency: 200 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	o := e.open(Options{Sender: SenderFunc(func(c context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, onEvent func(smtpclient.Event)) (*smtpclient.Result, error) {
		cancel() // Stamp is closing while it connects
		return sandboxSender(e.srv.Port()).Send(c, account, env, msg, onEvent)
	})})
	r, _ := o.Enqueue(testNew("cancelled"))
	got, err := o.SendNow(ctx, r.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != Retrying || got.Attempts != 0 || got.Reason != "" {
		t.Fatalf("after a cancel: %+v", got)
	}
}

func TestUndoDuringTheSendIsRefusedAsBusy(t *testing.T) {
	e := newEnv(t, sandbox.Options{FinalReplyDelay: time.Second})
	o := e.open(Options{})
	r, _ := o.Enqueue(testNew("too late"))
	done := make(chan struct{})
	go func() {
		defer close(done)
		o.SendNow(context.Background(), r.ID, false)
	}()
	e.waitChange("the send to start", func(c Change) bool { return c.Record.State == Sending })
	if err := o.Take(r.ID, nil); !errors.Is(err, ErrBusy) {
		t.Fatalf("Take during the send: %v, want ErrBusy", err)
	}
	if got, err := o.Get(r.ID); err != nil || !got.Busy {
		t.Fatalf("Get during the send: %+v %v, want busy", got, err)
	}
	<-done
	if d := e.delivered(); d["too late"] != 1 {
		t.Fatalf("delivered %v", d)
	}
}

func TestTemporaryFailuresForTooLongNeedAttention(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.srv.Close()
	o := e.open(Options{Backoff: []time.Duration{10 * time.Millisecond}, Hourly: 20 * time.Millisecond, GiveUpAfter: 150 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	r, _ := o.Enqueue(testNew("gave up"))
	c := e.waitChange("the outbox to give up", func(c Change) bool { return c.Record.State == NeedsAttention })
	if c.Record.Reason != ReasonGaveUp || c.Record.Retries < 3 || c.Record.LastError == nil || !c.Record.LastError.Temporary {
		t.Fatalf("gave up as %+v", c.Record)
	}
	// Send now starts a new run of back-off: one attempt, then retrying.
	cancel()
	got, err := o.SendNow(context.Background(), r.ID, false)
	if err != nil || got.State != Retrying || got.Retries != 1 {
		t.Fatalf("after Send now: %+v %v", got, err)
	}
}

func TestRescheduleMovesAQueuedMessage(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	o := e.open(Options{})
	n := testNew("moved")
	n.Delay = time.Minute
	r, _ := o.Enqueue(n)
	at := time.Now().Add(48 * time.Hour)
	got, err := o.Reschedule(r.ID, at, false)
	if err != nil || got.State != Scheduled || !got.NextAttempt.Equal(at) {
		t.Fatalf("rescheduled: %+v %v", got, err)
	}
	if got, err = o.Reschedule(r.ID, time.Time{}, false); err != nil || got.State != Waiting {
		t.Fatalf("rescheduled for now: %+v %v", got, err)
	}
	o.Flush(context.Background(), false)
	if d := e.delivered(); d["moved"] != 1 {
		t.Fatalf("delivered %v", d)
	}
}
