package smtpclient

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"stamp/smtpclient/sandbox"
)

// BenchmarkDataStream measures the DATA state machine alone on a typical
// body: 76-column base64 lines with CRLF, some starting with a dot.
func BenchmarkDataStream(b *testing.B) {
	for _, tc := range []struct {
		name string
		line string
	}{
		{"base64 CRLF lines", strings.Repeat("A", 76) + "\r\n"},
		{"LF lines", strings.Repeat("A", 76) + "\n"},
		{"dot-leading lines", "." + strings.Repeat("A", 75) + "\r\n"},
		{"CR CR LF lines (a stray CR in each)", strings.Repeat("A", 75) + "\r\r\n"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			chunk := bytes.Repeat([]byte(tc.line), 32<<10/len(tc.line))
			b.SetBytes(int64(len(chunk)))
			d := newDataWriter(io.Discard)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				d.Write(chunk)
			}
			d.Close()
		})
	}
}

// BenchmarkSend measures a whole session to the in-process sandbox,
// message bytes per second included (client and server share the CPU).
func BenchmarkSend(b *testing.B) {
	for _, sec := range []sandbox.Security{sandbox.None, sandbox.STARTTLS} {
		for _, size := range []int64{1 << 10, 8 << 20} {
			name := fmt.Sprintf("%s/%dKiB", map[sandbox.Security]string{sandbox.None: "plain", sandbox.STARTTLS: "starttls"}[sec], size>>10)
			b.Run(name, func(b *testing.B) {
				srv := startSandbox(b, sandbox.Options{Security: sec, DiscardData: true, Username: testUser, Password: testPassword})
				cfg := configFor(srv)
				env := Envelope{From: "a@sandbox.test", To: []string{"b@example.test"}}
				b.SetBytes(size)
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, err := Send(context.Background(), cfg, env, genMessage{size: size}, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRecipients measures 200 RCPT TO over a simulated 20 ms round
// trip, with and without PIPELINING (issue 5's target: ≤ 0.35 s pipelined).
func BenchmarkRecipients(b *testing.B) {
	to := make([]string, 200)
	for i := range to {
		to[i] = fmt.Sprintf("r%03d@example.test", i)
	}
	for _, pipelining := range []bool{true, false} {
		b.Run(map[bool]string{true: "200 pipelined at 20ms", false: "200 one by one at 20ms"}[pipelining], func(b *testing.B) {
			srv := startSandbox(b, sandbox.Options{Latency: 20 * time.Millisecond})
			cfg := configFor(srv)
			cfg.DisablePipelining = !pipelining
			for i := 0; i < b.N; i++ {
				res, err := Send(context.Background(), cfg, Envelope{From: "a@sandbox.test", To: to}, testMessage("bench", "x"), nil)
				if err != nil || len(res.Accepted()) != len(to) {
					b.Fatal(err)
				}
			}
		})
	}
}
