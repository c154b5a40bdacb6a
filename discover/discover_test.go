package discover

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"stamp/account"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

func discover(t *testing.T, e *env, o Options, address string) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := New(o).Discover(ctx, address)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// chosen returns the proposal and fails the test when there is none.
func chosen(t *testing.T, r *Result) (Candidate, Server) {
	t.Helper()
	c, s, ok := r.Chosen()
	if !ok {
		t.Fatalf("nothing chosen; attempts:\n%s", attemptsText(r))
	}
	return c, s
}

func attemptsText(r *Result) string {
	var b strings.Builder
	for _, a := range r.Attempts {
		b.WriteString("  " + a.Source.String() + " " + a.Where + ": " + string(a.Outcome) + " " + a.Reason + "\n")
	}
	return b.String()
}

func attempt(t *testing.T, r *Result, where string) Attempt {
	t.Helper()
	for _, a := range r.Attempts {
		if strings.Contains(a.Where, where) {
			return a
		}
	}
	t.Fatalf("no attempt at %q; attempts:\n%s", where, attemptsText(r))
	return Attempt{}
}

// conf is a one-server config file for host:port with socket type st.
func conf(host, port, st string) []byte {
	return doc(out(host, port, st, "<username>%EMAILADDRESS%</username>"))
}

func TestPresetIsInstantAndOffline(t *testing.T) {
	e := newEnv(t)
	r := discover(t, e, e.options(), "Ann@Gmail.com")
	c, s := chosen(t, r)
	if c.Source != SourcePreset || c.Provider != "Gmail" || s.Host != "smtp.gmail.com" || s.Port != 465 {
		t.Fatalf("got %+v %+v", c, s)
	}
	if len(e.Requests()) != 0 || e.DNSQueries() != 0 || len(e.Dials()) != 0 {
		t.Fatalf("a preset went to the network: web %v, dns %d, dials %v", e.Requests(), e.DNSQueries(), e.Dials())
	}
}

func TestEachSourceWinsAlone(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(e *env)
		address  string
		source   Source
		from     string
		host     string
		port     int
		sec      account.Security
		provider string
		other    bool
	}{
		{
			name: "the domain's autoconfig server",
			setup: func(e *env) {
				e.File("autoconfig.example.test", "/mail/config-v1.1.xml", conf("smtp.example.test", "587", "STARTTLS"))
			},
			address: "me@example.test", source: SourceAutoconfig, from: "from your provider's own settings file (autoconfig.example.test)",
			host: "smtp.example.test", port: 587, sec: account.SecuritySTARTTLS, provider: "Example",
		},
		{
			name: "the domain's well-known file",
			setup: func(e *env) {
				e.File("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml", conf("submit.example.test", "465", "SSL"))
			},
			address: "me@example.test", source: SourceAutoconfig, from: "from your provider's own settings file (example.test/.well-known)",
			host: "submit.example.test", port: 465, sec: account.SecurityTLS, provider: "Example",
		},
		{
			name:    "the ISP database",
			setup:   func(e *env) { e.File("ispdb.test", "/v1.1/example.test", fixture(t, "gransy.com.xml")) },
			address: "me@example.test", source: SourceISPDB, from: "from the Thunderbird ISP database",
			host: "smtp.gransy.com", port: 465, sec: account.SecurityTLS, provider: "G-Hosting.cz a Station.cz", other: true,
		},
		{
			name: "MX at Google means Gmail's settings",
			setup: func(e *env) {
				e.MX("corp.test", 1, "aspmx.l.google.com")
				e.MX("corp.test", 5, "alt1.aspmx.l.google.com")
			},
			address: "me@corp.test", source: SourceMX, from: "your domain's mail is handled by Google (MX)",
			host: "smtp.gmail.com", port: 465, sec: account.SecurityTLS, provider: "Gmail", other: true,
		},
		{
			name:    "MX at Exchange Online means Microsoft 365",
			setup:   func(e *env) { e.MX("corp.test", 0, "corp-test.mail.protection.outlook.com") },
			address: "me@corp.test", source: SourceMX, from: "your domain's mail is handled by Microsoft 365 (MX)",
			host: "smtp.office365.com", port: 587, sec: account.SecuritySTARTTLS, provider: "Microsoft 365", other: true,
		},
		{
			name: "MX at a hoster the ISP database knows",
			setup: func(e *env) {
				e.MX("corp.test", 10, "mx02.in.hoster.test")
				e.MX("corp.test", 5, "mx01.in.hoster.test")
				e.File("ispdb.test", "/v1.1/hoster.test", fixture(t, "gmx.net.xml"))
			},
			address: "me@corp.test", source: SourceMX, from: "your domain's mail is handled by GMX Freemail (MX)",
			host: "mail.gmx.net", port: 465, sec: account.SecurityTLS, provider: "GMX Freemail", other: true,
		},
		{
			name: "SRV records, implicit TLS preferred",
			setup: func(e *env) {
				e.SRV("submission", "example.test", 587, "mail.example.test")
				e.SRV("submissions", "example.test", 465, "mail.example.test")
			},
			address: "me@example.test", source: SourceSRV, from: "from your domain's SRV records (RFC 6186)",
			host: "mail.example.test", port: 465, sec: account.SecurityTLS,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.setup(e)
			r := discover(t, e, e.options(), tt.address)
			c, s := chosen(t, r)
			if c.Source != tt.source || c.From != tt.from || c.Provider != tt.provider {
				t.Errorf("source %v %q provider %q, want %v %q %q", c.Source, c.From, c.Provider, tt.source, tt.from, tt.provider)
			}
			if s.Host != tt.host || s.Port != tt.port || s.Security != tt.sec || s.OtherDomain != tt.other {
				t.Errorf("server %+v, want %s:%d %s other-domain %v", s, tt.host, tt.port, tt.sec, tt.other)
			}
			if a, ok := c.Account(tt.address); !ok || a.Host != tt.host || a.Port != tt.port || a.Address != tt.address {
				t.Errorf("account %+v", a)
			}
			t.Logf("attempts:\n%s", attemptsText(r))
		})
	}
}

