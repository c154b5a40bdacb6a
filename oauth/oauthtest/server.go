// Package oauthtest runs a real OAuth 2 / OpenID Connect authorization
// server on 127.0.0.1 for tests: zitadel/oidc's example provider (in
// process), which enforces PKCE for public clients, accepts a loopback
// redirect on any port, rotates refresh tokens (the old one is refused
// after use), and offers discovery, introspection, revocation and the
// device-code grant. Its login page is a plain HTML form, driven here with
// plain HTTP requests (Login) or by a real browser.
//
// Only tests import this package.
package oauthtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The server's clients and user.
const (
	// ClientID is a public native client: no secret, PKCE required,
	// redirect http://127.0.0.1/callback on any port.
	ClientID = "stamp-native"
	// DeviceClientID and DeviceClientSecret are a client for the
	// device-code grant.
	DeviceClientID     = "stamp-device"
	DeviceClientSecret = "device-secret-for-tests"
	// ResourceID and ResourceSecret are what a resource server (the
	// sandbox SMTP server) uses to introspect tokens.
	ResourceID     = "smtp-sandbox"
	ResourceSecret = "introspection-secret-for-tests"
	// Password is the test user's password; the user name is Username().
	Password = "verysecure"
	// Subject is the test user's ID, the "sub" of their tokens.
	Subject = "id1"
)

// Scopes the server grants to ClientID.
var Scopes = []string{oidc.ScopeOpenID, oidc.ScopeOfflineAccess}

// Server is a running authorization server.
type Server struct {
	// Issuer is its issuer URL, http://127.0.0.1:PORT.
	Issuer string
	srv    *httptest.Server
	st     *storage.Storage
}

var setupOnce sync.Once

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	setupOnce.Do(func() {
		// exampleop.SetupServer sets the process's default logger; keep the
		// request log out of the test output.
		slog.SetDefault(slog.New(slog.DiscardHandler))
	})
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String()
	clients := map[string]*storage.Client{
		ClientID:       storage.NativeClient(ClientID, "http://127.0.0.1/callback"),
		DeviceClientID: storage.DeviceClient(DeviceClientID, DeviceClientSecret),
		ResourceID:     storage.WebClient(ResourceID, ResourceSecret, "http://127.0.0.1/unused"),
	}
	st := storage.NewStorageWithClients(storage.NewUserStore(issuer), clients)
	handler := exampleop.SetupServer(issuer, &introspecting{st, "test-user@127.0.0.1"}, slog.New(slog.DiscardHandler), false)
	srv := httptest.NewUnstartedServer(handler)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return &Server{Issuer: issuer, srv: srv, st: st}
}

// Username is the test user's login name.
func (s *Server) Username() string { return "test-user@127.0.0.1" }

// introspecting lets ResourceID introspect tokens issued to the other
// clients: the example storage answers only for a token's own audience.
type introspecting struct {
	*storage.Storage
	username string
}

// GetClientByClientID lets the device client have refresh tokens too (the
// example's DeviceClient allows only the device grant), as Microsoft's
// public clients do.
func (i *introspecting) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := i.Storage.GetClientByClientID(ctx, id)
	if err != nil || id != DeviceClientID {
		return c, err
	}
	return refreshingClient{c}, nil
}

type refreshingClient struct{ op.Client }

func (c refreshingClient) GrantTypes() []oidc.GrantType {
	return append(c.Client.GrantTypes(), oidc.GrantTypeRefreshToken)
}

// CreateAccessAndRefreshTokens fixes the example's device grant, whose
// refresh tokens name no client (it reads the client only from a code or
// refresh request), so the device client could never refresh them.
func (i *introspecting) CreateAccessAndRefreshTokens(ctx context.Context, request op.TokenRequest, current string) (string, string, time.Time, error) {
	if d, ok := request.(*op.DeviceAuthorizationState); ok && current == "" {
		request = &storage.AuthRequest{ApplicationID: d.ClientID, UserID: d.Subject, Scopes: d.Scopes}
	}
	return i.Storage.CreateAccessAndRefreshTokens(ctx, request, current)
}

// CompleteDeviceAuthorization fixes the example's device login, which
// passes the user name where the storage wants the user ID.
func (i *introspecting) CompleteDeviceAuthorization(ctx context.Context, userCode, subject string) error {
	if subject == i.username {
		subject = Subject
	}
	return i.Storage.CompleteDeviceAuthorization(ctx, userCode, subject)
}

func (i *introspecting) SetIntrospectionFromToken(ctx context.Context, in *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	if clientID == ResourceID {
		var err error
		for _, c := range []string{ClientID, DeviceClientID} {
			if err = i.Storage.SetIntrospectionFromToken(ctx, in, tokenID, subject, c); err == nil {
				return nil
			}
		}
		return err
	}
	return i.Storage.SetIntrospectionFromToken(ctx, in, tokenID, subject, clientID)
}

// Metadata fetches the discovery document.
func (s *Server) Metadata(ctx context.Context) (map[string]any, error) {
	var m map[string]any
	err := s.getJSON(ctx, s.Issuer+"/.well-known/openid-configuration", &m)
	return m, err
}

func (s *Server) getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

func (s *Server) endpoint(ctx context.Context, name string) (string, error) {
	m, err := s.Metadata(ctx)
	if err != nil {
		return "", err
	}
	u, _ := m[name].(string)
	if u == "" {
		return "", fmt.Errorf("the server names no %s", name)
	}
	return u, nil
}

