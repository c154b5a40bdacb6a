// Package discovertest is a small loopback Internet for tests of account
// discovery: a real DNS server on 127.0.0.1 (github.com/miekg/dns)
// answering MX and SRV records, real HTTPS and HTTP servers answering for
// any host name of the test domains with a throw-away CA, SMTP sandboxes
// reached by name, and a dialer that takes the names to them. Nothing in
// it reaches beyond 127.0.0.1.
package discovertest

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"stamp/smtpclient/sandbox"
)

// Domains are the domains the test certificate covers (each with its
// subdomains); the dialer knows only these names. None of them exists
// outside the tests.
var Domains = []string{"example.test", "corp.test", "hoster.test", "elsewhere.test", "ispdb.test", "quiet.test"}

// ISPDB is the base URL of the ISPDB stand-in (served by the HTTPS server
// like any other test host).
const ISPDB = "https://ispdb.test/v1.1/"

// Net is a small loopback Internet: a DNS server answering MX and SRV, an
// HTTPS and an HTTP server answering for any test host name, SMTP
// sandboxes, and a dialer that takes names to them. Names it does not
// know do not exist.
type Net struct {
	t testing.TB

	dnsAddr string
	dnsMu   sync.Mutex
	records map[string][]dns.RR // by lower-case FQDN
	silent  map[string]bool     // names the DNS server never answers
	dnsN    int                 // queries received
	delay   time.Duration

	httpsSrv, httpSrv *httptest.Server
	webMu             sync.Mutex
	files             map[string]http.HandlerFunc // "host/path" → handler
	requests          []string                    // "scheme://host/path?query", in order
	webDelay          time.Duration
	caPEM             []byte

	smtp   map[string]string // "host:port" → loopback address
	dials  []string
	closed string // a loopback address where nothing listens
}

// New starts the servers; they stop when the test ends.
func New(t testing.TB) *Net {
	t.Helper()
	e := &Net{t: t, records: map[string][]dns.RR{}, silent: map[string]bool{}, files: map[string]http.HandlerFunc{}, smtp: map[string]string{}}

	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ds := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(e.answerDNS)}
	started := make(chan struct{})
	ds.NotifyStartedFunc = func() { close(started) }
	go ds.ActivateAndServe()
	<-started
	t.Cleanup(func() { ds.Shutdown() })
	e.dnsAddr = pc.LocalAddr().String()

	var names []string
	for _, d := range Domains {
		names = append(names, d, "*."+d)
	}
	pair, caPEM, err := sandbox.Certificates(names, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.caPEM = caPEM
	e.httpsSrv = httptest.NewUnstartedServer(http.HandlerFunc(e.serveWeb))
	e.httpsSrv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	e.httpsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted-CA tests end handshakes on purpose
	e.httpsSrv.StartTLS()
	t.Cleanup(e.httpsSrv.Close)
	e.httpSrv = httptest.NewServer(http.HandlerFunc(e.serveWeb))
	t.Cleanup(e.httpSrv.Close)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.closed = ln.Addr().String()
	ln.Close()
	return e
}

// fqdn is the DNS server's key for a name.
func fqdn(name string) string { return dns.Fqdn(strings.ToLower(name)) }

// AddRR publishes a record in zone-file syntax.
func (e *Net) AddRR(rr string) {
	e.t.Helper()
	r, err := dns.NewRR(rr)
	if err != nil {
		e.t.Fatal(err)
	}
	e.dnsMu.Lock()
	defer e.dnsMu.Unlock()
	e.records[fqdn(r.Header().Name)] = append(e.records[fqdn(r.Header().Name)], r)
}

// MX publishes an MX record.
func (e *Net) MX(domain string, pref int, host string) {
	e.AddRR(domain + ". 60 IN MX " + strconv.Itoa(pref) + " " + dns.Fqdn(host))
}

// SRV publishes an SRV record for service (submission or submissions).
func (e *Net) SRV(service, domain string, port int, target string) {
	e.AddRR("_" + service + "._tcp." + domain + ". 60 IN SRV 0 1 " + strconv.Itoa(port) + " " + dns.Fqdn(target))
}

// Silence makes the DNS server never answer questions about name.
func (e *Net) Silence(name string) {
	e.dnsMu.Lock()
	e.silent[fqdn(name)] = true
	e.dnsMu.Unlock()
}