func TestGuessAnswersOnlyWhenNothingElseDoes(t *testing.T) {
	e := newEnv(t)
	sb := e.SMTPServer("mail.example.test", 587, sandbox.Options{Security: sandbox.STARTTLS, Username: "me@example.test", Password: "stamp-test-secret-discover"})
	r := discover(t, e, e.options(sb.CAPEM()), "me@example.test")
	c, s := chosen(t, r)
	if c.Source != SourceGuess || !c.Guess || c.From != "a guess that answered on port 587" {
		t.Fatalf("got %+v", c)
	}
	if s.Host != "mail.example.test" || s.Port != 587 || s.Security != account.SecuritySTARTTLS {
		t.Fatalf("server %+v", s)
	}
	if len(c.Warnings()) == 0 || !strings.Contains(c.Warnings()[0], "guess") {
		t.Errorf("warnings %q", c.Warnings())
	}
	if a := attempt(t, r, "smtp.example.test:465"); a.Outcome != NothingThere || !strings.Contains(a.Reason, "nothing listens") {
		t.Errorf("smtp.example.test:465: %+v", a)
	}
	if len(sb.Messages()) != 0 {
		t.Error("the guess sent a message")
	}
}

func TestGuessNeverLogsIn(t *testing.T) {
	e := newEnv(t)
	tlsSrv := e.SMTPServer("smtp.example.test", 465, sandbox.Options{Security: sandbox.TLS, Username: "me@example.test", Password: "stamp-test-secret-discover"})
	stSrv := e.SMTPServer("mail.example.test", 587, sandbox.Options{Security: sandbox.STARTTLS, Username: "me@example.test", Password: "stamp-test-secret-discover"})
	d := New(e.options(tlsSrv.CAPEM(), stSrv.CAPEM()))
	var mu sync.Mutex
	var sent []string
	d.guessEvents = func(ev smtpclient.Event) {
		if ev.Kind == smtpclient.EventLine && ev.Direction == smtpclient.Client {
			mu.Lock()
			sent = append(sent, ev.Text)
			mu.Unlock()
		}
	}
	d.opts.All = true // let every guess run to the end
	r, err := d.Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	chosen(t, r)
	mu.Lock()
	defer mu.Unlock()
	if len(sent) == 0 {
		t.Fatal("saw no client lines")
	}
	for _, l := range sent {
		verb := strings.ToUpper(strings.Fields(l + " x")[0])
		if verb != "EHLO" && verb != "STARTTLS" && verb != "QUIT" {
			t.Errorf("the guess sent %q", l)
		}
	}
}

