package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"stamp/account"
	"stamp/i18n"
	"stamp/oauth"
	"stamp/smtpclient"
)

// OAuth 2 accounts on the command line: account add NAME --oauth ...,
// account login NAME, and --account NAME sending with a fresh token
// (oauth.Send).

// oauthSynopsis is the sign-in commands' shapes, with their two remarks in
// the person's language.
func oauthSynopsis() string {
	return `       stamp-send account add NAME --from ADDR --oauth google|microsoft|custom
                            [--client-id ID] [--client-secret-env VAR] [--tenant T]
                            [--issuer URL | --auth-url URL --token-url URL] [--device-auth-url URL]
                            [--revocation-url URL] [--scopes "S1 S2"] [--device] [--sign-in-timeout D]
                            ` + i18n.T("send.account.synopsis.server_flags", "[the server flags above]") + `
       stamp-send account login NAME [--device] [--client-secret-env VAR] [--sign-in-timeout D]
       stamp-send account logout NAME      ` + i18n.T("send.account.synopsis.alias_signout", "(alias: signout)") + "\n"
}

// oauthNotes explains the sign-in synopsis in the person's language.
func oauthNotes() string {
	return i18n.T("send.account.oauth_notes", `--oauth signs in with the provider in your browser (stamp-send prints the
link and opens a browser when there is one, then waits for it to come back
to http://127.0.0.1:PORT/callback), or with --device (Microsoft, custom) on
any other device with a code. The refresh token goes to the system keyring;
sending with --account NAME gets a fresh access token each time. A client
secret (of your own client) is read from an environment variable and kept in
the keyring, never in the settings file. login signs in again. logout
revokes the sign-in where the provider can (Google; Microsoft cannot) and
deletes it and the client secret from the keyring; the settings stay.`) + "\n"
}

// openBrowser opens a web address in the person's browser. Tests replace
// it (oauth_test.go), so no test ever starts a browser.
var openBrowser = systemOpenBrowser

// systemOpenBrowser asks the desktop to open u: open on macOS, rundll32 on
// Windows, xdg-open elsewhere when a graphical session is there.
func systemOpenBrowser(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	case "darwin":
		cmd = exec.Command("open", u)
	default:
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return errors.New(i18n.T("send.signin.no_graphical_session", "no graphical session"))
		}
		cmd = exec.Command("xdg-open", u)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// oauthHTTPClient makes the sign-in's requests to the provider (nil:
// http.DefaultClient).
var oauthHTTPClient = func() *http.Client { return nil }

// signInFlags are the flags of a sign-in, for add --oauth and login.
type signInFlags struct {
	device          bool
	clientSecretEnv string
	timeout         time.Duration
}

func (s *signInFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&s.device, "device", false, "sign in on another device with a code (Microsoft, custom)")
	fs.StringVar(&s.clientSecretEnv, "client-secret-env", "", "read your own client's secret from environment variable `VAR`")
	fs.DurationVar(&s.timeout, "sign-in-timeout", oauth.DefaultTimeout, "how long to wait for the browser to come back")
}

// oauthFlags are the sign-in settings of account add.
type oauthFlags struct {
	provider, clientID, tenant, issuer, authURL, tokenURL, deviceAuthURL, revocationURL, scopes string
	signIn                                                                                      signInFlags
}

func (f *oauthFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.provider, "oauth", "", "sign in with `PROVIDER`: google, microsoft or custom")
	fs.StringVar(&f.clientID, "client-id", "", "your own OAuth client `ID` (default: Stamp's)")
	fs.StringVar(&f.tenant, "tenant", "", "Microsoft tenant (default common)")
	fs.StringVar(&f.issuer, "issuer", "", "custom: the authorization server's issuer `URL` (discovery)")
	fs.StringVar(&f.authURL, "auth-url", "", "custom: authorization endpoint `URL`")
	fs.StringVar(&f.tokenURL, "token-url", "", "custom: token endpoint `URL`")
	fs.StringVar(&f.deviceAuthURL, "device-auth-url", "", "custom: device authorization endpoint `URL`")
	fs.StringVar(&f.revocationURL, "revocation-url", "", "custom: revocation endpoint `URL`")
	fs.StringVar(&f.scopes, "scopes", "", "scopes, separated by spaces or commas (required for custom)")
	f.signIn.register(fs)
}

