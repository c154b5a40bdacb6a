package oauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/oauth"
	"stamp/oauth/oauthtest"
)

// provider resolves the test server as a custom provider, by discovery.
func provider(t *testing.T, srv *oauthtest.Server) *oauth.Provider {
	t.Helper()
	p, err := oauth.Resolve(context.Background(), oauth.Settings{Kind: oauth.Custom, Issuer: srv.Issuer,
		ClientID: oauthtest.ClientID, Scopes: oauthtest.Scopes}, nil)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return p
}

// waitAsync runs Wait on its own goroutine.
func waitAsync(s *oauth.SignIn, ctx context.Context) <-chan waitResult {
	ch := make(chan waitResult, 1)
	go func() {
		tok, err := s.Wait(ctx)
		ch <- waitResult{tok, err}
	}()
	return ch
}

type waitResult struct {
	tok *oauth2.Token
	err error
}

func get(t *testing.T, u string, host string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET the listener: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// signIn runs a whole browser sign-in against srv and returns the tokens.
func signIn(t *testing.T, srv *oauthtest.Server, p *oauth.Provider) *oauth2.Token {
	t.Helper()
	ctx := context.Background()
	s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	done := waitAsync(s, ctx)
	_, status, page, err := srv.Login(ctx, s.AuthURL(), srv.Username(), oauthtest.Password, true)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if status != http.StatusOK || !strings.Contains(page, "You can close this tab and return to Stamp") {
		t.Fatalf("the browser shows HTTP %d: %.300s", status, page)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("Wait: %v", r.err)
	}
	return r.tok
}

func TestSignInCodeFlowWithPKCE(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)

	s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute, LoginHint: "me@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	au, _ := url.Parse(s.AuthURL())
	q := au.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || len(q.Get("state")) < 20 {
		t.Fatalf("the authorization request lacks PKCE S256 or a strong state: %v", q)
	}
	if q.Get("code_verifier") != "" {
		t.Fatal("the verifier leaks into the authorization URL")
	}
	ru, _ := url.Parse(s.RedirectURL())
	if ru.Hostname() != "127.0.0.1" || ru.Port() == "" || ru.Path != oauth.RedirectPath || q.Get("redirect_uri") != s.RedirectURL() {
		t.Fatalf("redirect URI %q is not http://127.0.0.1:PORT/callback", s.RedirectURL())
	}
	done := waitAsync(s, ctx)
	_, status, page, err := srv.Login(ctx, s.AuthURL(), srv.Username(), oauthtest.Password, true)
	if err != nil || status != http.StatusOK || !strings.Contains(page, "You can close this tab and return to Stamp") {
		t.Fatalf("Login: HTTP %d, %v: %.300s", status, err, page)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("Wait: %v", r.err)
	}
	if r.tok.AccessToken == "" || r.tok.RefreshToken == "" {
		t.Fatal("the sign-in brought no access or no refresh token")
	}
	in, err := srv.Introspect(ctx, r.tok.AccessToken)
	if err != nil || !in.Active || in.Subject != oauthtest.Subject {
		t.Fatalf("the server does not call the access token active for the user: %+v, %v", in, err)
	}
	// The listener is gone once the sign-in is over.
	if _, err := http.Get(s.RedirectURL()); err == nil {
		t.Fatal("the loopback listener still answers after the sign-in")
	}
}

func TestServerEnforcesPKCE(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)
	cfg := &oauth2.Config{ClientID: oauthtest.ClientID, Endpoint: p.Endpoint, Scopes: p.Scopes,
		RedirectURL: "http://127.0.0.1:1/callback"}
	cfg.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	cb, _, _, err := srv.Login(ctx, cfg.AuthCodeURL("st"), srv.Username(), oauthtest.Password, false)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(cb)
	if _, err := cfg.Exchange(ctx, u.Query().Get("code")); err == nil {
		t.Fatal("the server gave tokens to a public client without PKCE")
	}
}

