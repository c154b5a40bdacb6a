package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// A provider whose discovery documents answer 503 (maintenance) is
// unavailable for the moment; one that answers 404 is not.
func TestDiscoveryOfAProviderDownForAMomentIsTemporary(t *testing.T) {
	for _, c := range []struct {
		status    int
		temporary bool
	}{{503, true}, {429, true}, {408, true}, {500, true}, {404, false}, {403, false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", c.status)
		}))
		_, err := Discover(context.Background(), srv.Client(), srv.URL)
		srv.Close()
		if err == nil {
			t.Fatalf("HTTP %d: no error", c.status)
		}
		if got := errors.Is(err, ErrProviderUnavailable); got != c.temporary {
			t.Errorf("HTTP %d: errors.Is(ErrProviderUnavailable) = %v, want %v (%v)", c.status, got, c.temporary, err)
		}
	}
}

// The token endpoint's 429/503 and the OAuth error temporarily_unavailable
// are temporary; invalid_grant stays "sign in again", whatever the status.
func TestTokenEndpointTemporaryAnswers(t *testing.T) {
	answer := func(status int, code string) error {
		return tokenError("refresh the sign-in", &oauth2.RetrieveError{
			Response: &http.Response{StatusCode: status}, ErrorCode: code}, "secret-refresh-token")
	}
	for _, c := range []struct {
		status int
		code   string
		want   error
	}{
		{503, "", ErrProviderUnavailable},
		{429, "", ErrProviderUnavailable},
		{400, "temporarily_unavailable", ErrProviderUnavailable},
		{503, "temporarily_unavailable", ErrProviderUnavailable},
		{400, "invalid_grant", ErrSignInAgain},
		{400, "invalid_request", nil},
		{401, "", nil},
	} {
		err := answer(c.status, c.code)
		var pe *ProviderError
		if !errors.As(err, &pe) {
			t.Fatalf("%d %q: %T %v, not a ProviderError", c.status, c.code, err, err)
		}
		if c.want == nil && (errors.Is(err, ErrProviderUnavailable) || errors.Is(err, ErrSignInAgain)) || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%d %q: %v, want %v", c.status, c.code, err, c.want)
		}
		if strings.Contains(err.Error(), "secret-refresh-token") {
			t.Errorf("the secret reached the text: %v", err)
		}
	}
}
