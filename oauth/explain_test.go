package oauth_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"stamp/oauth"
)

func TestExplainSignInSaysTheLikelyCauseInWords(t *testing.T) {
	invalidGrant := fmt.Errorf("refresh the sign-in: %w", &oauth.ProviderError{Code: "invalid_grant", Err: oauth.ErrSignInAgain})
	consent := fmt.Errorf("sign in: %w", &oauth.ProviderError{Code: "consent_required",
		Description: "AADSTS65001: The user or administrator has not consented", Err: oauth.ErrAdminApproval})
	for _, tc := range []struct {
		name    string
		kind    oauth.Kind
		err     error
		want    string
		again   bool
		unknown bool
	}{
		{"a Google app in testing status ends sign-ins after 7 days", oauth.Google,
			&oauth.SignInAgainError{Provider: oauth.Google, Err: invalidGrant}, "7 days", true, false},
		{"Microsoft's admin consent", oauth.Microsoft, consent, "grant admin consent", true, false},
		{"Microsoft's expired sign-in", oauth.Microsoft, invalidGrant, "90 days", true, false},
		{"the browser never came back", oauth.Microsoft, oauth.ErrTimedOut, "127.0.0.1", false, false},
		{"cancelled", oauth.Google, oauth.ErrCancelled, "cancelled", false, false},
		{"no client ID says how to get one", oauth.Google, &oauth.NoClientIDError{Kind: oauth.Google}, "Google Cloud console", false, false},
		{"a network error is its own words", oauth.Google, errors.New("dial tcp: connection refused"), "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, ok := oauth.ExplainSignIn(tc.kind, tc.err)
			if ok == tc.unknown {
				t.Fatalf("explained = %v", ok)
			}
			if !strings.Contains(x.Cause+" "+x.Fix, tc.want) || x.SignInAgain != tc.again {
				t.Fatalf("ExplainSignIn = %+v; want %q, sign in again %v", x, tc.want, tc.again)
			}
		})
	}
}