// apply puts the sign-in settings into a (nothing without --oauth, where
// the other sign-in flags are an error).
func (f *oauthFlags) apply(a *account.Account, password bool) error {
	if f.provider == "" {
		for name, v := range map[string]string{"--client-id": f.clientID, "--tenant": f.tenant, "--issuer": f.issuer,
			"--auth-url": f.authURL, "--token-url": f.tokenURL, "--device-auth-url": f.deviceAuthURL,
			"--revocation-url": f.revocationURL, "--scopes": f.scopes, "--client-secret-env": f.signIn.clientSecretEnv} {
			if v != "" {
				return usagef("%s", i18n.T("send.usage.needs_oauth", "{{.Flag}} needs --oauth google|microsoft|custom", map[string]any{"Flag": fmt.Sprint(name)}))
			}
		}
		if f.signIn.device {
			return usagef("%s", i18n.T("send.usage.device_needs_oauth", "--device needs --oauth microsoft|custom"))
		}
		return nil
	}
	p, err := account.ParseOAuthProvider(f.provider)
	if err != nil {
		return usagef("--oauth: %v", err)
	}
	if password {
		return usagef("%s", i18n.T("send.usage.oauth_no_password", "--oauth signs in with the provider: leave out the password (a client secret comes with --client-secret-env VAR)"))
	}
	if f.signIn.device && p == account.OAuthGoogle {
		return usagef("%s", i18n.T("send.usage.device_google", "--device: Google does not offer sign-in on another device for mail; sign in in the browser"))
	}
	a.OAuth = &account.OAuthSettings{Provider: p, ClientID: strings.TrimSpace(f.clientID), Tenant: f.tenant, Issuer: f.issuer,
		AuthURL: f.authURL, TokenURL: f.tokenURL, DeviceAuthURL: f.deviceAuthURL, RevocationURL: f.revocationURL,
		Scopes: strings.FieldsFunc(f.scopes, func(r rune) bool { return r == ' ' || r == ',' })}
	if a.Auth == "" {
		a.Auth = account.AuthAuto // not a preset's password mechanism
	}
	return nil
}

// checkSignIn finds out, before account add saves anything, whether a
// sign-in can start: a client ID (built in or given), the client secret's
// variable set, a custom provider's endpoints (discovered from its issuer).
func (c *accountCmd) checkSignIn(a account.Account, f signInFlags) error {
	secret, err := f.clientSecret()
	if err != nil {
		return err
	}
	settings, err := oauth.SettingsFor(a, secret)
	if err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()
	p, err := oauth.Resolve(ctx, settings, oauthHTTPClient())
	var nc *oauth.NoClientIDError
	if errors.As(err, &nc) {
		return usagef("%s", i18n.T("send.usage.no_client_id_add", "{{.Error}}\nThen add --client-id ID (and --client-secret-env VAR if the client has a secret). Nothing was saved", map[string]any{"Error": fmt.Sprint(err)}))
	}
	if err != nil {
		return usagef("%s", i18n.T("send.usage.oauth_unusable", "--oauth {{.Provider}}: {{.Error}}. Nothing was saved", map[string]any{"Provider": fmt.Sprint(a.OAuth.Provider), "Error": fmt.Sprint(err)}))
	}
	if f.device && !p.Device() {
		return usagef("%s", i18n.T("send.usage.device_unsupported", "--device: {{.Error}}. Nothing was saved", map[string]any{"Error": fmt.Sprint(oauth.ErrDeviceUnsupported)}))
	}
	return nil
}