func TestGuessPrefersSMTPOn465(t *testing.T) {
	e := newEnv(t)
	a := e.SMTPServer("smtp.example.test", 465, sandbox.Options{Security: sandbox.TLS})
	b := e.SMTPServer("smtp.example.test", 587, sandbox.Options{Security: sandbox.STARTTLS})
	r := discover(t, e, e.options(a.CAPEM(), b.CAPEM()), "me@example.test")
	c, s := chosen(t, r)
	if c.From != "a guess that answered on port 465" || s.Port != 465 || s.Security != account.SecurityTLS {
		t.Fatalf("got %+v %+v", c, s)
	}
}

func TestGuessWithUntrustedCertificateIsNotUsable(t *testing.T) {
	e := newEnv(t)
	e.SMTPServer("smtp.example.test", 465, sandbox.Options{Security: sandbox.TLS})
	r := discover(t, e, e.options(), "me@example.test") // the sandbox's CA not trusted
	if _, _, ok := r.Chosen(); ok {
		t.Fatalf("chose a server with an untrusted certificate:\n%s", attemptsText(r))
	}
	if a := attempt(t, r, "smtp.example.test:465"); a.Outcome != NotUsable || !strings.Contains(a.Reason, "TLS is not trustworthy") {
		t.Fatalf("%+v", a)
	}
}

func TestNothingAnywhere(t *testing.T) {
	e := newEnv(t)
	r := discover(t, e, e.options(), "me@quiet.test")
	if _, _, ok := r.Chosen(); ok || len(r.Candidates) != 0 {
		t.Fatalf("found %+v", r.Candidates)
	}
	for _, a := range r.Attempts {
		if a.Outcome != NothingThere {
			t.Errorf("%s: %s %s", a.Where, a.Outcome, a.Reason)
		}
	}
	if len(r.Attempts) != 5+4 {
		t.Errorf("%d attempts:\n%s", len(r.Attempts), attemptsText(r))
	}
}

// everything publishes a different server in each source.
func everything(t *testing.T, e *env) {
	e.File("autoconfig.example.test", "/mail/config-v1.1.xml", conf("auto.example.test", "465", "SSL"))
	e.File("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml", conf("wellknown.example.test", "465", "SSL"))
	e.File("ispdb.test", "/v1.1/example.test", conf("ispdb.example.test", "465", "SSL"))
	e.MX("example.test", 10, "mx.hoster.test")
	e.File("ispdb.test", "/v1.1/hoster.test", conf("smtp.hoster.test", "465", "SSL"))
	e.SRV("submissions", "example.test", 465, "srv.example.test")
}

func TestPriorityOrder(t *testing.T) {
	removals := []struct {
		remove func(e *env)
		host   string
	}{
		{func(e *env) {}, "auto.example.test"},
		{func(e *env) { e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", http.NotFound) }, "wellknown.example.test"},
		{func(e *env) { e.Handle("example.test", "/.well-known/autoconfig/mail/config-v1.1.xml", http.NotFound) }, "ispdb.example.test"},
		{func(e *env) { e.Handle("ispdb.test", "/v1.1/example.test", http.NotFound) }, "smtp.hoster.test"},
		{func(e *env) { e.Handle("ispdb.test", "/v1.1/hoster.test", http.NotFound) }, "srv.example.test"},
	}
	e := newEnv(t)
	everything(t, e)
	for _, step := range removals {
		step.remove(e)
		r := discover(t, e, e.options(), "me@example.test")
		if _, s := chosen(t, r); s.Host != step.host {
			t.Fatalf("chose %s, want %s; attempts:\n%s", s.Host, step.host, attemptsText(r))
		}
	}
}

func TestSlowHigherSourceStillWins(t *testing.T) {
	e := newEnv(t)
	everything(t, e)
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond) // every other source has answered by now
		w.Write(conf("auto.example.test", "465", "SSL"))
	})
	r := discover(t, e, e.options(), "me@example.test")
	if c, s := chosen(t, r); s.Host != "auto.example.test" || c.Source != SourceAutoconfig {
		t.Fatalf("chose %s from %v", s.Host, c.Source)
	}
}

