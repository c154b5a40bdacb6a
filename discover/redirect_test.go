package discover

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// The domain's autoconfig server redirects to another host and copies
// the address into the new URL: the address is taken out of the query
// before the request leaves, and the file is shown as served by that host.
func TestCrossHostRedirectLosesTheAddress(t *testing.T) {
	e := newEnv(t)
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.test/shared/config.xml?domain=example.test&emailaddress="+r.URL.Query().Get("emailaddress"), http.StatusFound)
	})
	e.File("elsewhere.test", "/shared/config.xml", conf("smtp.example.test", "465", "SSL"))
	r, err := New(e.options()).Discover(context.Background(), "secret.person@example.test")
	if err != nil {
		t.Fatal(err)
	}
	var seen bool
	for _, u := range e.Requests() {
		if strings.HasPrefix(u, "https://elsewhere.test/") {
			seen = true
			if strings.Contains(u, "secret.person") {
				t.Errorf("the address went to another host: %s", u)
			}
			if !strings.Contains(u, "domain=example.test") {
				t.Errorf("the other query parameters were lost: %s", u)
			}
		}
	}
	if !seen {
		t.Fatalf("the redirect was not followed: %q\n%s", e.Requests(), attemptsText(r))
	}
	c, _, ok := r.Chosen()
	if !ok || c.Redirected != "elsewhere.test" || !strings.HasPrefix(c.Where, "https://elsewhere.test/") {
		t.Errorf("chosen %v: redirected %q, where %q", ok, c.Redirected, c.Where)
	}
}

// A redirect within the domain's own host keeps the query (the server
// asked of is the one that gets it) and raises no warning.
func TestSameHostRedirectIsTheDomainsOwn(t *testing.T) {
	e := newEnv(t)
	e.Handle("autoconfig.example.test", "/mail/config-v1.1.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/v2/config.xml", http.StatusFound)
	})
	e.File("autoconfig.example.test", "/v2/config.xml", conf("smtp.example.test", "465", "SSL"))
	r, err := New(e.options()).Discover(context.Background(), "me@example.test")
	if err != nil {
		t.Fatal(err)
	}
	c, _, ok := r.Chosen()
	if !ok || c.Source != SourceAutoconfig || len(c.Warnings()) != 0 || !strings.HasPrefix(c.Where, "https://autoconfig.example.test/v2/config.xml") {
		t.Errorf("chosen %v from %s (%s), warnings %q:\n%s", ok, c.Source, c.Where, c.Warnings(), attemptsText(r))
	}
}