// clientSecret reads --client-secret-env's variable ("" without the flag).
func (s signInFlags) clientSecret() (string, error) {
	if s.clientSecretEnv == "" {
		return "", nil
	}
	secret, ok := os.LookupEnv(s.clientSecretEnv)
	if !ok || secret == "" {
		return "", usagef("%s", i18n.T("send.usage.client_secret_env_unset", "--client-secret-env {{.Var}}: the variable is not set", map[string]any{"Var": fmt.Sprint(s.clientSecretEnv)}))
	}
	return secret, nil
}

// login signs in again to a saved OAuth account.
func (c *accountCmd) login(args []string) error {
	var f signInFlags
	fs := flag.NewFlagSet("account login", flag.ContinueOnError)
	f.register(fs)
	a, err := c.named(fs, args)
	if err != nil {
		return err
	}
	if a.OAuth == nil {
		return usagef("%s", i18n.T("send.usage.login_password", "account {{.Account}} logs in with a password, not a sign-in; save one with stamp-send account password {{.ID}} --password-stdin", map[string]any{"Account": fmt.Sprintf("%q", a.ID), "ID": fmt.Sprint(a.ID)}))
	}
	return c.signIn(a, f)
}

// signIn runs the sign-in for the saved account a and keeps the refresh
// token in the keyring.
func (c *accountCmd) signIn(a account.Account, f signInFlags) error {
	if err := c.open(); err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()
	secret, err := f.clientSecret()
	if err != nil {
		return err
	}
	if secret != "" {
		if err := c.secrets.SaveClientSecret(ctx, a.ID, secret); err != nil {
			return fmt.Errorf("%s: %w", i18n.T("send.signin.keep_secret", "keep the client secret in the system keyring"), err)
		}
	}
	p, err := oauth.ProviderFor(ctx, a, c.secrets, oauthHTTPClient())
	var nc *oauth.NoClientIDError
	if errors.As(err, &nc) {
		return usagef("%s", i18n.T("send.usage.no_client_id_login", "{{.Error}}\nThen: stamp-send account add {{.ID}} --replace --from {{.Address}} --oauth {{.Provider}} --client-id ID ...", map[string]any{"Error": fmt.Sprint(err), "ID": fmt.Sprint(a.ID), "Address": fmt.Sprint(a.Address), "Provider": fmt.Sprint(a.OAuth.Provider)}))
	}
	if err != nil {
		return err
	}
	var tok *oauth.Tokens
	if f.device {
		tok, err = c.deviceSignIn(ctx, p)
	} else {
		tok, err = c.browserSignIn(ctx, p, a, f.timeout)
	}
	if err != nil {
		c.code = exitAuth
		if errors.Is(err, oauth.ErrTimedOut) || errors.Is(err, oauth.ErrCancelled) {
			c.code = exitTimeout
		}
		if x, ok := oauth.ExplainSignIn(p.Kind, err); ok {
			return fmt.Errorf("%s: %w\n%s %s\n%s", i18n.T("send.signin.not_signed_in", "not signed in"), err, x.Cause, x.Fix,
				i18n.T("send.signin.try_again", "Try again with: stamp-send account login {{.ID}}", map[string]any{"ID": a.ID}))
		}
		return fmt.Errorf("%s: %w\n%s", i18n.T("send.signin.not_signed_in", "not signed in"), err,
			i18n.T("send.signin.try_again", "Try again with: stamp-send account login {{.ID}}", map[string]any{"ID": a.ID}))
	}
	loc, err := oauth.NewManager(c.secrets).Session(a.ID, p).CompleteTokens(ctx, tok)
	if err != nil {
		return err
	}
	if loc != account.LocationKeyring {
		fmt.Fprintln(c.stderr, i18n.T("send.signin.not_saved", "Signed in, but the sign-in was NOT saved: {{.Problem}}", map[string]any{"Problem": fmt.Sprint(c.secrets.Problem())}))
		c.code = exitFailure
		return nil
	}
	fmt.Fprintln(c.stdout, i18n.T("send.signin.done", "Signed in with {{.Provider}}; the sign-in is kept in the system keyring. Send with: stamp-send --account {{.ID}} ...",
		map[string]any{"Provider": p.Kind.Name(), "ID": a.ID}))
	return nil
}