func TestWinnerCancelsASourceThatNeverAnswers(t *testing.T) {
	e := newEnv(t)
	e.File("autoconfig.example.test", "/mail/config-v1.1.xml", conf("auto.example.test", "465", "SSL"))
	e.Silence("_submissions._tcp.example.test")
	e.Silence("_submission._tcp.example.test")
	o := e.options()
	o.SourceTimeout = 20 * time.Second
	start := time.Now()
	r := discover(t, e, o, "me@example.test")
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("took %v: the silent SRV lookup was not cancelled", took)
	}
	if a := attempt(t, r, "SRV"); a.Outcome != Cancelled {
		t.Fatalf("SRV attempt %+v", a)
	}
	if _, s := chosen(t, r); s.Host != "auto.example.test" {
		t.Fatalf("chose %s", s.Host)
	}
}

func TestSourceThatNeverAnswersTimesOut(t *testing.T) {
	e := newEnv(t)
	e.Silence("_submissions._tcp.example.test")
	e.Silence("_submission._tcp.example.test")
	e.SRV("submissions", "corp.test", 465, "smtp.corp.test") // not asked
	o := e.options()
	o.SourceTimeout = 500 * time.Millisecond
	r := discover(t, e, o, "me@example.test")
	if a := attempt(t, r, "SRV"); a.Outcome != NotUsable || !strings.Contains(a.Reason, "no answer within 500ms") {
		t.Fatalf("SRV attempt %+v", a)
	}
}

func TestHostileAnswers(t *testing.T) {
	big := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		chunk := []byte(strings.Repeat("<domain>x.test</domain>", 1000))
		for sent := 0; sent < 10<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		reason  string
	}{
		{"garbage XML", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("\x00\x01<<not xml")) }, "broken XML"},
		{"an HTML page", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html><body>Parked domain</body></html>"))
		}, "root element is <html>"},
		{"10 MB response without a length", big, "larger than the 1048576 bytes allowed"},
		{"10 MB response with its length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "10485760")
			big(w, r)
		}, "10485760 bytes, more than"},
		{"endless redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"?again="+r.URL.Query().Get("again")+"x", http.StatusFound)
		}, "more than 3 redirects"},
		{"redirect to plain HTTP", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://"+r.Host+r.URL.Path, http.StatusMovedPermanently)
		}, "redirected from HTTPS to http, refused"},
		{"port 0", func(w http.ResponseWriter, r *http.Request) { w.Write(conf("smtp.example.test", "0", "SSL")) }, `port "0" is not a TCP port`},
		{"port 99999", func(w http.ResponseWriter, r *http.Request) { w.Write(conf("smtp.example.test", "99999", "SSL")) }, `port "99999" is not a TCP port`},
		{"server error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", 500) }, "HTTP 500"},
	}
	// Each hostile answer, from each source that reads files: the next
	// source must win.
	targets := []struct {
		name, host, path, where string
		next                    func(e *env)
		nextHost                string
	}{
		{"autoconfig", "autoconfig.example.test", "/mail/config-v1.1.xml", "autoconfig.example.test",
			func(e *env) { e.File("ispdb.test", "/v1.1/example.test", conf("ispdb.example.test", "465", "SSL")) }, "ispdb.example.test"},
		{"ISPDB", "ispdb.test", "/v1.1/example.test", "ispdb.test/v1.1/example.test",
			func(e *env) { e.MX("example.test", 1, "aspmx.l.google.com") }, "smtp.gmail.com"},
		{"ISPDB behind the MX", "ispdb.test", "/v1.1/hoster.test", "MX",
			func(e *env) {
				e.MX("example.test", 1, "mx.hoster.test")
				e.SRV("submissions", "example.test", 465, "srv.example.test")
			}, "srv.example.test"},
	}
	for _, target := range targets {
		for _, tt := range tests {
			t.Run(target.name+"/"+tt.name, func(t *testing.T) {
				e := newEnv(t)
				e.Handle(target.host, target.path, tt.handler)
				target.next(e)
				r := discover(t, e, e.options(), "me@example.test")
				if a := attempt(t, r, target.where); a.Outcome != NotUsable || !strings.Contains(a.Reason, tt.reason) {
					t.Errorf("attempt %s %q, want not usable: %q", a.Outcome, a.Reason, tt.reason)
				}
				if _, s := chosen(t, r); s.Host != target.nextHost {
					t.Errorf("chose %s, want the next source's %s", s.Host, target.nextHost)
				}
			})
		}
	}
}

