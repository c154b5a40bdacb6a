package oauth_test

// A hostile or compromised provider (or a machine in the middle of its
// requests) against the oauth package's error texts and secrets: found by
// the adversarial review attack1 (D-D, S-E, S-F), kept as regression tests.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/oauth2"

	"stamp/account"
	"stamp/oauth"
	"stamp/smtpclient/sandbox"
)

const attackRefresh = "RT-stamp-test-secret-9f3e"

// rawControl returns the first character of s that a terminal would act
// on, or -1.
func rawControl(s string) rune {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || unicode.Is(unicode.Cf, r) {
			return r
		}
	}
	return -1
}

// customProvider is a Custom provider whose token endpoint is tokenURL,
// reached through client.
func customProvider(tokenURL string, client *http.Client) *oauth.Provider {
	return &oauth.Provider{Kind: oauth.Custom, ClientID: "attack-client",
		Endpoint: oauth2.Endpoint{AuthURL: tokenURL, TokenURL: tokenURL}, Scopes: []string{"smtp"},
		HTTPClient: client}
}

func signedIn(t *testing.T, p *oauth.Provider) *oauth.Session {
	t.Helper()
	s := oauth.NewManager(account.NewSecretsWith(account.NewMemoryKeyring())).Session("attack", p)
	if _, err := s.Complete(context.Background(), &oauth2.Token{AccessToken: "at", RefreshToken: attackRefresh,
		Expiry: time.Now().Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return s
}

// A token endpoint that quotes the refresh token in its error description
// (as SMTP servers that echo a password do), as is, quoted and in a form
// body: none of it reaches the error text or the ProviderError's
// fields, which any dialog or log may show.
func TestARefreshTokenTheTokenEndpointEchoesIsMasked(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		rt := r.PostForm.Get("refresh_token")
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": fmt.Sprintf(
			"refresh token %s (%q) has expired, form %s", rt, rt, url.Values{"refresh_token": {rt}}.Encode())})
	}))
	defer srv.Close()
	s := signedIn(t, customProvider(srv.URL+"/token", srv.Client()))
	_, err := s.Refresh(context.Background())
	if err == nil {
		t.Fatal("refresh worked")
	}
	if !errors.Is(err, oauth.ErrSignInAgain) {
		t.Errorf("invalid_grant is not ErrSignInAgain: %v", err)
	}
	if strings.Contains(err.Error(), "secret-9f3e") {
		t.Errorf("the refresh token is in the error text: %s", err)
	}
	if !strings.Contains(err.Error(), `refresh token ******** ("********") has expired, form refresh_token=********`) {
		t.Errorf("the error does not show the provider's words with the token masked: %s", err)
	}
	var pe *oauth.ProviderError
	if !errAs(err, &pe) {
		t.Fatalf("no ProviderError in %v", err)
	}
	if strings.Contains(pe.Description, "secret-9f3e") {
		t.Errorf("the refresh token is in ProviderError.Description: %q", pe.Description)
	}
}