func (c *accountCmd) browserSignIn(ctx context.Context, p *oauth.Provider, a account.Account, timeout time.Duration) (*oauth.Tokens, error) {
	s, err := oauth.Start(p, oauth.Options{Timeout: timeout, LoginHint: a.Address})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	fmt.Fprintf(c.stdout, "%s\n\n  %s\n\n", i18n.T("send.signin.open_link", "To sign in with {{.Provider}}, open this link in your browser:", map[string]any{"Provider": p.Kind.Name()}), s.AuthURL())
	if err := openBrowser(s.AuthURL()); err == nil {
		fmt.Fprintln(c.stdout, i18n.T("send.signin.browser_opened", "(A browser window should have opened.)"))
	}
	fmt.Fprintln(c.stdout, i18n.T("send.signin.waiting", "Waiting for the browser to come back (up to {{.Timeout}}; Ctrl-C cancels)...", map[string]any{"Timeout": timeout.String()}))
	return s.WaitTokens(ctx)
}

func (c *accountCmd) deviceSignIn(ctx context.Context, p *oauth.Provider) (*oauth.Tokens, error) {
	d, err := oauth.StartDevice(ctx, p)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c.stdout, "%s\n\n  %s\n\n%s\n", i18n.T("send.signin.device_open", "To sign in with {{.Provider}} on any device, open", map[string]any{"Provider": p.Kind.Name()}),
		d.VerificationURI(), i18n.T("send.signin.device_code", "and enter the code {{.Code}} (valid until {{.Until}}). Waiting (Ctrl-C cancels)...",
			map[string]any{"Code": d.UserCode(), "Until": d.Expiry().Local().Format("15:04")}))
	return d.WaitTokens(ctx)
}

// signedIn reports whether --account names an OAuth account whose token
// comes from its sign-in (not from --password-stdin/--password-env).
func (o *options) signedIn() bool {
	return o.saved != nil && o.saved.OAuth != nil && !o.PasswordStdin && o.PasswordEnv == ""
}

// transmit sends through the engine; for a signed-in account through
// oauth.Send, which gets a fresh access token first.
func (o *options) transmit(ctx context.Context, cfg smtpclient.Config, env smtpclient.Envelope, m smtpclient.Message, out *transcript) (*smtpclient.Result, error) {
	if !o.signedIn() {
		return smtpclient.Send(ctx, cfg, env, m, out.event)
	}
	secrets := newSecrets()
	secrets.Timeout = accountKeyringTimeout
	// --timeout bounds each step: the provider's discovery and each token
	// request too, so a silent provider cannot hold a cron job for ever.
	pctx, cancel := context.WithTimeout(ctx, o.Timeout)
	p, err := oauth.ProviderFor(pctx, *o.saved, secrets, oauthHTTPClient())
	cancel()
	if err != nil {
		if errors.Is(pctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, fmt.Errorf("%w: %v", oauth.ErrNoAnswer, err)
		}
		return nil, err
	}
	p.Timeout = o.Timeout
	session := oauth.NewManager(secrets).Session(o.saved.ID, p)
	res, err := oauth.Send(ctx, session, cfg, env, m, out.event)
	if u := session.Unsaved(); u != nil {
		// The message is sent (or not) all the same, and the exit code
		// says which: a script that sees a failure may send it twice. The
		// lost sign-in is said here, and next time as exit 4.
		fmt.Fprintf(out.w, "stamp-send: %s\n%s\n", i18n.T("send.signin.warning", "warning: {{.Problem}}", map[string]any{"Problem": printableLines(u.Error())}),
			i18n.T("send.signin.after_unlocking", "After unlocking it: stamp-send account login {{.ID}}", map[string]any{"ID": o.saved.ID}))
	}
	var sa *oauth.SignInAgainError
	if errors.As(err, &sa) {
		return res, fmt.Errorf("%w\n%s", err, i18n.T("send.signin.again_with", "Sign in again with: stamp-send account login {{.ID}}", map[string]any{"ID": o.saved.ID}))
	}
	return res, err
}

