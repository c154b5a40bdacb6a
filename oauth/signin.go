package oauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"stamp/i18n"
)

// DefaultTimeout is how long a sign-in waits for the browser to come back.
const DefaultTimeout = 5 * time.Minute

// Options tune a sign-in.
type Options struct {
	// Timeout bounds the wait for the browser; 0 means DefaultTimeout.
	Timeout time.Duration
	// LoginHint, when set, is sent as login_hint (the From address), so the
	// provider offers the right account.
	LoginHint string
}

// SignIn is one browser sign-in in progress: the authorization code grant
// with PKCE (S256) and state, answered on a one-shot listener bound to
// 127.0.0.1 only. Open AuthURL in the person's browser, then call Wait.
type SignIn struct {
	p        *Provider
	cfg      *oauth2.Config
	state    string
	verifier string
	authURL  string
	timeout  time.Duration
	ln       net.Listener
	srv      *http.Server

	// exchangeCtx bounds the code exchange the handler makes; Close
	// cancels it.
	exchangeCtx context.Context
	stop        context.CancelFunc

	mu       sync.Mutex
	consumed bool
	result   chan result
	closeMu  sync.Once
}

type result struct {
	tok *oauth2.Token
	err error
}

// Start opens the loopback listener on 127.0.0.1 (a free port) and
// prepares the authorization request. Nothing is sent anywhere until the
// browser opens AuthURL.
func Start(p *Provider, o Options) (*SignIn, error) {
	if p == nil || p.ClientID == "" {
		kind := Custom
		if p != nil {
			kind = p.Kind
		}
		return nil, &NoClientIDError{Kind: kind}
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", i18n.T("oauth.err.listen", "cannot listen for the browser on 127.0.0.1"), err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	redirect := "http://127.0.0.1:" + strconv.Itoa(port) + RedirectPath
	s := &SignIn{p: p, cfg: p.config(redirect), state: randomString(24), verifier: oauth2.GenerateVerifier(),
		timeout: o.Timeout, ln: ln, result: make(chan result, 1)}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(s.verifier)}
	for k, vs := range p.AuthParams {
		for _, v := range vs {
			opts = append(opts, oauth2.SetAuthURLParam(k, v))
		}
	}
	if o.LoginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", o.LoginHint))
	}
	s.authURL = s.cfg.AuthCodeURL(s.state, opts...)
	s.exchangeCtx, s.stop = context.WithCancel(context.Background())
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: discardLog}
	go s.srv.Serve(ln)
	return s, nil
}

// AuthURL is the address to open in the browser (or to copy: "Copy the
// sign-in link"). It holds no secret: the PKCE verifier stays here.
func (s *SignIn) AuthURL() string { return s.authURL }

// RedirectURL is the loopback address the browser comes back to,
// http://127.0.0.1:PORT/callback.
func (s *SignIn) RedirectURL() string { return s.cfg.RedirectURL }

// Wait blocks until the browser comes back and the code is exchanged, the
// time limit passes (ErrTimedOut), or ctx is cancelled or Close is called
// (ErrCancelled). It returns the tokens (keep them with Session.Complete)
// and closes the listener. The *oauth2.Token prints its tokens with %v:
// prefer WaitTokens, whose Tokens never print.
func (s *SignIn) Wait(ctx context.Context) (*oauth2.Token, error) {
	defer s.Close()
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	select {
	case r := <-s.result:
		return r.tok, r.err
	case <-timer.C:
		return nil, fmt.Errorf("%w (%s)", ErrTimedOut, i18n.T("oauth.err.waited", "waited {{.Duration}}", map[string]any{"Duration": s.timeout.Round(time.Second).String()}))
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, ErrTimedOut
		}
		return nil, ErrCancelled
	case <-s.exchangeCtx.Done():
		return nil, ErrCancelled
	}
}

// Close cancels the sign-in and closes the listener; a Wait in progress
// returns ErrCancelled. It is safe to call more than once.
func (s *SignIn) Close() {
	s.closeMu.Do(func() {
		s.mu.Lock()
		s.consumed = true
		s.mu.Unlock()
		s.stop()
		// Give a page being written a moment, then drop the listener.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		s.srv.Shutdown(ctx)
	})
}

