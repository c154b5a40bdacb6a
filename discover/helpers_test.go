package discover

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

// testDomains are the domains the test certificate covers (each with its
// subdomains). None of them exists outside these tests.
var testDomains = []string{"example.test", "corp.test", "hoster.test", "elsewhere.test", "ispdb.test", "quiet.test"}

// ispdbBase is the ISPDB stand-in's base URL.
const ispdbBase = "https://ispdb.test/v1.1/"

// env is a small loopback Internet: a DNS server answering MX and SRV, an
// HTTPS and an HTTP server answering for any test host name, SMTP
// sandboxes, and a dialer that takes names to them. Names it does not
// know do not exist.
type env struct {
	t testing.TB

	dnsAddr string
	dnsMu   sync.Mutex
	records map[string][]dns.RR // by lower-case FQDN
	silent  map[string]bool     // names the DNS server never answers
	dnsN    int                 // queries received
	// Delay slows every DNS answer and HTTP response.
	Delay time.Duration

	httpsSrv, httpSrv *httptest.Server
	webMu             sync.Mutex
	files             map[string]http.HandlerFunc // "host/path" → handler
	requests          []string                    // "scheme://host/path?query", in order
	caPEM             []byte

	smtp   map[string]string // "host:port" → loopback address
	dials  []string
	closed string // a loopback address where nothing listens
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{t: t, records: map[string][]dns.RR{}, silent: map[string]bool{}, files: map[string]http.HandlerFunc{}, smtp: map[string]string{}}

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
	for _, d := range testDomains {
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

func (e *env) addRR(rr string) {
	e.t.Helper()
	r, err := dns.NewRR(rr)
	if err != nil {
		e.t.Fatal(err)
	}
	e.dnsMu.Lock()
	defer e.dnsMu.Unlock()
	e.records[fqdn(r.Header().Name)] = append(e.records[fqdn(r.Header().Name)], r)
}

// mx publishes an MX record.
func (e *env) mx(domain string, pref int, host string) {
	e.addRR(domain + ". 60 IN MX " + strconv.Itoa(pref) + " " + dns.Fqdn(host))
}

// srv publishes an SRV record for service (submission or submissions).
func (e *env) srv(service, domain string, port int, target string) {
	e.addRR("_" + service + "._tcp." + domain + ". 60 IN SRV 0 1 " + strconv.Itoa(port) + " " + dns.Fqdn(target))
}

// silence makes the DNS server never answer questions about name.
func (e *env) silence(name string) {
	e.dnsMu.Lock()
	e.silent[fqdn(name)] = true
	e.dnsMu.Unlock()
}

func (e *env) answerDNS(w dns.ResponseWriter, r *dns.Msg) {
	e.dnsMu.Lock()
	e.dnsN++
	delay := e.Delay
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

// file serves body at host/path (both schemes).
func (e *env) file(host, path string, body []byte) {
	e.handle(host, path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.Write(body)
	})
}

func (e *env) handle(host, path string, h http.HandlerFunc) {
	e.webMu.Lock()
	e.files[host+path] = h
	e.webMu.Unlock()
}

func (e *env) serveWeb(w http.ResponseWriter, r *http.Request) {
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
	delay := e.Delay
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

// webRequests is every request the web servers received.
func (e *env) webRequests() []string {
	e.webMu.Lock()
	defer e.webMu.Unlock()
	return append([]string(nil), e.requests...)
}

// dial takes names to the loopback servers: port 443 to the HTTPS
// server, 80 to the HTTP one, SMTP ports to the sandboxes registered for
// that name. Other ports of a test name are refused; unknown names do not
// exist.
func (e *env) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	e.webMu.Lock()
	e.dials = append(e.dials, address)
	to, ok := e.smtp[strings.ToLower(address)]
	e.webMu.Unlock()
	known := false
	for _, d := range testDomains {
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

// smtpServer starts a sandbox reached as host:port.
func (e *env) smtpServer(host string, port int, opts sandbox.Options) *sandbox.Server {
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

// resolver asks the loopback DNS server only.
func (e *env) resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, e.dnsAddr)
	}}
}

// options are discovery options pointed at this env; trust adds the CA
// PEMs of sandboxes.
func (e *env) options(trust ...[]byte) Options {
	ca := append([]byte(nil), e.caPEM...)
	for _, p := range trust {
		ca = append(ca, p...)
	}
	return Options{
		Resolver:      e.resolver(),
		Dial:          e.dial,
		CAPEM:         ca,
		ISPDB:         ispdbBase,
		SourceTimeout: 3 * time.Second,
		GuessTimeout:  3 * time.Second,
		HeloName:      "client.stamp.test",
	}
}
