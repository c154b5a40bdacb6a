//go:build unix

package outbox

import (
	"context"
	"testing"
	"time"

	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// A Sender that forwards no engine events (so no DATA event reaches the
// outbox) still has Stage Data recorded before the message goes out: the
// outbox records it from the message's own WriteTo. Checked on disk while
// the server holds the message and its final reply is not yet back.
func TestStageDataIsRecordedWithoutTheSendersEvents(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	var onDisk Record
	var o *Outbox
	o = e.open(Options{Sender: SenderFunc(func(ctx context.Context, account string, env smtpclient.Envelope, msg smtpclient.Message, _ func(smtpclient.Event)) (*smtpclient.Result, error) {
		cfg := smtpclient.Config{Host: "127.0.0.1", Port: e.srv.Port(), Security: smtpclient.SecurityNone, Timeout: 5 * time.Second}
		res, err := smtpclient.Send(ctx, cfg, env, msg, nil) // no events forwarded
		for _, id := range must(o.ids()) {
			onDisk, _ = o.load(id) // before settle: what a kill now would leave
		}
		return res, err
	})})
	r, err := o.Enqueue(testNew("no events"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := o.SendNow(context.Background(), r.ID, false); err != nil || got.State != Sent {
		t.Fatalf("SendNow: %+v %v", got, err)
	}
	if onDisk.State != Sending || onDisk.Stage != Data {
		t.Fatalf("after the server took it, the record on disk said %q / %q: a kill then would resend it", onDisk.State, onDisk.Stage)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