func TestHostileDNS(t *testing.T) {
	t.Run("SRV with port 0 is not usable", func(t *testing.T) {
		e := newEnv(t)
		e.SRV("submissions", "example.test", 0, "smtp.example.test")
		r := discover(t, e, e.options(), "me@example.test")
		if a := attempt(t, r, "SRV"); a.Outcome != NotUsable || !strings.Contains(a.Reason, "port 0") {
			t.Fatalf("%+v", a)
		}
	})
	t.Run("SRV target . means the service is not offered", func(t *testing.T) {
		e := newEnv(t)
		e.AddRR("_submissions._tcp.example.test. 60 IN SRV 0 0 0 .")
		r := discover(t, e, e.options(), "me@example.test")
		if a := attempt(t, r, "SRV"); a.Outcome != NothingThere {
			t.Fatalf("%+v", a)
		}
	})
	t.Run("null MX", func(t *testing.T) {
		e := newEnv(t)
		e.AddRR("example.test. 60 IN MX 0 .")
		r := discover(t, e, e.options(), "me@example.test")
		if a := attempt(t, r, "MX"); a.Outcome != NothingThere || !strings.Contains(a.Reason, "receives no mail") {
			t.Fatalf("%+v", a)
		}
	})
	t.Run("MX in the domain itself adds nothing", func(t *testing.T) {
		e := newEnv(t)
		e.MX("example.test", 10, "mx.example.test")
		r := discover(t, e, e.options(), "me@example.test")
		if a := attempt(t, r, "MX"); a.Outcome != NothingThere || !strings.Contains(a.Reason, "handles its own mail") {
			t.Fatalf("%+v", a)
		}
	})
}

func TestUntrustedHTTPSIsNotUsable(t *testing.T) {
	e := newEnv(t)
	e.File("autoconfig.example.test", "/mail/config-v1.1.xml", conf("auto.example.test", "465", "SSL"))
	o := e.options()
	o.CAPEM = nil // the test CA is not trusted
	r := discover(t, e, o, "me@example.test")
	if a := attempt(t, r, "autoconfig.example.test"); a.Outcome != NotUsable || !strings.Contains(a.Reason, "certificate") {
		t.Fatalf("%+v", a)
	}
}

func TestCrossDomainWarning(t *testing.T) {
	e := newEnv(t)
	e.File("autoconfig.example.test", "/mail/config-v1.1.xml", conf("smtp.elsewhere.test", "465", "SSL"))
	r := discover(t, e, e.options(), "me@example.test")
	c, s := chosen(t, r)
	if !s.OtherDomain {
		t.Fatal("a server in another domain is not flagged")
	}
	w := strings.Join(c.Warnings(), " ")
	if !strings.Contains(w, "smtp.elsewhere.test is outside your address's domain") {
		t.Fatalf("warnings %q", w)
	}
	// A server in a subdomain of the address's domain is not "other".
	e.File("autoconfig.corp.test", "/mail/config-v1.1.xml", conf("smtp.mail.corp.test", "465", "SSL"))
	r = discover(t, e, e.options(), "me@corp.test")
	if c, s := chosen(t, r); s.OtherDomain || len(c.Warnings()) != 0 {
		t.Fatalf("%+v %q", s, c.Warnings())
	}
}