func TestListenerRefusesForgedSecondAndMisdirectedRequests(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)
	s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	done := waitAsync(s, ctx)
	cb, _, _, err := srv.Login(ctx, s.AuthURL(), srv.Username(), oauthtest.Password, false)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := url.Parse(cb)
	if good.Host != strings.TrimPrefix(strings.TrimSuffix(s.RedirectURL(), oauth.RedirectPath), "http://") {
		t.Fatalf("the server redirected to %s, not to the listener", good.Host)
	}

	forged := *good
	fq := forged.Query()
	fq.Set("state", "forged-state")
	forged.RawQuery = fq.Encode()
	if status, page := get(t, forged.String(), ""); status != http.StatusBadRequest || !strings.Contains(page, "state does not match") {
		t.Fatalf("a forged state: HTTP %d %.200s", status, page)
	}
	wrongPath := *good
	wrongPath.Path = "/elsewhere"
	if status, _ := get(t, wrongPath.String(), ""); status != http.StatusNotFound {
		t.Fatalf("a wrong path: HTTP %d, want 404", status)
	}
	if status, _ := get(t, good.String(), "attacker.example:"+good.Port()); status != http.StatusMisdirectedRequest {
		t.Fatalf("a foreign Host (DNS rebinding): HTTP %d, want 421", status)
	}
	select {
	case r := <-done:
		t.Fatalf("the sign-in ended on a refused request: %v", r.err)
	default:
	}

	// The genuine answer still works, once.
	if status, page := get(t, good.String(), ""); status != http.StatusOK || !strings.Contains(page, "You can close this tab") {
		t.Fatalf("the genuine answer: HTTP %d %.200s", status, page)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("Wait: %v", r.err)
	}

	t.Run("the server refuses a replayed code", func(t *testing.T) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {good.Query().Get("code")},
			"client_id": {oauthtest.ClientID}, "redirect_uri": {s.RedirectURL()},
			"code_verifier": {strings.Repeat("a", 43)}}
		resp, err := http.PostForm(p.Endpoint.TokenURL, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Fatal("the server exchanged a used code again")
		}
	})
}

func TestServerRefusesUnregisteredRedirectPath(t *testing.T) {
	srv := oauthtest.Start(t)
	p := provider(t, srv)
	cfg := &oauth2.Config{ClientID: oauthtest.ClientID, Endpoint: p.Endpoint, Scopes: p.Scopes,
		RedirectURL: "http://127.0.0.1:4567/not-registered"}
	v := oauth2.GenerateVerifier()
	_, status, page, err := srv.Login(context.Background(), cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(v)),
		srv.Username(), oauthtest.Password, false)
	if err == nil {
		t.Fatalf("the server accepted an unregistered redirect path (HTTP %d %.200s)", status, page)
	}
}

func TestIssMismatchRefused(t *testing.T) {
	srv := oauthtest.Start(t)
	p := provider(t, srv)
	p.Issuer = srv.Issuer
	s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	done := waitAsync(s, context.Background())
	au, _ := url.Parse(s.AuthURL())
	cb := s.RedirectURL() + "?" + url.Values{"code": {"x"}, "state": {au.Query().Get("state")}, "iss": {"https://evil.example"}}.Encode()
	status, page := get(t, cb, "")
	if status != http.StatusBadRequest || !strings.Contains(page, "Sign-in failed") {
		t.Fatalf("a wrong iss: HTTP %d %.200s", status, page)
	}
	if r := <-done; r.err == nil || !strings.Contains(r.err.Error(), "iss does not match") {
		t.Fatalf("Wait = %v, want the iss mismatch", r.err)
	}
}

func TestProviderErrorOnRedirect(t *testing.T) {
	srv := oauthtest.Start(t)
	p := provider(t, srv)
	for _, c := range []struct {
		code, desc string
		want       error
	}{
		{"access_denied", "the user declined", oauth.ErrCancelled},
		{"invalid_request", "AADSTS90094: The grant requires admin permission.", oauth.ErrAdminApproval},
	} {
		s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		done := waitAsync(s, context.Background())
		au, _ := url.Parse(s.AuthURL())
		get(t, s.RedirectURL()+"?"+url.Values{"error": {c.code}, "error_description": {c.desc}, "state": {au.Query().Get("state")}}.Encode(), "")
		r := <-done
		var pe *oauth.ProviderError
		if !errors.Is(r.err, c.want) || !errors.As(r.err, &pe) || pe.Code != c.code {
			t.Fatalf("error=%s: Wait = %v, want %v", c.code, r.err, c.want)
		}
	}
}

