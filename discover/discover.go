package discover

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"

	"stamp/account"
	"stamp/i18n"
	"stamp/smtpclient"
)

// DefaultISPDB is the Thunderbird ISP database's base URL.
const DefaultISPDB = "https://autoconfig.thunderbird.net/v1.1/"

// Defaults of Options.
const (
	DefaultTimeout       = 20 * time.Second
	DefaultSourceTimeout = 8 * time.Second
	DefaultGuessTimeout  = 8 * time.Second
	DefaultMaxResponse   = 1 << 20
	DefaultMaxRedirects  = 3
	DefaultGrace         = 500 * time.Millisecond
)

// Options configure a Discoverer. The zero value asks the system's DNS and
// the public ISPDB over HTTPS with the system's certificate authorities.
type Options struct {
	// Resolver answers the DNS questions (MX, SRV, and the host names of
	// the HTTPS and SMTP connections); nil means net.DefaultResolver.
	Resolver *net.Resolver
	// Dial opens every TCP connection (HTTPS and the guess's SMTP); nil
	// means a net.Dialer using Resolver. Tests point names at loopback
	// servers with it.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
	// CAPEM adds certificate authorities (PEM) to the system's for the
	// HTTPS lookups and the guess's TLS. Verification is never off.
	CAPEM []byte
	// ISPDB is the ISP database's base URL, ending in "/"; empty means
	// DefaultISPDB. The domain is appended; the address never is.
	ISPDB string
	// AllowHTTP also asks for the autoconfig file over plain HTTP, after
	// every other source; what it finds is marked Unverified.
	AllowHTTP bool
	// All waits for every source instead of stopping at the first good
	// answer, so every candidate is listed (for `account discover`).
	All bool
	// Timeout bounds a whole discovery; SourceTimeout each lookup;
	// GuessTimeout each guess connection. Zero means the defaults.
	Timeout       time.Duration
	SourceTimeout time.Duration
	GuessTimeout  time.Duration
	// Grace is how much longer higher-priority sources are waited for
	// once a lower one gave a good answer; zero means DefaultGrace.
	Grace time.Duration
	// MaxResponse bounds an HTTP answer's size; MaxRedirects the redirects
	// followed (HTTPS only). Zero means the defaults.
	MaxResponse  int64
	MaxRedirects int
	// HeloName is the name the guess sends with EHLO; empty lets the
	// engine choose (see smtpclient.Config.HeloName).
	HeloName string
}

// Source is where a candidate came from. The order of the constants is
// the order of trust.
type Source int

// The sources, best first.
const (
	SourcePreset Source = iota + 1
	SourceAutoconfig
	SourceISPDB
	SourceMX
	SourceSRV
	SourceHTTP
	SourceGuess
)