// ProviderError's Code and Description are made printable when they are
// kept, not only in Error(): a caller that shows pe.Description (a
// dialog's detail line) gets no raw control character.
func TestTheProviderErrorFieldsArePrintable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"invalid_grant\u001b]0;pwned\u0007","error_description":"gone\u001b[2K\r\u202eFAKE: signed in\n"}`)
	}))
	defer srv.Close()
	s := signedIn(t, customProvider(srv.URL+"/token", srv.Client()))
	_, err := s.Refresh(context.Background())
	if err == nil {
		t.Fatal("refresh worked")
	}
	if r := rawControl(err.Error()); r >= 0 {
		t.Errorf("Error() holds a raw %U: %q", r, err.Error())
	}
	var pe *oauth.ProviderError
	if !errAs(err, &pe) {
		t.Fatalf("no ProviderError in %v", err)
	}
	if r := rawControl(pe.Code + pe.Description); r >= 0 {
		t.Errorf("ProviderError.Code/Description (documented as made printable) hold a raw %U: %q / %q", r, pe.Code, pe.Description)
	}
}

// A machine in the middle of the token request (no need to own the
// provider) presents a certificate whose DNS names carry escapes. Go
// checks the host name before the chain, so the x509 error quotes those
// names raw: the error Stamp shows holds them printable, and the x509
// error stays reachable with errors.As.
func TestCertificateNamesInATokenErrorArePrintable(t *testing.T) {
	pair, _, err := sandbox.Certificates([]string{"evil\x1b]0;pwned\x07\x1b[2K.test", "x\x1b[1A.test"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr) // login.provider.test → the machine in the middle
	}}}
	s := signedIn(t, customProvider("https://login.provider.test/token", client))
	_, err = s.Refresh(context.Background())
	if err == nil {
		t.Fatal("refresh worked")
	}
	if r := rawControl(err.Error()); r >= 0 {
		t.Errorf("the refresh error holds a raw %U from the certificate:\n%q", r, err.Error())
	}
	if !strings.Contains(err.Error(), `evil\x1b]0;pwned\x07\x1b[2K.test`) {
		t.Errorf("the refresh error does not name the certificate's names, made printable: %s", err)
	}
	var he x509.HostnameError
	if !errors.As(err, &he) {
		t.Errorf("the x509 error is not reachable with errors.As: %#v", err)
	}
}

// The same machine in the middle of the discovery request: the error
// Resolve returns holds the certificate's names printable.
func TestCertificateNamesInADiscoveryErrorArePrintable(t *testing.T) {
	pair, _, err := sandbox.Certificates([]string{"evil\x1b]0;pwned\x07\x1b[2K.test"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}}
	_, err = oauth.Resolve(context.Background(), oauth.Settings{Kind: oauth.Custom, ClientID: "c",
		Issuer: "https://login.provider.test", Scopes: []string{"smtp"}}, client)
	if err == nil {
		t.Fatal("discovery worked")
	}
	if r := rawControl(err.Error()); r >= 0 || !strings.Contains(err.Error(), `evil\x1b]0;pwned`) {
		t.Errorf("the discovery error holds a raw %U or not the names:\n%q", r, err.Error())
	}
	var he x509.HostnameError
	if !errors.As(err, &he) {
		t.Errorf("the x509 error is not reachable with errors.As: %#v", err)
	}
}

// Values that carry secrets never print them with %v, %+v or %#v:
// oauth.Provider and oauth.Settings (the client secret),
// account.OAuth2Token (the tokens), and the access token Session.Token
// hands out, alone or inside another struct; Secret() still gives the
// token for the login (smtpclient.Config.OAuth2Token).
func TestTokenHoldersNeverPrintTheirSecrets(t *testing.T) {
	const access = "AT-stamp-test-secret-77c1"
	s := oauth.NewManager(account.NewSecretsWith(account.NewMemoryKeyring())).Session("attack",
		customProvider("https://login.provider.test/token", nil))
	if _, err := s.Complete(context.Background(), &oauth2.Token{AccessToken: access, RefreshToken: attackRefresh,
		Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	at, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if at.Secret() != access {
		t.Fatalf("Session.Token hands out %d bytes, not the access token for the login", len(at.Secret()))
	}
	type holder struct {
		tok oauth.AccessToken // unexported: fmt prints it without calling String
	}
	for name, v := range map[string]any{
		"*account.OAuth2Token": &account.OAuth2Token{AccessToken: access, RefreshToken: attackRefresh},
		"account.OAuth2Token":  account.OAuth2Token{AccessToken: access, RefreshToken: attackRefresh},
		"oauth.Provider":       oauth.Provider{ClientSecret: attackRefresh},
		"*oauth.Provider":      &oauth.Provider{ClientSecret: attackRefresh},
		"oauth.Settings":       oauth.Settings{ClientSecret: attackRefresh},
		"oauth.AccessToken":    at,
		"*oauth.AccessToken":   &at,
		"a struct holding it":  holder{at},
	} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, attackRefresh) || strings.Contains(out, access) ||
				strings.Contains(out, fmt.Sprintf("%x", attackRefresh)) || strings.Contains(out, fmt.Sprintf("%x", access)) {
				t.Errorf("%s printed with %s shows the secret: %s", name, verb, out)
			}
		}
	}
}

func errAs(err error, pe **oauth.ProviderError) bool {
	for err != nil {
		if p, ok := err.(*oauth.ProviderError); ok {
			*pe = p
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

// The device sign-in shows the provider's user_code and verification_uri
// to the person ("Go to … and type …"): a line feed in the code is shown as
// an escape, never acted on, and an address that is not plainly an https
// address (a right-to-left override spelling another address, plain http,
// a user name before the host, a space) is refused with a printable error.
func TestDeviceSignInTextsArePrintableAndTheAddressIsHTTPS(t *testing.T) {
	start := func(t *testing.T, userCode, uri string) (*oauth.DeviceSignIn, error) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"device_code": "dc", "user_code": userCode,
				"verification_uri": uri, "expires_in": 600, "interval": 5})
		}))
		t.Cleanup(srv.Close)
		p := customProvider(srv.URL+"/token", srv.Client())
		p.Endpoint.DeviceAuthURL = srv.URL + "/device"
		return oauth.StartDevice(context.Background(), p)
	}
	d, err := start(t, "ABCD\n=== FAKE: signed in", "https://login.example/device")
	if err != nil {
		t.Fatal(err)
	}
	if r := rawControl(d.UserCode()); r >= 0 || !strings.HasPrefix(d.UserCode(), "ABCD") {
		t.Errorf("UserCode holds a raw %U: %q", r, d.UserCode())
	}
	if d.VerificationURI() != "https://login.example/device" {
		t.Errorf("VerificationURI = %q", d.VerificationURI())
	}
	for _, uri := range []string{"http://127.0.0.1:8080/device", "https://microsoft.com/devicelogin"} {
		if _, err := start(t, "ABCD", uri); err != nil {
			t.Errorf("%s refused: %v", uri, err)
		}
	}
	for _, uri := range []string{
		"https://login.example/\u202emoc.evil//:sptth",
		"https://login.example/\u0085x",
		"http://login.example/device",
		"https://login.microsoftonline.com@evil.example/device",
		"https://login.example/device (Microsoft)",
		"javascript:alert(1)",
		"login.example/device",
		"",
	} {
		d, err := start(t, "ABCD", uri)
		if err == nil {
			t.Errorf("%+q accepted: shown as %q", uri, d.VerificationURI())
			continue
		}
		if r := rawControl(err.Error()); r >= 0 {
			t.Errorf("the refusal of %+q holds a raw %U: %q", uri, r, err.Error())
		}
	}
}

// A device endpoint and a token endpoint that echo the device code and the
// client secret in their error descriptions: both are masked out of the
// error Wait returns.
func TestADeviceCodeAndClientSecretTheProviderEchoesAreMasked(t *testing.T) {
	const device, secret = "DC-stamp-test-secret-device-41", "CS-stamp-test-secret-client-42"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/device") {
			fmt.Fprintf(w, `{"device_code":%q,"user_code":"ABCD","verification_uri":"https://login.example/device","expires_in":600,"interval":1}`, device)
			return
		}
		r.ParseForm()
		_, pw, _ := r.BasicAuth()
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":"access_denied","error_description":"device code %s, client secret %s"}`,
			r.PostForm.Get("device_code"), pw)
	}))
	defer srv.Close()
	p := customProvider(srv.URL+"/token", srv.Client())
	p.ClientSecret = secret
	p.Endpoint.DeviceAuthURL = srv.URL + "/device"
	d, err := oauth.StartDevice(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = d.Wait(ctx)
	if !errors.Is(err, oauth.ErrCancelled) {
		t.Fatalf("access_denied: %v, want ErrCancelled", err)
	}
	if !strings.Contains(err.Error(), "device code ********, client secret ********") {
		t.Errorf("the device code or client secret is not masked: %s", err)
	}
}
