package discover

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Finding nothing is not remembered for the session: the next lookup of
// the domain asks again (the person may have fixed their DNS, or the
// network came back).
func TestNothingFoundIsAskedAgain(t *testing.T) {
	e := newEnv(t)
	d := New(e.options())
	r1, err := d.Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := r1.Chosen(); ok {
		t.Fatalf("found settings in an empty network:\n%s", attemptsText(r1))
	}
	n := len(e.Requests())
	r2, err := d.Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	if r2.Cached || len(e.Requests()) == n {
		t.Errorf("the failed discovery was served from the cache (cached=%v, requests %d → %d)", r2.Cached, n, len(e.Requests()))
	}
}

// A result a silent higher source did not take part in (cut by the grace)
// is used, but not kept: the next lookup asks that source again.
func TestGraceCutResultIsNotCached(t *testing.T) {
	e := newEnv(t)
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	e.File("ispdb.test", "/v1.1/example.test", conf("smtp.example.test", "465", "SSL"))
	o := e.options()
	o.SourceTimeout = 5 * time.Second
	d := New(o)
	r1, err := d.Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	if _, s, ok := r1.Chosen(); !ok || s.Host != "smtp.example.test" {
		t.Fatalf("chose %v %v:\n%s", ok, s, attemptsText(r1))
	}
	text := attemptsText(r1)
	if !strings.Contains(text, "did not answer within") {
		t.Errorf("the silent autoconfig is not listed as cut by the grace:\n%s", text)
	}
	r2, err := d.Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	if r2.Cached {
		t.Errorf("a result without the silent source's answer was cached:\n%s", attemptsText(r2))
	}
}