func TestSignInCancelledAndTimedOut(t *testing.T) {
	srv := oauthtest.Start(t)
	p := provider(t, srv)
	t.Run("cancelled", func(t *testing.T) {
		s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := waitAsync(s, ctx)
		cancel()
		if r := <-done; !errors.Is(r.err, oauth.ErrCancelled) {
			t.Fatalf("Wait = %v, want ErrCancelled", r.err)
		}
		if _, err := http.Get(s.RedirectURL()); err == nil {
			t.Fatal("the listener still answers after Cancel")
		}
	})
	t.Run("Close cancels", func(t *testing.T) {
		s, err := oauth.Start(p, oauth.Options{Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		done := waitAsync(s, context.Background())
		s.Close()
		if r := <-done; !errors.Is(r.err, oauth.ErrCancelled) {
			t.Fatalf("Wait = %v, want ErrCancelled", r.err)
		}
	})
	t.Run("the browser never comes back", func(t *testing.T) {
		s, err := oauth.Start(p, oauth.Options{Timeout: 300 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = s.Wait(context.Background())
		if !errors.Is(err, oauth.ErrTimedOut) {
			t.Fatalf("Wait = %v, want ErrTimedOut", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("the time-out took %s", d)
		}
	})
}

func TestRefreshRotatesStoresFirstAndRevokeMeansSignInAgain(t *testing.T) {
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p := provider(t, srv)
	kr := account.NewLimitedKeyring()
	secrets := account.NewSecretsWith(kr)
	m := oauth.NewManager(secrets)
	sess := m.Session("me@example.com", p)

	tok := signIn(t, srv, p)
	if loc, err := sess.Complete(ctx, tok); err != nil || loc != account.LocationKeyring {
		t.Fatalf("Complete = %v, %v", loc, err)
	}
	for k, v := range kr.Entries() {
		if strings.Contains(v, tok.AccessToken) {
			t.Fatalf("the access token reached the keyring entry %q", strings.ReplaceAll(k, "\x00", " "))
		}
	}
	if err := srv.CheckBearer(ctx, "me@example.com", "me@example.com", tok.AccessToken); err != nil {
		t.Fatalf("the resource server refuses the new access token: %v", err)
	}
	if err := srv.CheckBearer(ctx, "me@example.com", "boss@example.com", tok.AccessToken); !errors.Is(err, oauthtest.ErrWrongAccount) {
		t.Fatalf("a login as another mailbox: %v, want ErrWrongAccount", err)
	}
	rt1, _, _, err := secrets.RefreshToken(ctx, "me@example.com")
	if err != nil || rt1 != tok.RefreshToken {
		t.Fatalf("the keyring does not hold the refresh token: %v", err)
	}

	// The server's access tokens live 5 minutes, within ExpiryMargin, so
	// Token refreshes before handing one out.
	at2, err := sess.Token(ctx)
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if at2.Secret() == tok.AccessToken {
		t.Fatal("Token returned the old access token instead of refreshing")
	}
	rt2, _, _, err := secrets.RefreshToken(ctx, "me@example.com")
	if err != nil || rt2 == rt1 {
		t.Fatalf("the rotated refresh token was not stored (same %v, %v)", rt2 == rt1, err)
	}
	if !srv.RefreshTokenActive(ctx, rt2) || srv.RefreshTokenActive(ctx, rt1) {
		t.Fatalf("the server: new refresh token known %v, old one still known %v", srv.RefreshTokenActive(ctx, rt2), srv.RefreshTokenActive(ctx, rt1))
	}
	if in, _ := srv.Introspect(ctx, at2.Secret()); in == nil || !in.Active {
		t.Fatal("the new access token is not active")
	}
	if err := srv.CheckBearer(ctx, "me@example.com", "me@example.com", tok.AccessToken); !errors.Is(err, oauthtest.ErrTokenInactive) {
		t.Fatalf("the old access token after the refresh: %v, want ErrTokenInactive", err)
	}

	t.Run("a keyring that fails during a refresh: the rotated token is kept for the session", func(t *testing.T) {
		kr.FailSet = errors.New("org.freedesktop.Secret.Error.IsLocked: collection is locked")
		defer func() { kr.FailSet = nil }()
		at, err := sess.Refresh(ctx)
		if err != nil {
			t.Fatalf("Refresh with a locked keyring: %v", err)
		}
		rt, _, loc, err := secrets.RefreshToken(ctx, "me@example.com")
		if err != nil || loc != account.LocationSession || !srv.RefreshTokenActive(ctx, rt) {
			t.Fatalf("the rotated refresh token was not kept for the session (%v, %v)", loc, err)
		}
		if in, _ := srv.Introspect(ctx, at.Secret()); in == nil || !in.Active {
			t.Fatal("the access token is not active")
		}
		kr.FailSet = nil
		// Back to the keyring on the next rotation.
		if _, err := sess.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if _, _, loc, _ := secrets.RefreshToken(ctx, "me@example.com"); loc != account.LocationKeyring {
			t.Fatalf("after the keyring came back the token is in %v", loc)
		}
	})

	t.Run("the old refresh token is refused: sign in again", func(t *testing.T) {
		other := account.NewSecretsWith(account.NewMemoryKeyring())
		other.SaveRefreshToken(ctx, "old", "custom", rt1)
		_, err := oauth.NewManager(other).Session("old", p).Refresh(ctx)
		if !errors.Is(err, oauth.ErrSignInAgain) {
			t.Fatalf("refresh with the rotated-out token = %v, want ErrSignInAgain", err)
		}
		if strings.Contains(err.Error(), rt1) {
			t.Fatal("the error message contains the refresh token")
		}
	})

	t.Run("concurrent refreshes of one account never overlap", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				if _, err := m.Session("me@example.com", p).Refresh(ctx); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("a concurrent refresh failed (refreshes overlapped and used a rotated-out token?): %v", err)
		}
		rt, _, _, _ := secrets.RefreshToken(ctx, "me@example.com")
		if !srv.RefreshTokenActive(ctx, rt) {
			t.Fatal("the stored refresh token is not the server's current one")
		}
	})

	t.Run("revoked on the server: ErrSignInAgain", func(t *testing.T) {
		rt, _, _, _ := secrets.RefreshToken(ctx, "me@example.com")
		if err := srv.RevokeRefreshToken(ctx, rt); err != nil {
			t.Fatal(err)
		}
		_, err := sess.Refresh(ctx)
		if !errors.Is(err, oauth.ErrSignInAgain) {
			t.Fatalf("Refresh after revocation = %v, want ErrSignInAgain", err)
		}
		if !m.Session("me@example.com", p).NeedsSignIn() {
			t.Fatal("the session does not say it needs a new sign-in")
		}
		if strings.Contains(err.Error(), rt) {
			t.Fatal("the error message contains the refresh token")
		}
	})

	t.Run("sign in again, then sign out revokes and deletes", func(t *testing.T) {
		tok := signIn(t, srv, p)
		if _, err := sess.Complete(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if sess.NeedsSignIn() {
			t.Fatal("the session still says sign in again after a new sign-in")
		}
		if _, err := sess.Token(ctx); err != nil {
			t.Fatalf("Token after signing in again: %v", err)
		}
		rt, _, _, _ := secrets.RefreshToken(ctx, "me@example.com")
		if err := sess.SignOut(ctx); err != nil {
			t.Fatalf("SignOut: %v", err)
		}
		if kr.Len() != 0 {
			t.Fatalf("%d keyring entries left after signing out", kr.Len())
		}
		if srv.RefreshTokenActive(ctx, rt) {
			t.Fatal("the server still knows the refresh token after signing out")
		}
		if _, err := sess.Token(ctx); !errors.Is(err, oauth.ErrSignInAgain) {
			t.Fatalf("Token after signing out = %v, want ErrSignInAgain", err)
		}
	})
}

func TestDeviceCodeSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("the device grant polls every 5 s")
	}
	srv := oauthtest.Start(t)
	ctx := context.Background()
	p, err := oauth.Resolve(ctx, oauth.Settings{Kind: oauth.Custom, Issuer: srv.Issuer, ClientID: oauthtest.DeviceClientID,
		ClientSecret: oauthtest.DeviceClientSecret, Scopes: oauthtest.Scopes}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Device() {
		t.Fatal("discovery found no device endpoint")
	}
	d, err := oauth.StartDevice(ctx, p)
	if err != nil {
		t.Fatalf("StartDevice: %v", err)
	}
	if d.UserCode() == "" || !strings.HasPrefix(d.VerificationURI(), srv.Issuer) {
		t.Fatalf("code %q at %q", d.UserCode(), d.VerificationURI())
	}
	go srv.ApproveDevice(ctx, d.UserCode(), true)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	tok, err := d.Wait(wctx)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if in, err := srv.Introspect(ctx, tok.AccessToken); err != nil || !in.Active {
		t.Fatalf("the device sign-in's access token is not active: %v", err)
	}

	t.Run("cancelled", func(t *testing.T) {
		d, err := oauth.StartDevice(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := d.Wait(cctx); !errors.Is(err, oauth.ErrCancelled) {
			t.Fatalf("Wait = %v, want ErrCancelled", err)
		}
	})
}
