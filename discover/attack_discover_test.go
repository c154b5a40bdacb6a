package discover

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Adversarial review of issue 16 (ATTACK-discover.md). Each test failed on
// the code as reviewed; since the fixes they run always, as regression
// tests.

// redirectAway makes the domain's autoconfig server redirect to a
// settings file on another host, and records the Referer that host gets.
func redirectAway(e *env, body []byte) (referer func() string) {
	var mu sync.Mutex
	var got string
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.test/shared/config.xml", http.StatusFound)
	})
	e.Handle("elsewhere.test", "/shared/config.xml", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Get("Referer")
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		w.Write(body)
	})
	return func() string { mu.Lock(); defer mu.Unlock(); return got }
}

// Finding 1: following an HTTPS redirect of the autoconfig file, Go's
// http.Client sends a Referer header holding the first URL, and with it
// ?emailaddress=<the address>, to the redirect target on another host.
// Promise: "the address only to the domain's own autoconfig server".
func TestAttackAutoconfigRedirectLeaksTheAddressInReferer(t *testing.T) {
	e := newEnv(t)
	referer := redirectAway(e, conf("smtp.example.test", "465", "SSL"))
	if _, err := New(e.options()).Discover(context.Background(), "secret.person@example.test"); err != nil {
		t.Fatal(err)
	}
	for _, u := range e.Requests() {
		if strings.HasPrefix(u, "https://elsewhere.test/") && strings.Contains(u, "secret.person") {
			t.Errorf("the address went to another host in the URL: %s", u)
		}
	}
	if ref := referer(); strings.Contains(ref, "secret.person") {
		t.Errorf("the address went to elsewhere.test (not the domain's autoconfig server) in the Referer header: %q", ref)
	}
}

// Finding 2: a settings file served by another host (after a redirect) is
// presented as "from your provider's own settings file
// (autoconfig.example.test)", Where the first URL, with no warning: the
// result claims a source it did not come from.
func TestAttackRedirectedFileClaimsToBeTheDomainsOwn(t *testing.T) {
	e := newEnv(t)
	redirectAway(e, conf("smtp.example.test", "465", "SSL"))
	r, err := New(e.options()).Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	c, s, ok := r.Chosen()
	if !ok {
		t.Fatalf("nothing chosen:\n%s", attemptsText(r))
	}
	said := c.From + " " + c.Where + " " + strings.Join(c.Warnings(), " ")
	if !strings.Contains(said, "elsewhere.test") {
		t.Errorf("settings for %s fetched from https://elsewhere.test/ are shown as %q (where %q), warnings %q: nothing says they came from another host",
			s, c.From, c.Where, c.Warnings())
	}
}

// Finding 3: the cache keeps hostnames expanded for the FIRST address:
// forAddress re-expands the username but not the hostname (nor Where), so
// a second address of the same domain gets the first person's server
// (and sees their address in "From:").
func TestAttackCacheServesTheFirstAddressesHostnameToTheNext(t *testing.T) {
	e := newEnv(t)
	e.File("autoconfig.example.test", "/mail/config-v1.1.xml",
		doc(out("%EMAILLOCALPART%.smtp.example.test", "465", "SSL", "<username>%EMAILADDRESS%</username>")))
	d := New(e.options())
	if _, err := d.Discover(context.Background(), "alice@example.test"); err != nil {
		t.Fatal(err)
	}
	r, err := d.Discover(context.Background(), "bob@example.test")
	if err != nil {
		t.Fatal(err)
	}
	c, s, ok := r.Chosen()
	if !ok {
		t.Fatalf("nothing chosen:\n%s", attemptsText(r))
	}
	if s.Host != "bob.smtp.example.test" {
		t.Errorf("bob@example.test got server %q (expanded for alice), username %q", s.Host, s.Username)
	}
	if strings.Contains(c.Where, "alice") {
		t.Errorf("bob's result says it came from %q (alice's address)", c.Where)
	}
}