// serve answers the browser. Only GET /callback with the right Host and
// state is taken, once; anything else is refused and the sign-in goes on.
func (s *SignIn) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if r.Host != s.ln.Addr().String() {
		// DNS rebinding: a web page that resolved its own name to 127.0.0.1.
		page(w, http.StatusMisdirectedRequest, "Wrong address", "This address belongs to Stamp's sign-in and answers only as "+s.ln.Addr().String()+".")
		return
	}
	if r.URL.Path != RedirectPath {
		page(w, http.StatusNotFound, "Not found", "This is not Stamp's sign-in address.")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		page(w, http.StatusMethodNotAllowed, "Not allowed", "Stamp's sign-in address takes only the browser's return from the provider.")
		return
	}
	q := r.URL.Query()
	s.mu.Lock()
	if s.consumed {
		s.mu.Unlock()
		page(w, http.StatusGone, "Already used", "This sign-in is finished or was cancelled. Return to Stamp.")
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(s.state)) != 1 || len(q["state"]) != 1 {
		s.mu.Unlock()
		page(w, http.StatusBadRequest, "Sign-in refused", "This answer does not belong to the sign-in Stamp started (its state does not match). Return to Stamp and start again if needed.")
		return
	}
	s.consumed = true
	s.mu.Unlock()

	tok, err := s.finish(q)
	s.result <- result{tok, err}
	if err != nil {
		page(w, http.StatusBadRequest, i18n.T("oauth.page.failed_title", "Sign-in failed"), i18n.T("oauth.page.failed_text", "{{.Error}}. Return to Stamp.", map[string]any{"Error": err.Error()}))
		return
	}
	page(w, http.StatusOK, i18n.T("oauth.page.signed_in_title", "Signed in"), i18n.T("oauth.page.signed_in_text", "You can close this tab and return to Stamp."))
}

// finish checks the redirect's parameters and exchanges the code.
func (s *SignIn) finish(q url.Values) (*oauth2.Token, error) {
	iss, sentIss := q["iss"]
	switch {
	case sentIss && (len(iss) != 1 || s.p.Issuer != "" && iss[0] != s.p.Issuer):
		return nil, errors.New(i18n.T("oauth.err.iss_mismatch", "the answer came from another authorization server than the one Stamp asked (iss does not match); sign-in refused"))
	case !sentIss && s.p.RequireIss:
		return nil, errors.New(i18n.T("oauth.err.iss_missing", "the authorization server left out iss, which it promised to send; sign-in refused"))
	}
	if code := q.Get("error"); code != "" {
		return nil, fmt.Errorf("%s: %w", i18n.T("oauth.op.sign_in", "sign-in"), providerError(code, q.Get("error_description"),
			[]string{q.Get("code"), s.verifier, s.p.ClientSecret}))
	}
	code := q.Get("code")
	if code == "" {
		return nil, errors.New(i18n.T("oauth.err.no_code", "the provider sent no authorization code"))
	}
	ctx, cancel := context.WithTimeout(s.p.withClient(s.exchangeCtx), time.Minute)
	defer cancel()
	tok, err := s.cfg.Exchange(ctx, code, oauth2.VerifierOption(s.verifier))
	if err != nil {
		if s.exchangeCtx.Err() != nil {
			return nil, ErrCancelled
		}
		return nil, tokenError(i18n.T("oauth.op.exchange", "exchange the authorization code"), err, code, s.verifier, s.p.ClientSecret)
	}
	if tok.RefreshToken == "" {
		return nil, ErrNoRefreshToken
	}
	return tok, nil
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>Stamp: {{.Title}}</title>
<meta name="viewport" content="width=device-width">
<style>body{font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em}</style></head>
<body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

func page(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	pageTemplate.Execute(w, struct{ Lang, Title, Text string }{i18n.Language().String(), title, text})
}

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
