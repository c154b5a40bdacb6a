package main

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"stamp/discover/discovertest"
)

// TestWindowTestDiscoverFixture is no test: scripts/window-test-inner.sh
// runs it (STAMP_DISCOVER_FIXTURE=DIR) to serve the loopback DNS and the
// ISP database stand-in that the real app's Accounts window asks while the
// window test types an address on example.test. It writes DIR/env (the
// STAMP_TEST_DISCOVER_* variables for the app), logs the web requests to
// DIR/requests, and stops when DIR/stop appears (or after five minutes).
func TestWindowTestDiscoverFixture(t *testing.T) {
	dir := os.Getenv("STAMP_DISCOVER_FIXTURE")
	if dir == "" {
		t.Skip("only for scripts/window-test-inner.sh (STAMP_DISCOVER_FIXTURE=DIR)")
	}
	n := discovertest.New(t)
	n.File("ispdb.test", "/v1.1/example.test", []byte(`<clientConfig version="1.1"><emailProvider id="example.test">
<displayName>Example Mail</displayName>
<outgoingServer type="smtp"><hostname>smtp.example.test</hostname><port>465</port><socketType>SSL</socketType>
<authentication>password-cleartext</authentication><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>`))
	n.AddRR("ispdb.test. 60 IN A 127.0.0.1")
	// The app dials ispdb.test:PORT itself; a loopback listener on PORT
	// hands each connection to the stand-in's HTTPS server.
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := n.Dial(context.Background(), "tcp", "ispdb.test:443")
				if err != nil {
					return
				}
				defer s.Close()
				go io.Copy(s, c)
				io.Copy(c, s)
			}()
		}
	}()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, n.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	env := "export " + testResolverEnv + "=" + n.DNSAddr() + "\n" +
		"export " + testISPDBEnv + "=https://ispdb.test:" + strconv.Itoa(port) + "/v1.1/\n" +
		"export " + testCAFileEnv + "=" + ca + "\n"
	if err := os.WriteFile(filepath.Join(dir, "env.tmp"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "env.tmp"), filepath.Join(dir, "env")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		os.WriteFile(filepath.Join(dir, "requests"), []byte(strings.Join(n.Requests(), "\n")+"\n"), 0o600)
		if _, err := os.Stat(filepath.Join(dir, "stop")); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
