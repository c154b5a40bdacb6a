package discover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"stamp/account"
	"stamp/i18n"
	"stamp/smtpclient"
)

// lookup is one question asked in a race.
type lookup struct {
	source  Source
	where   string
	timeout time.Duration
	run     func(ctx context.Context) (*Candidate, error)
}

// errorList is several errors on one line; errors.As sees each.
type errorList []error

func (l errorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

func (l errorList) Unwrap() []error { return l }

// nothingError: the lookup found nothing there (no file, no record).
type nothingError struct{ reason string }

func (e *nothingError) Error() string { return e.reason }

func nothing(format string, args ...any) error {
	return &nothingError{reason: fmt.Sprintf(format, args...)}
}

// race runs the lookups at once, each under its own time limit, and keeps
// the best answers by priority (the order of ls). When a lookup gives a
// good answer, every lower one is cancelled (unless Options.All); higher
// ones are waited for, but only for Options.Grace more: a higher source
// that never answers (a web server that accepts the connection and says
// nothing) must not hold a good answer for its whole time limit. It
// returns the candidates with a usable server, in priority order, and one
// attempt per lookup.
func (d *Discoverer) race(ctx context.Context, ls []lookup) ([]Candidate, []Attempt) {
	type res struct {
		i    int
		c    *Candidate
		err  error
		took time.Duration
	}
	n := len(ls)
	ch := make(chan res, n)
	cancels := make([]context.CancelFunc, n)
	lctxs := make([]context.Context, n)
	for i, l := range ls {
		begun := time.Now()
		lctxs[i], cancels[i] = context.WithTimeout(ctx, l.timeout)
		go func(i int, l lookup, lctx context.Context) {
			c, err := l.run(lctx)
			ch <- res{i, c, err, time.Since(begun)}
		}(i, l, lctxs[i])
	}
	results := make([]res, n)
	done := make([]bool, n)
	cancelled := make([]bool, n)
	winner := n
	start := time.Now()
	settled := func() bool {
		for i := 0; i < winner; i++ {
			if !done[i] {
				return false
			}
		}
		return true
	}
	// The grace starts when a good answer first waits for higher ones.
	var grace <-chan time.Time
	graceOver := false
	// Stop as soon as the answer is known: the winner and everything above
	// it have finished, or the grace for those above it is over. Cancelled
	// lookups end on their own (some resolvers only notice their
	// deadline); the channel has room for them.
wait:
	for pending := n; pending > 0 && !(winner < n && settled()); pending-- {
		select {
		case r := <-ch:
			cancels[r.i]()
			results[r.i], done[r.i] = r, true
			if r.err == nil && r.c != nil && r.c.good() && r.i < winner && !d.opts.All {
				winner = r.i
				for j := r.i + 1; j < n; j++ {
					if !done[j] && !cancelled[j] {
						cancelled[j] = true
						cancels[j]()
					}
				}
				if grace == nil {
					t := time.NewTimer(d.opts.Grace)
					defer t.Stop()
					grace = t.C
				}
			}
		case <-grace:
			graceOver = true
			break wait
		case <-ctx.Done():
			break wait
		}
	}
	for i := range ls {
		if !done[i] {
			cancels[i]()
			results[i] = res{i: i, err: ctx.Err(), took: time.Since(start)}
			if results[i].err == nil {
				results[i].err = context.Canceled
			}
		}
	}
	var found []Candidate
	attempts := make([]Attempt, n)
	for i, r := range results {
		a := Attempt{Source: ls[i].source, Where: ls[i].where, Took: r.took}
		switch {
		case r.err == nil && r.c != nil:
			a.Outcome = Found
			if r.c.Where != "" {
				a.Where = r.c.Where
			}
			if !r.c.good() {
				a.Reason = "only without encryption"
			}
			found = append(found, *r.c)
		case graceOver && !done[i] && i < winner && ctx.Err() == nil:
			a.Outcome, a.incomplete = Cancelled, true
			a.Reason = fmt.Sprintf("a lower source answered and this one did not answer within %s more", d.opts.Grace)
		case cancelled[i] && lctxs[i].Err() != nil && ctx.Err() == nil:
			a.Outcome, a.Reason = Cancelled, "a better source answered first"
		case errors.As(r.err, new(*nothingError)):
			a.Outcome, a.Reason = NothingThere, r.err.Error()
		case ctx.Err() != nil && errors.Is(r.err, context.DeadlineExceeded):
			a.Outcome, a.Reason, a.incomplete = NotUsable, "discovery ran out of time", true
		case ctx.Err() != nil:
			a.Outcome, a.Reason, a.incomplete = Cancelled, "discovery was stopped", true
		case errors.Is(lctxs[i].Err(), context.DeadlineExceeded) || r.took >= ls[i].timeout || isTimeout(r.err):
			a.Outcome, a.Reason, a.incomplete = NotUsable, fmt.Sprintf("no answer within %s", ls[i].timeout), true
		default:
			a.Outcome, a.Reason = NotUsable, clipReason(r.err)
			// A refused file is an answer; a broken connection or a
			// failing DNS server may be gone next time.
			var ne net.Error
			a.incomplete = errors.As(r.err, &ne)
		}
		attempts[i] = a
	}
	return found, attempts
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// clipReason is an error's text, bounded (cut on a character boundary) and
// printable (it may quote a hostile server).
func clipReason(err error) string {
	if err == nil {
		return ""
	}
	return smtpclient.Clip(smtpclient.Printable(err.Error()), 300)
}

// lookups are the questions for a domain, in priority order.
func (d *Discoverer) lookups(address, dom string) []lookup {
	t := d.opts.SourceTimeout
	auto := "https://autoconfig." + dom + "/mail/config-v1.1.xml?emailaddress=" + url.QueryEscape(address)
	wellKnown := "https://" + dom + "/.well-known/autoconfig/mail/config-v1.1.xml"
	ispdb := d.opts.ISPDB + dom
	own := func(where string) string {
		return i18n.T("discover.from.own", "from your provider's own settings file ({{.Where}})", map[string]any{"Where": where})
	}
	ls := []lookup{
		{SourceAutoconfig, auto, t, d.fileLookup(auto, address, SourceAutoconfig, own("autoconfig."+dom))},
		{SourceAutoconfig, wellKnown, t, d.fileLookup(wellKnown, address, SourceAutoconfig, own(dom+"/.well-known"))},
		{SourceISPDB, ispdb, t, d.fileLookup(ispdb, address, SourceISPDB, i18n.T("discover.from.ispdb", "from the Thunderbird ISP database"))},
		{SourceMX, "MX " + dom, t, d.mxLookup(address, dom)},
		{SourceSRV, "SRV _submissions._tcp." + dom + ", _submission._tcp." + dom, t, d.srvLookup(dom)},
	}
	if d.opts.AllowHTTP {
		// Never the address over plain HTTP: anyone on the path reads it.
		unverified := i18n.T("discover.from.http", "from a settings file fetched over plain HTTP (unverified)")
		for _, u := range []string{
			"http://autoconfig." + dom + "/mail/config-v1.1.xml",
			"http://" + dom + "/.well-known/autoconfig/mail/config-v1.1.xml",
		} {
			ls = append(ls, lookup{SourceHTTP, u, t, d.fileLookup(u, address, SourceHTTP, unverified)})
		}
	}
	return ls
}

// fileLookup fetches and reads one config-v1.1.xml.
func (d *Discoverer) fileLookup(u, address string, src Source, from string) func(context.Context) (*Candidate, error) {
	return func(ctx context.Context) (*Candidate, error) {
		cfg, final, err := d.fetchConfig(ctx, u, address)
		if err != nil {
			return nil, err
		}
		c := configCandidate(cfg, src, from, final.String())
		c.servedBy(u, final)
		return &c, nil
	}
}

// servedBy records where the file really came from: Where is the URL that
// answered (after redirects), a file fetched over plain HTTP is
// Unverified, and one served by a host in another domain than the one
// asked names it in Redirected (a warning).
func (c *Candidate) servedBy(asked string, final *url.URL) {
	c.Where = final.String()
	c.Unverified = c.Unverified || final.Scheme != "https"
	if a, err := url.Parse(asked); err == nil && registrable(a.Hostname()) != registrable(final.Hostname()) {
		c.Redirected = strings.ToLower(final.Hostname())
	}
}

// fetchConfig GETs a config file within the size and redirect limits. It
// returns the URL that answered (after redirects).
func (d *Discoverer) fetchConfig(ctx context.Context, u, address string) (*ClientConfig, *url.URL, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "application/xml, text/xml")
	req.Header.Set("User-Agent", "Stamp")
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, nil, httpError(req.URL.Hostname(), err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, nil, nothing("no settings file there (HTTP %d)", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, nil, fmt.Errorf("the server answered HTTP %d instead of the file", resp.StatusCode)
	case resp.ContentLength > d.opts.MaxResponse:
		return nil, nil, fmt.Errorf("the answer is %d bytes, more than the %d allowed", resp.ContentLength, d.opts.MaxResponse)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, d.opts.MaxResponse+1))
	if err != nil {
		return nil, nil, httpError(req.URL.Hostname(), err)
	}
	if int64(len(data)) > d.opts.MaxResponse {
		return nil, nil, fmt.Errorf("the answer is larger than the %d bytes allowed", d.opts.MaxResponse)
	}
	cfg, err := ParseConfig(data, address)
	if err != nil {
		return nil, nil, err
	}
	if !cfg.Usable() {
		var why []string
		for i, s := range cfg.Outgoing {
			why = append(why, fmt.Sprintf("server %d (%s): %s", i+1, clip(s.Hostname), s.NotUsable))
		}
		return nil, nil, fmt.Errorf("no usable SMTP server in the file: %s", strings.Join(why, "; "))
	}
	return cfg, final, nil
}

// checkRedirect follows at most MaxRedirects redirects, and never from
// HTTPS to plain HTTP. No redirect carries a Referer (it would hold the
// first URL, and with it the address). The address goes only to the
// host it was asked of: a redirect to another host that would carry it
// (in its path or query, where the first server may have copied it) loses
// those query parameters, or is refused when the path holds it.
func (d *Discoverer) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > d.opts.MaxRedirects {
		return fmt.Errorf("more than %d redirects", d.opts.MaxRedirects)
	}
	first := via[0].URL
	if first.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirected from HTTPS to %s, refused", req.URL.Scheme)
	}
	req.Header.Del("Referer")
	address := strings.ToLower(first.Query().Get("emailaddress"))
	if address == "" || strings.EqualFold(req.URL.Hostname(), first.Hostname()) {
		return nil
	}
	if p, err := url.PathUnescape(req.URL.EscapedPath()); err != nil || strings.Contains(strings.ToLower(p), address) {
		return fmt.Errorf("redirected to %s with the address in the path, refused", req.URL.Hostname())
	}
	q := req.URL.Query()
	changed := false
	for k, vs := range q {
		for _, v := range vs {
			if strings.Contains(strings.ToLower(v), address) || strings.Contains(strings.ToLower(k), address) {
				q.Del(k)
				changed = true
				break
			}
		}
	}
	if changed {
		req.URL.RawQuery = q.Encode()
	}
	return nil
}