// String is a short name ("autoconfig", "ispdb", …) for logs and JSON.
func (s Source) String() string {
	switch s {
	case SourcePreset:
		return "preset"
	case SourceAutoconfig:
		return "autoconfig"
	case SourceISPDB:
		return "ispdb"
	case SourceMX:
		return "mx"
	case SourceSRV:
		return "srv"
	case SourceHTTP:
		return "autoconfig-http"
	case SourceGuess:
		return "guess"
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

// MarshalText makes a Source its String in JSON.
func (s Source) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Server is one way to reach a candidate's SMTP server.
type Server struct {
	Host     string           `json:"host"`
	Port     int              `json:"port"`
	Security account.Security `json:"security"`
	// Auth is how to log in; Methods the file's own words for it, if any.
	Auth    account.AuthMechanism `json:"auth"`
	Methods []AuthMethod          `json:"methods,omitempty"`
	// Username is the login name; empty means the address.
	Username string `json:"username,omitempty"`
	// usernameTemplate keeps the placeholders, to serve the cache to
	// another address of the same domain.
	usernameTemplate string
	// hostTemplate and problems (the reasons not to use it that do not
	// depend on the address) re-expand Host for another address.
	hostTemplate, problems string
	// OtherDomain: the host is not in the address's domain. Show it
	// before the settings are used.
	OtherDomain bool `json:"other_domain,omitempty"`
	// Plain: no TLS at all. Never chosen without the person's say.
	Plain bool `json:"plain,omitempty"`
	// NotUsable says why this server cannot be used; empty when it can.
	NotUsable string `json:"not_usable,omitempty"`
}

// Endpoint is the server as an account.Endpoint.
func (s Server) Endpoint() account.Endpoint {
	return account.Endpoint{Host: s.Host, Port: s.Port, Security: s.Security}
}

// String is "host:port (security)".
func (s Server) String() string { return s.Endpoint().String() }

// Candidate is one answer: a provider's servers from one source.
type Candidate struct {
	Source Source `json:"source"`
	// From says in words where the settings came from ("from the
	// Thunderbird ISP database").
	From string `json:"from"`
	// Where is the URL or DNS name that gave them.
	Where string `json:"where,omitempty"`
	// Provider is the provider's name, when known.
	Provider string `json:"provider,omitempty"`
	// Servers are the alternatives, best first.
	Servers []Server `json:"servers"`
	// Preset is the built-in preset behind the answer (directly, or
	// through the MX records), with its checklist and login advice.
	Preset *account.Preset `json:"-"`
	// OAuth2 is the sign-in information an autoconfig file gave.
	OAuth2 *OAuth2 `json:"oauth2,omitempty"`
	// Unverified: fetched over plain HTTP, so anyone on the network path
	// could have written it.
	Unverified bool `json:"unverified,omitempty"`
	// Redirected is the host that served the file when a redirect led
	// to another domain than the one asked: that host wrote the settings.
	Redirected string `json:"redirected,omitempty"`
	// Guess: nobody said so; a server merely answered.
	Guess bool `json:"guess,omitempty"`
}

// Best is the first usable server with TLS; ok is false when there is
// none (only plain or unusable servers).
func (c Candidate) Best() (s Server, ok bool) {
	for _, s := range c.Servers {
		if s.NotUsable == "" && !s.Plain {
			return s, true
		}
	}
	return Server{}, false
}

// good reports whether the candidate can win: a usable server with TLS.
func (c Candidate) good() bool { _, ok := c.Best(); return ok }

// Warnings are what a person must read before using the candidate, in
// plain words; none for a built-in preset found by the address's domain.
func (c Candidate) Warnings() []string {
	var w []string
	if c.Unverified {
		w = append(w, i18n.T("discover.warn.http", "These settings came over plain HTTP (unverified): anyone on the network path could have changed them."))
	}
	if c.Guess {
		w = append(w, i18n.T("discover.warn.guess", "This is a guess: a server answered, but nobody said it is your provider's."))
	}
	if c.Redirected != "" {
		w = append(w, i18n.T("discover.warn.redirected", "These settings were served by {{.Host}}, another domain than the one Stamp asked (a redirect): whoever runs {{.Host}} wrote them.", map[string]any{"Host": c.Redirected}))
	}
	// Another domain is said once per host; no encryption once per
	// host and port (one host may offer TLS on one port, none on another).
	seenHost, seenPort := map[string]bool{}, map[string]bool{}
	for _, s := range c.Servers {
		if s.NotUsable != "" {
			continue
		}
		if s.OtherDomain && !seenHost[s.Host] {
			seenHost[s.Host] = true
			w = append(w, i18n.T("discover.warn.other_domain", "{{.Host}} is outside your address's domain: your mail and password would go to it.", map[string]any{"Host": s.Host}))
		}
		if hp := fmt.Sprintf("%s:%d", s.Host, s.Port); s.Plain && !seenPort[hp] {
			seenPort[hp] = true
			w = append(w, i18n.T("discover.warn.plain", "{{.Host}}:{{.Port}} has no encryption: your password and mail would cross the network readable.", map[string]any{"Host": s.Host, "Port": s.Port}))
		}
	}
	return w
}

// Account returns an account for address with the candidate's best
// server; ok is false when it has no usable server with TLS.
func (c Candidate) Account(address string) (a account.Account, ok bool) {
	s, ok := c.Best()
	if !ok {
		return account.Account{}, false
	}
	a = account.Account{
		ID:       strings.ToLower(address),
		Address:  address,
		Host:     s.Host,
		Port:     s.Port,
		Security: s.Security,
		Auth:     s.Auth,
		SaveSent: true,
	}
	if s.Username != "" && s.Username != address {
		a.Username = s.Username
	}
	return a, true
}

// AsPreset describes the candidate as an account.Preset, for code that
// works with presets (Preset.Apply, Preset.FindEndpoint, the checklist):
// its usable TLS servers as endpoints, best first, and the login advice
// the file's authentication methods imply. A candidate from a built-in
// preset returns that preset with these endpoints. Call it only for a
// candidate whose Best is ok: without endpoints a Preset cannot make an
// account.
func (c Candidate) AsPreset(domain string) account.Preset {
	var p account.Preset
	if c.Preset != nil {
		p = *c.Preset
	} else {
		p = account.Preset{Provider: c.Provider, Domains: []string{domain}, Login: account.LoginPassword}
		if p.Provider == "" {
			p.Provider = domain
		}
	}
	p.Endpoints = nil
	for _, s := range c.Servers {
		if s.NotUsable == "" && !s.Plain {
			p.Endpoints = append(p.Endpoints, s.Endpoint())
		}
	}
	if best, ok := c.Best(); ok {
		p.Auth = best.Auth
		if c.Preset == nil {
			p.Login = loginFor(best.Methods)
		}
	}
	p.Guess = p.Guess || c.Guess
	p.Unverified = p.Unverified || c.Unverified
	return p
}

// loginFor is the login advice for a server's authentication methods.
func loginFor(methods []AuthMethod) account.Login {
	oauth, password := false, false
	for _, m := range methods {
		switch mech, _ := m.Mechanism(); mech {
		case account.AuthXOAUTH2:
			oauth = true
		case account.AuthAuto, account.AuthCRAMMD5:
			password = true
		}
	}
	switch {
	case oauth && password:
		return account.LoginOAuth2OrAppPassword
	case oauth:
		return account.LoginOAuth2Only
	}
	return account.LoginPassword
}

// Outcome is how one lookup ended.
type Outcome string

// The outcomes.
const (
	// Found: the lookup gave usable settings.
	Found Outcome = "found"
	// NothingThere: no file, no record, no server.
	NothingThere Outcome = "nothing"
	// NotUsable: an answer came but cannot be used (Reason says why).
	NotUsable Outcome = "not usable"
	// Cancelled: stopped because a better source answered first.
	Cancelled Outcome = "cancelled"
	// Skipped: not asked (an earlier answer made it pointless).
	Skipped Outcome = "skipped"
)

// Attempt is one lookup and how it ended.
type Attempt struct {
	Source  Source        `json:"source"`
	Where   string        `json:"where"`
	Outcome Outcome       `json:"outcome"`
	Reason  string        `json:"reason,omitempty"`
	Took    time.Duration `json:"took_ns"`
	// incomplete: the lookup was cut short (a time limit, a network
	// error), so asking again may answer differently.
	incomplete bool
}

// Result is what discovery found for an address.
type Result struct {
	Address string `json:"address"`
	Domain  string `json:"domain"`
	// Candidates are the answers, the winner first, then the others
	// found, by priority; plain-only ones last.
	Candidates []Candidate `json:"candidates"`
	// Attempts are the lookups made, for "show details".
	Attempts []Attempt `json:"attempts"`
	// Cached: this came from an earlier discovery for the same domain.
	Cached bool `json:"cached,omitempty"`
}

// Chosen is the candidate and server Stamp proposes: the first candidate
// with a usable TLS server. ok is false when there is none; a plain
// server is never chosen, only listed.
func (r *Result) Chosen() (c Candidate, s Server, ok bool) {
	for _, c := range r.Candidates {
		if s, ok := c.Best(); ok {
			return c, s, true
		}
	}
	return Candidate{}, Server{}, false
}

// Discoverer finds settings and remembers them per domain for the
// session: only a complete answer (settings found, no lookup cut short by
// a time limit or a network error); finding nothing is asked again. It is
// safe for concurrent use.
type Discoverer struct {
	opts    Options
	client  *http.Client // HTTPS lookups
	pool    *x509.CertPool
	poolErr error

	mu      sync.Mutex
	cache   map[string]*Result
	flights map[string]*flight

	// guessEvents, when set (by tests), sees every event of the guess's
	// SMTP sessions, to prove no AUTH is ever sent.
	guessEvents func(smtpclient.Event)
}

// New returns a Discoverer with opts.
func New(opts Options) *Discoverer {
	if opts.Resolver == nil {
		opts.Resolver = net.DefaultResolver
	}
	if opts.Dial == nil {
		opts.Dial = (&net.Dialer{Resolver: opts.Resolver}).DialContext
	}
	if opts.ISPDB == "" {
		opts.ISPDB = DefaultISPDB
	}
	if !strings.HasSuffix(opts.ISPDB, "/") {
		opts.ISPDB += "/"
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.SourceTimeout <= 0 {
		opts.SourceTimeout = DefaultSourceTimeout
	}
	if opts.GuessTimeout <= 0 {
		opts.GuessTimeout = DefaultGuessTimeout
	}
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	if opts.MaxResponse <= 0 {
		opts.MaxResponse = DefaultMaxResponse
	}
	if opts.MaxRedirects <= 0 {
		opts.MaxRedirects = DefaultMaxRedirects
	}
	d := &Discoverer{opts: opts, cache: map[string]*Result{}, flights: map[string]*flight{}}
	d.pool, d.poolErr = certPool(opts.CAPEM)
	tr := &http.Transport{
		DialContext:            opts.Dial,
		TLSClientConfig:        &tls.Config{RootCAs: d.pool, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    opts.SourceTimeout,
		ResponseHeaderTimeout:  opts.SourceTimeout,
		MaxResponseHeaderBytes: 64 << 10,
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
	}
	d.client = &http.Client{Transport: tr, CheckRedirect: d.checkRedirect}
	return d
}

// certPool is the system's roots plus extra.
func certPool(extra []byte) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if len(extra) > 0 && !pool.AppendCertsFromPEM(extra) {
		return nil, errors.New("the CA file holds no PEM certificate")
	}
	return pool, nil
}

// Forget drops the cached result for the address's domain (a "try again").
func (d *Discoverer) Forget(address string) {
	if dom, err := account.Domain(address); err == nil {
		d.mu.Lock()
		delete(d.cache, dom)
		d.mu.Unlock()
	}
}

// Discover finds settings for address. The error is only for an address
// that has no domain, a bad CAPEM, or ctx ending; finding nothing is a
// Result without candidates (and its Attempts say why).
func (d *Discoverer) Discover(ctx context.Context, address string) (*Result, error) {
	address = strings.TrimSpace(address)
	dom, err := account.Domain(address)
	if err != nil {
		return nil, err
	}
	if d.poolErr != nil {
		return nil, d.poolErr
	}
	for {
		d.mu.Lock()
		cached, f := d.cache[dom], d.flights[dom]
		if cached == nil && f == nil {
			// This call asks the network; later calls for the domain
			// wait for it instead of asking again.
			f = &flight{done: make(chan struct{})}
			d.flights[dom] = f
			d.mu.Unlock()
			r, err := d.discover(ctx, address, dom)
			d.mu.Lock()
			delete(d.flights, dom)
			d.mu.Unlock()
			f.r, f.err = r, err
			close(f.done)
			if err != nil {
				return nil, err
			}
			return r.forAddress(address), nil
		}
		d.mu.Unlock()
		if cached != nil {
			r := cached.forAddress(address)
			r.Cached = true
			return r, nil
		}
		select {
		case <-f.done:
			if f.err == nil {
				r := f.r.forAddress(address)
				r.Cached = true
				return r, nil
			}
			// The first caller gave up (its context ended): ask again,
			// unless this caller has given up too.
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// flight is a discovery under way, for callers asking for the same domain
// meanwhile.
type flight struct {
	done chan struct{}
	r    *Result
	err  error
}

// discover asks the presets, then the network, and caches a complete
// answer.
func (d *Discoverer) discover(ctx context.Context, address, dom string) (*Result, error) {
	r := &Result{Address: address, Domain: dom}
	if p, err := account.Lookup(address); err == nil && !p.Guess {
		r.Candidates = []Candidate{presetCandidate(p, SourcePreset, i18n.T("discover.from.preset", "from Stamp's built-in settings for {{.Provider}}", map[string]any{"Provider": p.Provider}), "")}
		r.Attempts = []Attempt{{Source: SourcePreset, Where: dom, Outcome: Found}}
		d.store(dom, r)
		return r, nil
	}

	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	found, attempts := d.race(ctx, d.lookups(address, dom))
	r.Attempts = attempts
	r.Candidates = found
	if !anyGood(found) && ctx.Err() == nil {
		g, ga := d.race(ctx, d.guesses(dom))
		r.Attempts = append(r.Attempts, ga...)
		r.Candidates = append(r.Candidates, g...)
	}
	if err := parent.Err(); err != nil {
		return nil, err
	}
	sortCandidates(r.Candidates)
	for i := range r.Candidates {
		markOtherDomain(&r.Candidates[i], dom)
	}
	if ctx.Err() == nil && r.complete() {
		d.store(dom, r)
	}
	return r, nil
}

// complete reports whether r is worth keeping for the session: settings
// were found and no lookup was cut short. Finding nothing, or a source
// that timed out, is asked again next time (a "try again").
func (r *Result) complete() bool {
	if _, _, ok := r.Chosen(); !ok {
		return false
	}
	for _, a := range r.Attempts {
		if a.incomplete {
			return false
		}
	}
	return true
}

func anyGood(cs []Candidate) bool {
	for _, c := range cs {
		if c.good() {
			return true
		}
	}
	return false
}

// sortCandidates keeps the priority order but moves candidates without a
// usable TLS server to the end.
func sortCandidates(cs []Candidate) {
	good := cs[:0:0]
	var rest []Candidate
	for _, c := range cs {
		if c.good() {
			good = append(good, c)
		} else {
			rest = append(rest, c)
		}
	}
	copy(cs, append(good, rest...))
}

func (d *Discoverer) store(dom string, r *Result) {
	d.mu.Lock()
	d.cache[dom] = r
	d.mu.Unlock()
}

// forAddress is a deep copy of r with the user names and host names
// expanded for address, and the URLs that carried r's address rebuilt
// with this one.
func (r *Result) forAddress(address string) *Result {
	out := *r
	out.Address = address
	oldQ, newQ := "emailaddress="+url.QueryEscape(r.Address), "emailaddress="+url.QueryEscape(address)
	out.Attempts = append([]Attempt(nil), r.Attempts...)
	for i := range out.Attempts {
		out.Attempts[i].Where = strings.ReplaceAll(out.Attempts[i].Where, oldQ, newQ)
	}
	out.Candidates = make([]Candidate, len(r.Candidates))
	for i, c := range r.Candidates {
		c.Where = strings.ReplaceAll(c.Where, oldQ, newQ)
		c.Servers = append([]Server(nil), c.Servers...)
		for j := range c.Servers {
			s := &c.Servers[j]
			if t := s.usernameTemplate; t != "" {
				s.Username = expand(t, address)
			}
			if t := s.hostTemplate; strings.Contains(t, "%") {
				s.Host, s.NotUsable = expandHost(t, s.problems, address)
			}
		}
		markOtherDomain(&c, r.Domain)
		out.Candidates[i] = c
	}
	sortCandidates(out.Candidates)
	return &out
}

// registrable is the domain a name belongs to ("example.co.uk" for
// "smtp.mail.example.co.uk"); the name itself when the list does not say.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if r, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return r
	}
	return host
}

// markOtherDomain flags servers outside the address's registrable domain,
// except for a preset found by the address's own domain (Stamp vouches
// for those).
func markOtherDomain(c *Candidate, dom string) {
	if c.Source == SourcePreset {
		return
	}
	mine := registrable(dom)
	for i := range c.Servers {
		c.Servers[i].OtherDomain = registrable(c.Servers[i].Host) != mine
	}
}

// presetCandidate describes a built-in preset as a candidate.
func presetCandidate(p account.Preset, src Source, from, where string) Candidate {
	c := Candidate{Source: src, From: from, Where: where, Provider: p.Provider}
	pp := p
	c.Preset = &pp
	for _, e := range p.Endpoints {
		c.Servers = append(c.Servers, Server{
			Host: e.Host, Port: e.Port, Security: e.Security, Auth: p.Auth,
			Plain: e.Security == account.SecurityNone,
		})
	}
	return c
}

// configCandidate turns a parsed file into a candidate.
func configCandidate(cfg *ClientConfig, src Source, from, where string) Candidate {
	c := Candidate{Source: src, From: from, Where: where, Provider: cfg.DisplayName, OAuth2: cfg.OAuth2}
	if c.Provider == "" {
		c.Provider = cfg.ShortName
	}
	for _, o := range cfg.Outgoing {
		auth, _ := o.Auth()
		s := Server{
			Host: o.Hostname, Port: o.Port, Security: o.SocketType.Security(), Auth: auth,
			Methods: o.Methods, Username: o.Username, usernameTemplate: o.UsernameTemplate,
			hostTemplate: o.HostnameTemplate, problems: o.problems,
			Plain: o.SocketType == SocketPlain, NotUsable: o.NotUsable,
		}
		c.Servers = append(c.Servers, s)
	}
	return c
}