// Introspection is what the server says about a token.
type Introspection struct {
	Active   bool   `json:"active"`
	Subject  string `json:"sub"`
	ClientID string `json:"client_id"`
	Scope    string `json:"scope"`
	Username string `json:"username"`
	Expiry   int64  `json:"exp"`
}

// Introspect asks the server about an access token (RFC 7662), as the
// resource server ResourceID: what the sandbox SMTP server does for an
// XOAUTH2 or OAUTHBEARER login.
func (s *Server) Introspect(ctx context.Context, token string) (*Introspection, error) {
	u, err := s.endpoint(ctx, "introspection_endpoint")
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(url.Values{"token": {token}}.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(ResourceID, ResourceSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("introspection: HTTP %d", resp.StatusCode)
	}
	var in Introspection
	if err := json.NewDecoder(resp.Body).Decode(&in); err != nil {
		return nil, err
	}
	return &in, nil
}

// RevokeRefreshToken revokes a refresh token as its client would (the
// person signing out elsewhere, or an admin revoking the app).
func (s *Server) RevokeRefreshToken(ctx context.Context, token string) error {
	s.st.RevokeToken(ctx, token, Subject, ClientID)
	if _, _, err := s.st.GetRefreshTokenInfo(ctx, ClientID, token); err == nil {
		return errors.New("the refresh token is still known after revocation")
	}
	return nil
}

// RefreshTokenActive reports whether the server still knows the refresh
// token (the example storage forgets a rotated or revoked one).
func (s *Server) RefreshTokenActive(ctx context.Context, token string) bool {
	_, _, err := s.st.GetRefreshTokenInfo(ctx, ClientID, token)
	return err == nil
}

var hiddenID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// Login plays the person's browser with plain HTTP requests: it opens
// authURL, fills the login form with user name and password, and follows
// the redirects. With deliver, it follows the last redirect to the
// loopback listener too and returns the listener's page and status; else
// it stops there and returns the callback URL without calling it.
func (s *Server) Login(ctx context.Context, authURL, username, password string, deliver bool) (callback string, status int, body string, err error) {
	jar, _ := cookiejar.New(nil)
	var last string
	client := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), s.Issuer) {
			last = req.URL.String()
			if !deliver {
				return http.ErrUseLastResponse
			}
		}
		return nil
	}}
	get := func(u string) (*http.Response, string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, "", err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, string(b), err
	}
	resp, page, err := get(authURL)
	if err != nil {
		return "", 0, "", err
	}
	if last != "" { // the server answered the client at once (an error)
		return last, resp.StatusCode, page, nil
	}
	m := hiddenID.FindStringSubmatch(page)
	if m == nil {
		return "", resp.StatusCode, page, fmt.Errorf("no login form at %s (HTTP %d)", resp.Request.URL, resp.StatusCode)
	}
	form := url.Values{"id": {m[1]}, "username": {username}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Issuer+"/login/username", strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = client.Do(req)
	if err != nil {
		return last, 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if last == "" {
		return "", resp.StatusCode, string(b), fmt.Errorf("the login did not redirect back (HTTP %d)", resp.StatusCode)
	}
	return last, resp.StatusCode, string(b), nil
}

// ApproveDevice plays the person on the other device: it enters the user
// code, logs in and allows (or denies) the request on the server's pages.
func (s *Server) ApproveDevice(ctx context.Context, userCode string, allow bool) error {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path string, form url.Values) (string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Issuer+path, strings.NewReader(form.Encode()))
		if err != nil {
			return "", err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			return string(b), fmt.Errorf("%s: HTTP %d", path, resp.StatusCode)
		}
		return string(b), nil
	}
	if _, err := post("/device/login", url.Values{"user_code": {userCode}, "username": {s.Username()}, "password": {Password}}); err != nil {
		return err
	}
	action := "denied"
	if allow {
		action = "allowed"
	}
	page, err := post("/device/confirm", url.Values{"action": {action}})
	if err != nil {
		return err
	}
	if !strings.Contains(page, "Device authorization "+action) {
		return fmt.Errorf("the confirm page says %.200q", page)
	}
	return nil
}

// Errors of CheckBearer, for a resource server to turn into SMTP replies.
var (
	// ErrTokenInactive: introspection calls the token not active (expired,
	// revoked, rotated out, or never issued): 535 5.7.8.
	ErrTokenInactive = errors.New("the access token is not active")
	// ErrWrongAccount: the token is active but was issued to another
	// account than the mailbox logging in: Microsoft's 535 5.7.3.
	ErrWrongAccount = errors.New("the access token belongs to another account")
)

// CheckBearer is what a resource server (the sandbox SMTP server) does with
// an XOAUTH2 or OAUTHBEARER login as user: the token must be active by
// introspection and issued to the test user, and user must be mailbox, the
// address the test user's mailbox has.
func (s *Server) CheckBearer(ctx context.Context, mailbox, user, token string) error {
	in, err := s.Introspect(ctx, token)
	if err != nil {
		return err
	}
	switch {
	case !in.Active:
		return ErrTokenInactive
	case in.Subject != Subject || !strings.EqualFold(user, mailbox):
		return ErrWrongAccount
	}
	return nil
}