func TestAddressGoesOnlyToTheDomainsOwnServer(t *testing.T) {
	e := newEnv(t)
	e.MX("example.test", 10, "mx.hoster.test")
	o := e.options()
	o.AllowHTTP = true
	o.All = true
	discover(t, e, o, "secret.person@example.test")
	reqs := e.Requests()
	sawOwn := false
	for _, u := range reqs {
		leaks := strings.Contains(u, "secret.person")
		own := strings.HasPrefix(u, "https://autoconfig.example.test/mail/config-v1.1.xml?emailaddress=secret.person%40example.test")
		sawOwn = sawOwn || own
		if leaks && !own {
			t.Errorf("the address went to %s", u)
		}
	}
	if !sawOwn {
		t.Errorf("the domain's own server was not asked with the address: %v", reqs)
	}
	for _, want := range []string{"https://ispdb.test/v1.1/example.test", "https://ispdb.test/v1.1/hoster.test"} {
		found := false
		for _, u := range reqs {
			found = found || u == want
		}
		if !found {
			t.Errorf("no request %s in %v", want, reqs)
		}
	}
}

func TestPlainHTTPOnlyWithOptIn(t *testing.T) {
	e := newEnv(t)
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil {
			http.NotFound(w, r)
			return
		}
		w.Write(conf("smtp.example.test", "465", "SSL"))
	})
	r := discover(t, e, e.options(), "me@example.test")
	if _, _, ok := r.Chosen(); ok {
		t.Fatalf("found something without the opt-in:\n%s", attemptsText(r))
	}
	for _, u := range e.Requests() {
		if strings.HasPrefix(u, "http:") {
			t.Fatalf("asked over plain HTTP without the opt-in: %s", u)
		}
	}
	o := e.options()
	o.AllowHTTP = true
	r = discover(t, e, o, "me@example.test")
	c, s := chosen(t, r)
	if c.Source != SourceHTTP || !c.Unverified || s.Host != "smtp.example.test" {
		t.Fatalf("%+v", c)
	}
	if w := strings.Join(c.Warnings(), " "); !strings.Contains(w, "plain HTTP (unverified)") {
		t.Fatalf("warnings %q", w)
	}
}

func TestPlainServerIsNeverChosen(t *testing.T) {
	e := newEnv(t)
	e.File("autoconfig.example.test", "/mail/config-v1.1.xml", conf("smtp.example.test", "25", "plain"))
	r := discover(t, e, e.options(), "me@example.test")
	if _, s, ok := r.Chosen(); ok {
		t.Fatalf("chose %+v", s)
	}
	if len(r.Candidates) != 1 || !r.Candidates[0].Servers[0].Plain {
		t.Fatalf("the plain candidate is not listed: %+v", r.Candidates)
	}
	if w := strings.Join(r.Candidates[0].Warnings(), " "); !strings.Contains(w, "no encryption") {
		t.Fatalf("warnings %q", w)
	}
	if _, ok := r.Candidates[0].Account("me@example.test"); ok {
		t.Fatal("an account was made with a plain server")
	}
	// With a TLS answer lower down, that one is chosen.
	e.File("ispdb.test", "/v1.1/example.test", conf("ispdb.example.test", "465", "SSL"))
	r = discover(t, e, e.options(), "me@example.test")
	if _, s := chosen(t, r); s.Host != "ispdb.example.test" {
		t.Fatalf("chose %s", s.Host)
	}
}

func TestCachePerDomain(t *testing.T) {
	e := newEnv(t)
	e.File("autoconfig.example.test", "/mail/config-v1.1.xml", fixture(t, "iij4u.xml"))
	d := New(e.options())
	ctx := context.Background()
	r1, err := d.Discover(ctx, "taro@example.test")
	if err != nil {
		t.Fatal(err)
	}
	n := len(e.Requests())
	r2, err := d.Discover(ctx, "hanako@EXAMPLE.test")
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Requests()) != n || !r2.Cached || r1.Cached {
		t.Fatalf("second lookup went to the network (%d → %d requests) or cached flags %v %v", n, len(e.Requests()), r1.Cached, r2.Cached)
	}
	_, s1 := chosen(t, r1)
	_, s2 := chosen(t, r2)
	if s1.Username != "taro.example.test" || s2.Username != "hanako.example.test" {
		t.Fatalf("user names %q, %q", s1.Username, s2.Username)
	}
	d.Forget("x@example.test")
	if r3, _ := d.Discover(ctx, "taro@example.test"); r3.Cached {
		t.Fatal("Forget kept the cache")
	}
}

