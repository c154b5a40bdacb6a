package outbox

import (
	"reflect"
	"strings"
	"testing"
)

// Records are read back from disk: whatever is there, ParseRecord must not
// panic, and what it accepts must be safe to use (an ID that joins into a
// path, a Sent copy name without folders) and survive a round trip.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(`{"version":1,"id":"20261204T090000Z-abcdefghij","account":"work","from":"a@example.com","to":["b@example.com"],"size":10,"sent_copy":true,"state":"waiting","attempts":0,"created":"2026-12-04T09:00:00Z","next_attempt":"2026-12-04T09:00:10Z"}`))
	f.Add([]byte(`{"version":1,"id":"20261204T090000Z-abcdefghij","to":["b@example.com"],"state":"sending","stage":"data","attempts":1,"created":"2026-12-04T09:00:00Z"}`))
	f.Add([]byte(`{"version":1,"id":"20261204T090000Z-abcdefghij","to":["b"],"state":"needs-attention","reason":"may-have-been-delivered","last_error":{"step":"message","code":451,"text":"x","at":"2026-12-04T09:00:00Z"},"created":"2026-12-04T09:00:00Z"}`))
	f.Add([]byte(`{"version":1,"id":"../../etc/passwd","to":["b"],"state":"sent","sent_name":"../x.eml"}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseRecord(b)
		if err != nil {
			return
		}
		if !ValidID(r.ID) || strings.ContainsAny(r.ID, `/\.`) {
			t.Fatalf("accepted id %q", r.ID)
		}
		if r.SentName != "" && (strings.ContainsAny(r.SentName, `/\`) || strings.HasPrefix(r.SentName, ".")) {
			t.Fatalf("accepted Sent name %q", r.SentName)
		}
		out, err := r.marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseRecord(out)
		if err != nil {
			t.Fatalf("its own output refused: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normalize(r), normalize(again)) {
			t.Fatalf("round trip changed the record:\n%+v\n%+v", r, again)
		}
	})
}

// normalize drops what JSON cannot keep exactly (monotonic clock readings,
// time zone pointers) for comparison.
func normalize(r Record) Record {
	b, _ := r.marshal()
	return Record{Subject: string(b)}
}