func (e *Net) answerDNS(w dns.ResponseWriter, r *dns.Msg) {
	e.dnsMu.Lock()
	e.dnsN++
	delay := e.delay
	var q dns.Question
	if len(r.Question) > 0 {
		q = r.Question[0]
	}
	silent := e.silent[strings.ToLower(q.Name)]
	rrs := e.records[strings.ToLower(q.Name)]
	e.dnsMu.Unlock()
	if silent {
		return // no answer at all: the client waits until its deadline
	}
	time.Sleep(delay)
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	for _, rr := range rrs {
		if rr.Header().Rrtype == q.Qtype {
			m.Answer = append(m.Answer, rr)
		}
	}
	if len(rrs) == 0 {
		m.Rcode = dns.RcodeNameError
	}
	w.WriteMsg(m)
}

// File serves body at host/path (both schemes).
func (e *Net) File(host, path string, body []byte) {
	e.Handle(host, path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Write(body)
	})
}

// Handle serves h at host/path (both schemes).
func (e *Net) Handle(host, path string, h http.HandlerFunc) {
	e.webMu.Lock()
	e.files[host+path] = h
	e.webMu.Unlock()
}

func (e *Net) serveWeb(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	e.webMu.Lock()
	e.requests = append(e.requests, scheme+"://"+host+r.URL.RequestURI())
	h := e.files[host+r.URL.Path]
	delay := e.webDelay
	e.webMu.Unlock()
	select {
	case <-time.After(delay):
	case <-r.Context().Done():
		return
	}
	if h == nil {
		http.NotFound(w, r)
		return
	}
	h(w, r)
}

// Requests is every request the web servers received, as
// "scheme://host/path?query", in order.
func (e *Net) Requests() []string {
	e.webMu.Lock()
	defer e.webMu.Unlock()
	return append([]string(nil), e.requests...)
}

// Dial takes names to the loopback servers: port 443 to the HTTPS
// server, 80 to the HTTP one, SMTP ports to the sandboxes registered for
// that name. Other ports of a test name are refused; unknown names do not
// exist.
func (e *Net) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	e.webMu.Lock()
	e.dials = append(e.dials, address)
	to, ok := e.smtp[strings.ToLower(address)]
	e.webMu.Unlock()
	known := false
	for _, d := range Domains {
		known = known || host == d || strings.HasSuffix(host, "."+d)
	}
	switch {
	case !known:
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	case ok:
	case port == "443":
		to = e.httpsSrv.Listener.Addr().String()
	case port == "80":
		to = e.httpSrv.Listener.Addr().String()
	default:
		to = e.closed
	}
	var d net.Dialer
	return d.DialContext(ctx, network, to)
}

// SMTPServer starts a sandbox reached as host:port, its certificate
// valid for host.
func (e *Net) SMTPServer(host string, port int, opts sandbox.Options) *sandbox.Server {
	e.t.Helper()
	opts.Names = append(opts.Names, host)
	s, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Close() })
	e.webMu.Lock()
	e.smtp[net.JoinHostPort(host, strconv.Itoa(port))] = s.Addr()
	e.webMu.Unlock()
	return s
}

// Resolver asks the loopback DNS server only.
func (e *Net) Resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, e.dnsAddr)
	}}
}

// DNSAddr is the DNS server's "127.0.0.1:port" (UDP).
func (e *Net) DNSAddr() string { return e.dnsAddr }

// CAPEM is the CA that signed the web servers' certificate.
func (e *Net) CAPEM() []byte { return e.caPEM }

// DNSQueries is how many questions the DNS server received.
func (e *Net) DNSQueries() int {
	e.dnsMu.Lock()
	defer e.dnsMu.Unlock()
	return e.dnsN
}

// Dials are the addresses Dial was asked for, in order.
func (e *Net) Dials() []string {
	e.webMu.Lock()
	defer e.webMu.Unlock()
	return append([]string(nil), e.dials...)
}

// SetDelay slows every DNS answer and HTTP response by d.
func (e *Net) SetDelay(d time.Duration) {
	e.dnsMu.Lock()
	e.delay = d
	e.dnsMu.Unlock()
	e.webMu.Lock()
	e.webDelay = d
	e.webMu.Unlock()
}
