package discover

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// BenchmarkDiscoverSlowNetwork measures discovery when every DNS answer
// and every HTTP response takes 200 ms and one source (the SRV records)
// never answers at all: the lookups run in parallel and the winner cancels
// the silent one, so discovery settles in about one or two round trips,
// far below the per-source limit (8 s by default). When a higher-priority
// source is the silent one, the answer waits for it only Options.Grace
// (500 ms) more.
//
//	go test -run '^$' -bench DiscoverSlowNetwork -benchtime 10x ./discover/
func BenchmarkDiscoverSlowNetwork(b *testing.B) {
	cases := []struct {
		name  string
		setup func(e *env)
		host  string
	}{
		{"autoconfig wins", func(e *env) {
			e.File("autoconfig.example.test", "/mail/config-v1.1.xml", conf("smtp.example.test", "465", "SSL"))
		}, "smtp.example.test"},
		{"ISPDB wins", func(e *env) {
			e.File("ispdb.test", "/v1.1/example.test", conf("ispdb.example.test", "465", "SSL"))
		}, "ispdb.example.test"},
		{"autoconfig silent, ISPDB wins", func(e *env) {
			// The domain's web server accepts the connection and never
			// answers: the ISPDB's answer waits only Options.Grace more.
			e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			})
			e.File("ispdb.test", "/v1.1/example.test", conf("ispdb.example.test", "465", "SSL"))
		}, "ispdb.example.test"},
		{"MX then ISPDB wins", func(e *env) {
			e.MX("example.test", 10, "mx01.in.hoster.test")
			e.File("ispdb.test", "/v1.1/hoster.test", conf("smtp.hoster.test", "465", "SSL"))
		}, "smtp.hoster.test"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			e := newEnv(b)
			c.setup(e)
			e.Silence("_submissions._tcp.example.test")
			e.Silence("_submission._tcp.example.test")
			e.SetDelay(200 * time.Millisecond)
			o := e.options()
			o.SourceTimeout = DefaultSourceTimeout
			var worst time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				r, err := New(o).Discover(context.Background(), "me@example.test")
				if err != nil {
					b.Fatal(err)
				}
				if _, s, ok := r.Chosen(); !ok || s.Host != c.host {
					b.Fatalf("chose %+v, want %s:\n%s", s, c.host, attemptsText(r))
				}
				worst = max(worst, time.Since(start))
			}
			b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
		})
	}
}