func TestCallerCancels(t *testing.T) {
	e := newEnv(t)
	e.Silence("example.test")
	e.Silence("_submissions._tcp.example.test")
	e.Silence("_submission._tcp.example.test")
	o := e.options()
	o.SourceTimeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := New(o).Discover(ctx, "me@example.test")
	if err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
}

func TestNotAnAddress(t *testing.T) {
	for _, a := range []string{"", "nobody", "me@", "me@localhost"} {
		if _, err := New(Options{}).Discover(context.Background(), a); err == nil {
			t.Errorf("%q: no error", a)
		}
	}
}

func TestAsPreset(t *testing.T) {
	e := newEnv(t)
	e.File("ispdb.test", "/v1.1/example.test", fixture(t, "googlemail.com.xml"))
	e.MX("corp.test", 0, "corp-test.mail.protection.outlook.com")
	r := discover(t, e, e.options(), "me@example.test")
	c, _ := chosen(t, r)
	p := c.AsPreset(r.Domain)
	if p.Provider != "Google Mail" || p.Auth != account.AuthXOAUTH2 || p.Login != account.LoginOAuth2OrAppPassword ||
		len(p.Endpoints) != 1 || p.Endpoints[0] != (account.Endpoint{Host: "smtp.gmail.com", Port: 465, Security: account.SecurityTLS}) {
		t.Errorf("from the ISPDB: %+v", p)
	}
	if a := p.Account("me@example.test"); a.Host != "smtp.gmail.com" || a.Auth != account.AuthXOAUTH2 {
		t.Errorf("account %+v", a)
	}
	r = discover(t, e, e.options(), "me@corp.test")
	c, _ = chosen(t, r)
	p = c.AsPreset(r.Domain)
	if p.Provider != "Microsoft 365" || len(p.Checklist) == 0 || p.Login != account.LoginOAuth2Only {
		t.Errorf("from the MX: %+v", p)
	}
}

func TestConcurrentCallsForOneDomainAskOnce(t *testing.T) {
	e := newEnv(t)
	body := fixture(t, "iij4u.xml")
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond) // long enough for the other calls to arrive
		w.Write(body)
	})
	d := New(e.options())
	names := []string{"a", "b", "c", "d", "e"}
	users := make([]string, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := d.Discover(context.Background(), n+"@example.test")
			if err != nil {
				t.Error(err)
				return
			}
			if _, s, ok := r.Chosen(); ok {
				users[i] = s.Username
			}
		}()
	}
	wg.Wait()
	asked := 0
	for _, u := range e.Requests() {
		if strings.HasPrefix(u, "https://autoconfig.example.test/") {
			asked++
		}
	}
	if asked != 1 {
		t.Errorf("the autoconfig server was asked %d times", asked)
	}
	for i, n := range names {
		if users[i] != n+".example.test" {
			t.Errorf("%s: user name %q", n, users[i])
		}
	}
}

func TestWaitingCallerAsksAgainWhenTheFirstGivesUp(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	calls := 0
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			<-r.Context().Done() // the first caller's request hangs until it gives up
			return
		}
		w.Write(conf("smtp.example.test", "465", "SSL"))
	})
	o := e.options()
	o.SourceTimeout = time.Minute
	d := New(o)
	first, cancel := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() {
		_, err := d.Discover(first, "a@example.test")
		firstDone <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := calls
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first call never asked")
		}
	}
	second := make(chan *Result, 1)
	go func() {
		ctx, stop := context.WithTimeout(context.Background(), 30*time.Second)
		defer stop()
		r, err := d.Discover(ctx, "b@example.test")
		if err != nil {
			t.Error(err)
		}
		second <- r
	}()
	cancel()
	if err := <-firstDone; err == nil {
		t.Fatal("the first call did not report its cancellation")
	}
	r := <-second
	if r == nil {
		t.Fatal("no result")
	}
	if _, s := chosen(t, r); s.Host != "smtp.example.test" {
		t.Fatalf("chose %s", s.Host)
	}
}
