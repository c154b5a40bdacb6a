package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"

	"stamp/discover"
	"stamp/internal/boundedfile"
)

// For the window test only (scripts/window-test-inner.sh): these variables
// point the Accounts window's discovery at loopback test servers, as
// stamp-send account discover's --resolver, --ispdb and --ca-file do. Unset
// (always, outside that test), discovery asks the system's DNS and the real
// ISP database. Verification of HTTPS stays on; the CA is only added.
const (
	// testResolverEnv: ask this DNS server (HOST:PORT) instead of the system's.
	testResolverEnv = "STAMP_TEST_DISCOVER_RESOLVER"
	// testISPDBEnv: another ISP database base URL.
	testISPDBEnv = "STAMP_TEST_DISCOVER_ISPDB"
	// testCAFileEnv: also trust the CA in this PEM file for the lookups.
	testCAFileEnv = "STAMP_TEST_DISCOVER_CA_FILE"
)

// discoverOptions are the Accounts window's discovery options: the
// defaults, or the window test's loopback servers.
func discoverOptions() (discover.Options, error) {
	var opts discover.Options
	if r := os.Getenv(testResolverEnv); r != "" {
		if _, _, err := net.SplitHostPort(r); err != nil {
			return opts, fmt.Errorf("%s=%q: want HOST:PORT", testResolverEnv, r)
		}
		opts.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, r)
		}}
	}
	if s := os.Getenv(testISPDBEnv); s != "" {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return opts, fmt.Errorf("%s=%q: want an http(s) URL", testISPDBEnv, s)
		}
		opts.ISPDB = s
	}
	if f := os.Getenv(testCAFileEnv); f != "" {
		pem, err := boundedfile.Read(f, boundedfile.DefaultLimit)
		if err != nil {
			return opts, fmt.Errorf("%s: %w", testCAFileEnv, err)
		}
		opts.CAPEM = pem
	}
	return opts, nil
}