// httpError says what a failed request means: a name or server that does
// not exist is "nothing there"; anything else is a reason not to use it.
func httpError(host string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return nothing("%s does not exist", host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return nothing("no web server at %s", host)
	}
	return err
}

// mxHosts are mail hosts whose domain names a provider better than its
// registrable domain does (Thunderbird's ISPDB lists the same names).
var mxHosts = map[string]struct{ preset, name string }{
	"google.com":                  {"Gmail", "Google"},
	"googlemail.com":              {"Gmail", "Google"},
	"mail.protection.outlook.com": {"Microsoft 365", "Microsoft 365"},
	"olc.protection.outlook.com":  {"Outlook.com / Hotmail", "Outlook.com"},
}

// mxLookup finds the domain's mail host and looks its domain up in the
// presets, then in the ISPDB.
func (d *Discoverer) mxLookup(address, dom string) func(context.Context) (*Candidate, error) {
	return func(ctx context.Context) (*Candidate, error) {
		mxs, err := d.opts.Resolver.LookupMX(ctx, dom)
		if len(mxs) == 0 {
			var dnsErr *net.DNSError
			if err == nil || errors.As(err, &dnsErr) && dnsErr.IsNotFound {
				return nil, nothing("no MX records for %s", dom)
			}
			return nil, err
		}
		host := strings.TrimSuffix(strings.ToLower(mxs[0].Host), ".") // Go sorts by preference
		if host == "" {
			return nil, nothing("%s receives no mail (null MX, RFC 7505)", dom)
		}
		hostReg := registrable(host)
		if hostReg == registrable(dom) {
			return nil, nothing("%s handles its own mail (%s)", dom, host)
		}
		names := []string{hostReg}
		if dot := strings.IndexByte(host, '.'); dot > 0 {
			if parent := host[dot+1:]; parent != hostReg && strings.HasSuffix(parent, "."+hostReg) {
				names = []string{parent, hostReg}
			}
		}
		where := "MX " + dom + " → " + host
		for _, name := range names {
			if p, who, ok := presetForMX(name); ok {
				c := presetCandidate(p, SourceMX, i18n.T("discover.from.mx", "your domain's mail is handled by {{.Who}} (MX)", map[string]any{"Who": who}), where)
				return &c, nil
			}
		}
		// Ask the ISPDB for each name, the most specific first.
		var ls []lookup
		for _, name := range names {
			u := d.opts.ISPDB + name
			ls = append(ls, lookup{SourceISPDB, u, d.opts.SourceTimeout, func(ctx context.Context) (*Candidate, error) {
				cfg, final, err := d.fetchConfig(ctx, u, address)
				if err != nil {
					return nil, err
				}
				who := cfg.DisplayName
				if who == "" {
					who = name
				}
				c := configCandidate(cfg, SourceMX, i18n.T("discover.from.mx", "your domain's mail is handled by {{.Who}} (MX)", map[string]any{"Who": who}), "")
				c.servedBy(u, final)
				c.Where = where + " → " + c.Where
				return &c, nil
			}})
		}
		found, attempts := d.race(ctx, ls)
		for _, c := range found {
			if c.good() {
				return &c, nil
			}
		}
		var why []string
		for _, a := range attempts {
			why = append(why, a.Where+": "+a.Reason)
		}
		if len(found) > 0 {
			return &found[0], nil
		}
		for _, a := range attempts {
			if a.Outcome == NotUsable {
				return nil, fmt.Errorf("%s; %s", where, strings.Join(why, "; "))
			}
		}
		return nil, nothing("%s, not a provider Stamp or the ISP database knows (%s)", where, strings.Join(why, "; "))
	}
}