// oauthExitCode is exitCode, with a sign-in to renew an authentication
// failure.
func oauthExitCode(res *smtpclient.Result, err error) int {
	switch {
	case errors.Is(err, oauth.ErrSignInAgain):
		return exitAuth
	case errors.Is(err, oauth.ErrNoAnswer):
		return exitTimeout
	}
	return exitCode(res, err)
}

// explainOAuth prints what Stamp knows of an OAuth login refusal, or of a
// sign-in the provider no longer accepts.
func explainOAuth(w io.Writer, err error) {
	var ae *oauth.AuthError
	var sa *oauth.SignInAgainError
	switch {
	case errors.As(err, &ae) && ae.Explained:
		fmt.Fprintln(w, "stamp-send: "+smtpclient.Printable(ae.Explanation.Cause+" "+ae.Explanation.Fix))
	case errors.As(err, &sa):
		if x, ok := oauth.ExplainSignIn(sa.Provider, err); ok {
			fmt.Fprintln(w, "stamp-send: "+smtpclient.Printable(x.Cause))
		}
	}
}

// testSignedIn is account test for an OAuth account: a connection test
// that logs in with a fresh token of the account's sign-in (oauth.Probe).
func (c *accountCmd) testSignedIn(a account.Account, timeout time.Duration, quiet, asJSON bool) error {
	ctx, stop := signalContext()
	defer stop()
	p, err := oauth.ProviderFor(ctx, a, c.secrets, oauthHTTPClient())
	if err != nil {
		return err
	}
	p.Timeout = timeout
	cfg := a.SMTPConfig(account.Credential{})
	cfg.Timeout = timeout
	out := &transcript{w: c.stderr, quiet: quiet, json: asJSON}
	caps, err := oauth.Probe(ctx, oauth.NewManager(c.secrets).Session(a.ID, p), cfg, out.event)
	if err != nil {
		c.code = oauthExitCode(nil, err)
		if errors.Is(err, oauth.ErrSignInAgain) {
			return fmt.Errorf("%w\n%s", err, i18n.T("send.signin.again_with", "Sign in again with: stamp-send account login {{.ID}}", map[string]any{"ID": a.ID}))
		}
		var ae *oauth.AuthError
		if errors.As(err, &ae) && ae.Explained {
			return fmt.Errorf("%w\n%s", c.testFailed(a, err), ae.Explanation.Cause+" "+ae.Explanation.Fix)
		}
		return c.testFailed(a, err)
	}
	fmt.Fprintln(c.stdout, smtpclient.Printable(testSummary(a, cfg, caps)))
	return nil
}

// signInSummary describes an OAuth account's sign-in settings for account
// show (the refresh token's place is the Password row).
func signInSummary(a account.Account) string {
	o := a.OAuth
	parts := []string{string(o.Provider)}
	if o.ClientID != "" {
		parts = append(parts, i18n.T("send.signin.summary.client", "client {{.ID}}", map[string]any{"ID": o.ClientID}))
	} else {
		parts = append(parts, i18n.T("send.signin.summary.stamp_client", "Stamp's client"))
	}
	if o.Tenant != "" {
		parts = append(parts, i18n.T("send.signin.summary.tenant", "tenant {{.Tenant}}", map[string]any{"Tenant": o.Tenant}))
	}
	if o.Issuer != "" {
		parts = append(parts, i18n.T("send.signin.summary.issuer", "issuer {{.URL}}", map[string]any{"URL": o.Issuer}))
	}
	if o.TokenURL != "" {
		parts = append(parts, i18n.T("send.signin.summary.token_url", "token endpoint {{.URL}}", map[string]any{"URL": o.TokenURL}))
	}
	if len(o.Scopes) > 0 {
		parts = append(parts, i18n.T("send.signin.summary.scopes", "scopes {{.Scopes}}", map[string]any{"Scopes": strings.Join(o.Scopes, " ")}))
	}
	return strings.Join(parts, i18n.T("send.list.clause_sep", ", ")) + i18n.T("send.signin.summary.again", " ({{.Command}} signs in again)", map[string]any{"Command": "stamp-send account login " + a.ID})
}
