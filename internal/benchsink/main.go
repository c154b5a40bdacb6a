// Command benchsink is the loopback peer of Stamp's benchmarks
// (scripts/bench-send.sh). It takes data as fast as the machine allows, so
// that a benchmark measures the client and not the server:
//
//   - an SMTP sink (-security none|starttls|tls) speaking just enough
//     ESMTP for stamp-send, curl and msmtp: EHLO with PIPELINING, SIZE,
//     8BITMIME and STARTTLS, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET,
//     NOOP, QUIT. DATA is read in large chunks and counted, never parsed
//     line by line; each message's size is appended to -log;
//   - a raw sink (-raw) that counts every byte of a plain TCP or TLS
//     connection until the peer closes its side, then answers the count;
//   - the raw client (-send FILE -addr A) that pushes a file through such
//     a connection: the physical floor a mail client is compared with.
//
// It is a benchmark tool, not a mail server: one password, no limits, no
// storage.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"stamp/smtpclient/sandbox"
)

func main() {
	security := flag.String("security", "starttls", "none, starttls or tls")
	raw := flag.Bool("raw", false, "count the bytes of whole connections instead of speaking SMTP")
	listen := flag.String("listen", "127.0.0.1:0", "listen on `ADDR`")
	ready := flag.String("ready-file", "", "write the address to `FILE` once listening")
	caOut := flag.String("ca-out", "", "write the CA certificate to `FILE`")
	user := flag.String("user", "bench", "the AUTH user name")
	passwordEnv := flag.String("password-env", "", "the AUTH password is in environment variable `VAR` (empty: any password)")
	logFile := flag.String("log", "", "append one line per message or raw connection to `FILE`")
	send := flag.String("send", "", "client: send `FILE` over a raw connection to -addr")
	addr := flag.String("addr", "", "client: the raw sink's address")
	caFile := flag.String("ca-file", "", "client: trust this CA (PEM) for -security tls")
	flag.Parse()

	if *send != "" {
		if err := sendRaw(*send, *addr, *security, *caFile); err != nil {
			fmt.Fprintln(os.Stderr, "benchsink:", err)
			os.Exit(1)
		}
		return
	}
	if err := serve(*security, *raw, *listen, *ready, *caOut, *user, *passwordEnv, *logFile); err != nil {
		fmt.Fprintln(os.Stderr, "benchsink:", err)
		os.Exit(1)
	}
}

func serve(security string, raw bool, listen, ready, caOut, user, passwordEnv, logFile string) error {
	cfg := &config{user: user}
	if passwordEnv != "" {
		cfg.password = os.Getenv(passwordEnv)
	}
	switch security {
	case "none", "starttls", "tls":
		cfg.security = security
	default:
		return fmt.Errorf("-security %q: want none, starttls or tls", security)
	}
	if security != "none" {
		cert, caPEM, err := sandbox.Certificates([]string{"127.0.0.1", "localhost"}, 24*time.Hour)
		if err != nil {
			return err
		}
		cfg.tls = &tls.Config{Certificates: []tls.Certificate{cert}}
		if caOut != "" {
			if err := os.WriteFile(caOut, caPEM, 0o644); err != nil {
				return err
			}
		}
	}
	if logFile != "" {
		f, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.log = f
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	if ready != "" {
		if err := os.WriteFile(ready, []byte(ln.Addr().String()), 0o644); err != nil {
			return err
		}
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		if raw {
			go cfg.countRaw(c)
		} else {
			go cfg.session(c)
		}
	}
}

// loadCA reads a PEM file into a certificate pool.
func loadCA(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no certificate", file)
	}
	return pool, nil
}

// hostOf returns the host part of addr for TLS verification.
func hostOf(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return strings.TrimSpace(addr)
}
