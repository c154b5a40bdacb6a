package oauth_test

import (
	"strings"
	"testing"

	"stamp/oauth"
)

// FuzzParseMetadata: a discovery document from a server Stamp does not
// control never panics, and what is accepted is for the issuer asked and
// names only https (or loopback http) endpoints.
func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte(`{"issuer":"https://id.example","authorization_endpoint":"https://id.example/auth","token_endpoint":"https://id.example/token","code_challenge_methods_supported":["S256"]}`), "https://id.example")
	f.Fuzz(func(t *testing.T, data []byte, issuer string) {
		m, err := oauth.ParseMetadata(data, issuer)
		if err != nil {
			return
		}
		if strings.TrimSuffix(m.Issuer, "/") != strings.TrimSuffix(issuer, "/") {
			t.Fatalf("accepted a document for %q when asked for %q", m.Issuer, issuer)
		}
		for _, u := range []string{m.AuthorizationEndpoint, m.TokenEndpoint} {
			if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
				t.Fatalf("accepted the endpoint %q", u)
			}
		}
	})
}
