// Command stamp-sandbox runs Stamp's sandbox SMTP server on 127.0.0.1 for
// people and scripts: to watch stamp-send, curl or msmtp talk to a real
// server, and for the benchmarks in scripts/bench-send.sh.
//
//	stamp-sandbox [--security none|starttls|tls] [--user U --password-env VAR]
//	              [--max-size BYTES] [--latency 20ms] [--discard] [--spool DIR]
//	              [--ca-out FILE] [--ready-file FILE]
//
// It prints the address it listens on, writes it to --ready-file, writes
// the CA certificate clients must trust to --ca-out, and runs until
// interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sync/atomic"
	"syscall"

	"stamp/smtpclient/sandbox"
)

func main() {
	security := flag.String("security", "starttls", "none, starttls or tls")
	user := flag.String("user", "", "require AUTH as `U`")
	passwordEnv := flag.String("password-env", "", "the password for --user is in environment variable `VAR`")
	maxSize := flag.Int64("max-size", 0, "advertise SIZE `BYTES` and refuse larger messages")
	latency := flag.Duration("latency", 0, "delay every reply by this long (a simulated round trip)")
	discard := flag.Bool("discard", false, "keep only sizes and digests of messages, not their bytes")
	spool := flag.String("spool", "", "save each message to `DIR` as N.eml")
	caOut := flag.String("ca-out", "", "write the CA certificate to `FILE`")
	ready := flag.String("ready-file", "", "write the address to `FILE` once listening")
	flag.Parse()

	opts := sandbox.Options{MaxSize: *maxSize, Latency: *latency, DiscardData: *discard}
	switch *security {
	case "none":
		opts.Security = sandbox.None
	case "starttls":
		opts.Security = sandbox.STARTTLS
	case "tls":
		opts.Security = sandbox.TLS
	default:
		fail("--security %q: use none, starttls or tls", *security)
	}
	if *user != "" {
		if *passwordEnv == "" || os.Getenv(*passwordEnv) == "" {
			fail("--user needs --password-env VAR with the password in $VAR")
		}
		opts.Username, opts.Password = *user, os.Getenv(*passwordEnv)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := sandbox.Start(ctx, opts)
	if err != nil {
		fail("%v", err)
	}
	if *spool != "" {
		if err := os.MkdirAll(*spool, 0o755); err != nil {
			fail("%v", err)
		}
		var n atomic.Int64 // messages arrive on one goroutine per connection
		srv.OnMessage(func(m sandbox.Message) {
			name := filepath.Join(*spool, fmt.Sprintf("%06d.eml", n.Add(1)))
			if err := os.WriteFile(name, m.Data, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "stamp-sandbox:", err)
			}
		})
	}
	if *caOut != "" && srv.CAPEM() != nil {
		if err := os.WriteFile(*caOut, srv.CAPEM(), 0o644); err != nil {
			fail("%v", err)
		}
	}
	if *ready != "" {
		if err := os.WriteFile(*ready+".tmp", []byte(srv.Addr()+"\n"), 0o644); err != nil {
			fail("%v", err)
		}
		if err := os.Rename(*ready+".tmp", *ready); err != nil {
			fail("%v", err)
		}
	}
	fmt.Printf("stamp-sandbox: listening on %s (%s)\n", srv.Addr(), *security)
	<-ctx.Done()
	srv.Close()
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "stamp-sandbox: "+format+"\n", args...)
	os.Exit(2)
}