// Finding 4: %EMAILDOMAIN% in a hostname is expanded with the address's
// domain as typed (Unicode), not the A-label the lookups used, so an IDN
// domain's own file ("smtp.%EMAILDOMAIN%") becomes "not a host name".
func TestAttackIDNDomainPlaceholderHostIsRefused(t *testing.T) {
	e := newEnv(t)
	e.File("xn--bcher-kva.example.test", "/.well-known/autoconfig/mail/config-v1.1.xml", conf("smtp.%EMAILDOMAIN%", "465", "SSL"))
	r, err := New(e.options()).Discover(context.Background(), "me@bücher.example.test")
	if err != nil {
		t.Fatal(err)
	}
	c, s, ok := r.Chosen()
	if !ok || s.Host != "smtp.xn--bcher-kva.example.test" || c.Source != SourceAutoconfig {
		t.Errorf("chose %v %q, want smtp.xn--bcher-kva.example.test from the domain's file:\n%s", ok, s.Host, attemptsText(r))
	}
}

// Finding 5: an ISPDB base URL over plain HTTP (--ispdb http://…) is used
// as if it were verified: no Unverified mark, no warning, so `account add`
// saves it without --accept-warnings. Promise: plain-HTTP answers only
// with their result marked unverified.
func TestAttackPlainHTTPISPDBIsNotMarkedUnverified(t *testing.T) {
	e := newEnv(t)
	e.File("ispdb.test", "/v1.1/example.test", conf("smtp.example.test", "465", "SSL"))
	o := e.options()
	o.ISPDB = "http://ispdb.test/v1.1/"
	r, err := New(o).Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	c, _, ok := r.Chosen()
	if !ok {
		t.Fatalf("nothing chosen:\n%s", attemptsText(r))
	}
	if !c.Unverified || len(c.Warnings()) == 0 {
		t.Errorf("settings fetched over plain HTTP (%s): unverified=%v warnings=%q", c.Where, c.Unverified, c.Warnings())
	}
}

// Finding 6: a top-priority source that never answers (an autoconfig host
// that accepts the connection and then says nothing) holds the result for
// the whole per-source limit even though the ISPDB answered at once.
// Promise: "one source that never answers, discovery must settle in well
// under a second" — the benchmark only silences the lowest source (SRV).
func TestAttackSilentAutoconfigHoldsTheResult(t *testing.T) {
	e := newEnv(t)
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	})
	e.File("ispdb.test", "/v1.1/example.test", conf("smtp.example.test", "465", "SSL"))
	o := e.options()
	o.SourceTimeout = 3 * time.Second // DefaultSourceTimeout is 8 s: the same, longer
	start := time.Now()
	r, err := New(o).Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if _, s, ok := r.Chosen(); !ok || s.Host != "smtp.example.test" {
		t.Fatalf("chose %v %v:\n%s", ok, s, attemptsText(r))
	}
	if took > time.Second {
		t.Errorf("the ISPDB answered at once but discovery settled after %s (waiting on the silent autoconfig):\n%s", took.Round(time.Millisecond), attemptsText(r))
	}
}

// Finding 8: Candidate.Warnings skips every server on a host it has seen,
// so a plain (no TLS) server on the same host as an earlier TLS one gets
// no "no encryption" warning whenever the candidate has any other warning
// (another domain, a guess, unverified). The window's Save question and
// `stamp-send account discover` then list no word about encryption for
// the plain alternative the person picked.
func TestAttackPlainServerWarningHiddenBehindTheSameHost(t *testing.T) {
	e := newEnv(t)
	e.File("autoconfig.example.test", "/mail/config-v1.1.xml", doc(
		out("smtp.elsewhere.test", "465", "SSL")+out("smtp.elsewhere.test", "25", "plain")))
	r, err := New(e.options()).Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	c, _, ok := r.Chosen()
	if !ok || len(c.Servers) != 2 || !c.Servers[1].Plain {
		t.Fatalf("want the two servers, the second plain: %+v\n%s", c.Servers, attemptsText(r))
	}
	w := strings.Join(c.Warnings(), "\n")
	if !strings.Contains(w, ":25") {
		t.Errorf("smtp.elsewhere.test:25 has no TLS but the warnings do not say so:\n%s", w)
	}
}