// presetForMX finds the preset for a mail host's domain.
func presetForMX(name string) (account.Preset, string, bool) {
	if m, ok := mxHosts[name]; ok {
		if p, ok := account.PresetByName(m.preset); ok {
			return p, m.name, true
		}
	}
	if p, err := account.Lookup("postmaster@" + name); err == nil && !p.Guess {
		return p, p.Provider, true
	}
	return account.Preset{}, "", false
}

// srvLookup reads the RFC 6186 submission records: _submissions._tcp
// (implicit TLS, preferred by RFC 8314 §5.1) and _submission._tcp
// (STARTTLS).
func (d *Discoverer) srvLookup(dom string) func(context.Context) (*Candidate, error) {
	return func(ctx context.Context) (*Candidate, error) {
		type answer struct {
			srvs []*net.SRV
			err  error
		}
		services := []struct {
			name string
			sec  account.Security
		}{{"submissions", account.SecurityTLS}, {"submission", account.SecuritySTARTTLS}}
		answers := make([]chan answer, len(services))
		for i, s := range services {
			answers[i] = make(chan answer, 1)
			go func(name string, ch chan answer) {
				_, srvs, err := d.opts.Resolver.LookupSRV(ctx, name, "tcp", dom)
				ch <- answer{srvs, err}
			}(s.name, answers[i])
		}
		c := &Candidate{Source: SourceSRV, From: i18n.T("discover.from.srv", "from your domain's SRV records (RFC 6186)"), Where: "SRV " + dom}
		var errs []error
		for i, s := range services {
			a := <-answers[i]
			var dnsErr *net.DNSError
			if a.err != nil && len(a.srvs) == 0 {
				if !(errors.As(a.err, &dnsErr) && dnsErr.IsNotFound) {
					errs = append(errs, fmt.Errorf("_%s._tcp: %w", s.name, a.err))
				}
				continue
			}
			for _, r := range a.srvs {
				host := strings.TrimSuffix(strings.ToLower(r.Target), ".")
				if host == "" {
					continue // RFC 6186 §3: "." means the service is not offered
				}
				srv := Server{Host: host, Port: int(r.Port), Security: s.sec, Auth: account.AuthAuto}
				if r.Port == 0 {
					srv.NotUsable = "port 0 is not a TCP port"
				} else if !validHost(host) {
					srv.NotUsable = fmt.Sprintf("%q is not a host name", clip(host))
				}
				if len(c.Servers) < MaxOutgoingServers {
					c.Servers = append(c.Servers, srv)
				}
			}
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if len(c.Servers) == 0 {
			if len(errs) > 0 {
				return nil, errorList(errs) // keeps the DNS errors for isTimeout
			}
			return nil, nothing("no submission SRV records for %s", dom)
		}
		if !c.good() {
			var why []string
			for _, s := range c.Servers {
				why = append(why, fmt.Sprintf("%s:%d: %s", s.Host, s.Port, s.NotUsable))
			}
			return nil, fmt.Errorf("no usable server in the SRV records: %s", strings.Join(why, "; "))
		}
		return c, nil
	}
}

// guesses connect to smtp.DOMAIN and mail.DOMAIN on 465 and 587, in that
// order of preference: EHLO only, never AUTH.
func (d *Discoverer) guesses(dom string) []lookup {
	var ls []lookup
	for _, prefix := range []string{"smtp.", "mail."} {
		for _, e := range []account.Endpoint{
			{Host: prefix + dom, Port: 465, Security: account.SecurityTLS},
			{Host: prefix + dom, Port: 587, Security: account.SecuritySTARTTLS},
		} {
			ls = append(ls, lookup{SourceGuess, e.String(), d.opts.GuessTimeout, d.guessLookup(e, dom)})
		}
	}
	return ls
}

func (d *Discoverer) guessLookup(e account.Endpoint, dom string) func(context.Context) (*Candidate, error) {
	return func(ctx context.Context) (*Candidate, error) {
		cfg := smtpclient.Config{
			Host: e.Host, Port: e.Port, CAPEM: d.opts.CAPEM, Dialer: d.opts.Dial,
			Timeout: d.opts.GuessTimeout, HeloName: d.opts.HeloName,
		}
		if e.Security == account.SecuritySTARTTLS {
			cfg.Security = smtpclient.SecuritySTARTTLS
		}
		// No Username: Probe never sends AUTH.
		if _, err := smtpclient.Probe(ctx, cfg, d.guessEvents); err != nil {
			var se *smtpclient.Error
			if errors.As(err, &se) {
				var dnsErr *net.DNSError
				switch {
				case errors.As(se, &dnsErr) && dnsErr.IsNotFound:
					return nil, nothing("%s does not exist", e.Host)
				case errors.Is(se, syscall.ECONNREFUSED):
					return nil, nothing("nothing listens on %s:%d", e.Host, e.Port)
				case se.Kind == smtpclient.ErrorTLS:
					return nil, fmt.Errorf("%s:%d answered, but its TLS is not trustworthy: %s", e.Host, e.Port, se.Message)
				}
				return nil, fmt.Errorf("%s: %s", se.Summary(), se.Message)
			}
			return nil, err
		}
		c := &Candidate{
			Source:   SourceGuess,
			From:     i18n.T("discover.from.guess", "a guess that answered on port {{.Port}}", map[string]any{"Port": e.Port}),
			Where:    e.String(),
			Provider: dom,
			Guess:    true,
			Servers:  []Server{{Host: e.Host, Port: e.Port, Security: e.Security, Auth: account.AuthAuto}},
		}
		return c, nil
	}
}
