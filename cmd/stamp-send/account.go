package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"stamp/account"
	"stamp/i18n"
	"stamp/oauth"
	"stamp/smtpclient"
)

// The account subcommand and --account NAME: saved settings in
// account.Store, passwords in the OS keyring through account.Secrets.

// Seams for tests: the settings folder comes from account.DefaultDir
// ($STAMP_CONFIG_DIR or the user config folder); the keyring can be
// replaced by an in-memory one.
var (
	openStore  = func() (*account.Store, error) { return account.Open("") }
	newSecrets = account.NewSecrets
)

// accountKeyringTimeout bounds each keyring call from the command line; a
// terminal user is not waiting for a prompt they cannot see.
const accountKeyringTimeout = 10 * time.Second

const accountSynopsis = `usage: stamp-send account add NAME --from ADDR [--server HOST[:PORT]] [--security tls|starttls|none]
                            [--user U] [--auth auto|plain|login|cram-md5|xoauth2|oauthbearer|none]
                            [--ca-file PEM] [--pin SHA256]
                            [--label L] [--default] [--replace] [--no-sent-copy] [--probe [--timeout D]]
                            [--resolver HOST:PORT] [--ispdb URL] [--allow-http] [--accept-warnings]
                            [--password-stdin | --password-env VAR]
       stamp-send account list [--json]
       stamp-send account show NAME [--json]
       stamp-send account remove NAME
       stamp-send account test NAME [--timeout DURATION] [--quiet | --json] [--password-stdin | --password-env VAR]
       stamp-send account password NAME (--password-stdin | --password-env VAR)
       stamp-send account default NAME
       stamp-send account reset
       stamp-send account discover ADDR [--json] [--resolver HOST:PORT] [--ispdb URL] [--ca-file PEM] [--allow-http]

`

// accountNotes explains the account synopsis in the person's language.
func accountNotes() string {
	return i18n.T("send.account.usage_notes", `Without --server, add takes the settings from Stamp's provider presets for
the address's domain (instant, offline); for another domain it looks them
up as "account discover" does (the domain's autoconfig file, the ISP
database, MX and SRV records; --resolver, --ispdb, --allow-http and add's
--ca-file as there) and says where they came from. Settings with a warning
(a server in another domain, unverified, a guess) are saved only with
--accept-warnings; a server without encryption never. When nothing is found,
the settings are a guess, clearly marked; when the lookup's own check found
no server answering there, saving it also needs --accept-warnings (or
--probe). An ISP database over plain HTTP needs --allow-http. --probe tries
the servers in order, without logging in, and saves the first that answers
with TLS or STARTTLS.
--pin trusts exactly the server certificate with that SHA-256 fingerprint
(64 hex digits, colons allowed; security tls or starttls only), for a
server with a self-signed certificate; stamp-send prints the fingerprint
and this command when it meets one.
Passwords go to the system keyring, never to the settings file, and are never
taken from a flag value. list and show say where each password is kept.
reset keeps an unreadable settings file aside as accounts.json.broken-<time>
and starts with no accounts.`) + "\n"
}

// accountHelp is "stamp-send account --help": the synopses, then the notes.
func accountHelp() string {
	return accountSynopsis + accountNotes() + oauthSynopsis() + "\n" + oauthNotes()
}

// accountCommand runs "stamp-send account ...".
func accountCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, accountHelp())
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	c := &accountCmd{stdin: stdin, stdout: stdout, stderr: stderr}
	sub, rest := args[0], args[1:]
	if sub == "discover" {
		return discoverCommand(rest, stdout, stderr)
	}
	handlers := map[string]func([]string) error{
		"add": c.add, "list": c.list, "show": c.show, "remove": c.remove,
		"test": c.test, "password": c.password, "default": c.setDefault, "reset": c.reset,
		"login": c.login, "logout": c.logout, "signout": c.logout,
	}
	h, ok := handlers[sub]
	if !ok {
		fmt.Fprintf(stderr, "stamp-send account: %s\n%s", i18n.T("send.account.unknown_command", "unknown command {{.Command}}", map[string]any{"Command": fmt.Sprintf("%q", sub)}), accountHelp())
		return exitUsage
	}
	err := h(rest)
	if err == nil {
		return c.code
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, accountHelp())
		return exitOK
	}
	// Errors may quote a server (test, add --probe) or a settings file:
	// each line is made printable, the lines stamp-send laid out are kept.
	fmt.Fprintln(stderr, "stamp-send account "+sub+": "+printableLines(err.Error()))
	var broken *account.BrokenFileError
	if errors.As(err, &broken) {
		fmt.Fprintln(stderr, i18n.T("send.account.reset_hint", "To keep the file aside and start with no accounts, run: stamp-send account reset"))
	}
	var ue *usageError
	var ve *account.ValidationError
	if errors.As(err, &ue) || errors.As(err, &ve) || errors.Is(err, account.ErrNoAccount) || errors.Is(err, account.ErrAccountExists) {
		return exitUsage
	}
	if c.code != exitOK {
		return c.code
	}
	return exitFailure
}

type accountCmd struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	code           int // exit code when the handler returns nil
	store          *account.Store
	secrets        *account.Secrets
	found          *discovered // what discovery found for add, if it was used
}

func (c *accountCmd) open() error {
	if c.store != nil {
		return nil
	}
	s, err := openStore()
	if err != nil {
		return err
	}
	c.store = s
	c.secrets = newSecrets()
	c.secrets.Timeout = accountKeyringTimeout
	return nil
}

// named parses the flags and the NAME of a subcommand about one saved
// account, and finds that account.
func (c *accountCmd) named(fs *flag.FlagSet, args []string) (account.Account, error) {
	name, err := parseWithName(fs, args, true)
	if err != nil {
		return account.Account{}, err
	}
	if err := c.open(); err != nil {
		return account.Account{}, err
	}
	return c.store.Find(name)
}

// parseWithName parses flags that may come before or after one NAME.
func parseWithName(fs *flag.FlagSet, args []string, needName bool) (string, error) {
	fs.SetOutput(io.Discard)
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", err
			}
			if strings.Contains(err.Error(), "-password") && !strings.Contains(err.Error(), "-password-") {
				return "", usagef("%s", i18n.T("send.usage.password_flag", "a password is never taken from a flag (it would show in the process list); use --password-stdin or --password-env VAR"))
			}
			return "", usagef("%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(names) > 1:
		return "", usagef("%s", i18n.T("send.usage.one_name", "one account name expected, got {{.Names}}", map[string]any{"Names": fmt.Sprintf("%q", names)}))
	case needName && len(names) == 0:
		return "", usagef("%s", i18n.T("send.usage.name_missing", "the account NAME is missing (see stamp-send account --help)"))
	case !needName && len(names) > 0:
		return "", usagef("%s", i18n.T("send.usage.unexpected_arg", "unexpected argument {{.Arg}}", map[string]any{"Arg": fmt.Sprintf("%q", names[0])}))
	}
	if len(names) == 1 {
		return names[0], nil
	}
	return "", nil
}

// passwordFlags are --password-stdin and --password-env VAR.
type passwordFlags struct {
	stdin bool
	env   string
}

func (p *passwordFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&p.stdin, "password-stdin", false, "read the password from the first line of stdin")
	fs.StringVar(&p.env, "password-env", "", "read the password from environment variable `VAR`")
}

// read returns the password, or "" when neither flag was given.
func (p *passwordFlags) read(stdin io.Reader) (string, error) {
	o := options{PasswordStdin: p.stdin, PasswordEnv: p.env}
	if p.stdin && p.env != "" {
		return "", usagef("%s", i18n.T("send.usage.password_both", "--password-env and --password-stdin: give one or the other"))
	}
	if err := o.readPassword(stdin); err != nil {
		return "", err
	}
	return o.Password, nil
}

// addFlags are the flags of "account add".
type addFlags struct {
	from, server, security, user, auth, caFile, label, pin string
	makeDefault, replace, noSent, probe                    bool
	probeTimeout                                           time.Duration
	pw                                                     passwordFlags
	disc                                                   addDiscoverFlags
	oauth                                                  oauthFlags
}

func (f *addFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.from, "from", "", "sender `ADDR` (\"Name <a@b>\")")
	fs.StringVar(&f.server, "server", "", "SMTP server `HOST[:PORT]` (default: from the provider presets)")
	fs.StringVar(&f.security, "security", "", "tls, starttls or none")
	fs.StringVar(&f.user, "user", "", "login name (default: the address)")
	fs.StringVar(&f.auth, "auth", "", smtpclient.AuthNames(true))
	fs.StringVar(&f.caFile, "ca-file", "", "trust the CA certificates in `PEM`")
	fs.StringVar(&f.pin, "pin", "", "trust exactly the server certificate with this `SHA256` fingerprint")
	fs.StringVar(&f.label, "label", "", "what to call the account")
	fs.BoolVar(&f.makeDefault, "default", false, "make it the default account")
	fs.BoolVar(&f.replace, "replace", false, "replace an existing account with this name")
	fs.BoolVar(&f.noSent, "no-sent-copy", false, "do not keep a copy of sent messages")
	fs.BoolVar(&f.probe, "probe", false, "without --server: try the preset's servers in order and save the first that answers securely")
	fs.DurationVar(&f.probeTimeout, "timeout", 10*time.Second, "with --probe: time limit per network step")
	f.pw.register(fs)
	f.disc.register(fs)
	f.oauth.register(fs)
}

// add saves an account: its flags, then its server (given, or chosen from
// the provider presets, perhaps by probing), then the settings and the
// password, each step saying what it did.
func (c *accountCmd) add(args []string) error {
	var f addFlags
	fs := flag.NewFlagSet("account add", flag.ContinueOnError)
	f.register(fs)
	name, err := parseWithName(fs, args, true)
	if err != nil {
		return err
	}
	a, sec, err := f.account(name)
	if err != nil {
		return err
	}
	password, err := f.pw.read(c.stdin)
	if err != nil {
		return err
	}
	if err := f.oauth.apply(&a, password != ""); err != nil {
		return err
	}
	preset, err := c.chooseServer(&a, sec, &f)
	if err != nil {
		return err
	}
	if password != "" && !a.EffectiveAuth().NeedsSecret() {
		return usagef("%s", i18n.T("send.usage.auth_none_password", "--auth none logs in without a password; leave out the password"))
	}
	if a.OAuth != nil {
		if err := c.checkSignIn(a, f.oauth.signIn); err != nil {
			return err
		}
	}
	var before account.Account
	if f.replace {
		if err := c.open(); err != nil {
			return err
		}
		before, _ = c.store.Get(a.ID)
	}
	if err := c.save(a, f.replace); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, i18n.T("send.account.saved", "Saved account {{.Account}}: {{.Address}} via {{.Server}} ({{.Security}}).", map[string]any{"Account": fmt.Sprintf("%q", a.ID), "Address": a.Address, "Server": a.Server(), "Security": a.Security.Describe()}))
	if before.OAuth != nil && a.OAuth == nil {
		// It logs in with a password now: its sign-in is not used any
		// more; end it, as the Accounts window does.
		if err := c.signOutReplaced(before); err != nil {
			return err
		}
	}
	if preset != nil {
		c.printPreset(*preset, a.ID)
	}
	if a.OAuth != nil {
		return c.signIn(a, f.oauth.signIn)
	}
	if password != "" {
		return c.savePassword(a.ID, password)
	}
	if a.EffectiveAuth().NeedsSecret() {
		if cred, loc, _ := c.secrets.Get(context.Background(), a.ID); f.replace && loc == account.LocationKeyring && cred.Kind == account.KindPassword {
			fmt.Fprintln(c.stdout, i18n.T("send.account.password_kept", "The password saved in the system keyring is kept."))
			return nil
		}
		fmt.Fprintln(c.stdout, i18n.T("send.account.no_password", "No password saved. Save one with: stamp-send account password {{.ID}} --password-stdin", map[string]any{"ID": a.ID}))
	}
	return nil
}

// account turns the flags into the account named name, without its
// server, and parses --security (applied by chooseServer).
func (f *addFlags) account(name string) (account.Account, account.Security, error) {
	var a account.Account
	if f.from == "" {
		return a, "", usagef("%s", i18n.T("send.usage.from_required", "--from ADDR is required"))
	}
	addr, err := mail.ParseAddress(f.from)
	if err != nil {
		return a, "", usagef("%s", i18n.T("send.usage.from_not_address", "--from {{.Address}}: not an email address", map[string]any{"Address": fmt.Sprintf("%q", f.from)}))
	}
	a = account.Account{ID: name, Label: f.label, Name: addr.Name, Address: addr.Address,
		Username: f.user, CAFile: f.caFile, SaveSent: !f.noSent, Default: f.makeDefault}
	if a.CAFile != "" {
		if abs, err := filepath.Abs(a.CAFile); err == nil {
			a.CAFile = abs
		}
	}
	if f.pin != "" {
		if a.PinnedSHA256, err = account.NormalizeSHA256(f.pin); err != nil {
			return a, "", usagef("--pin: %v", err)
		}
	}
	if f.auth != "" {
		if a.Auth, err = account.ParseAuthMechanism(f.auth); err != nil {
			return a, "", usagef("--auth: %v", err)
		}
	}
	var sec account.Security
	if f.security != "" {
		if sec, err = account.ParseSecurity(f.security); err != nil {
			return a, "", usagef("--security: %v", err)
		}
	}
	return a, sec, nil
}

// chooseServer fills in the account's server: from --server with the
// same defaults as sending, or from the provider preset for the address
// (the first of its servers, or with --probe the first that answers). It
// returns the preset it used, or nil.
func (c *accountCmd) chooseServer(a *account.Account, sec account.Security, f *addFlags) (*account.Preset, error) {
	if f.server != "" {
		// The same defaults as sending with --server: port 465 means TLS,
		// another port STARTTLS; no port means the mode's usual one.
		o := options{Server: f.server, Security: string(sec)}
		if err := o.resolveServer(); err != nil {
			return nil, err
		}
		a.Host, a.Port, a.Security = o.Host, o.Port, account.Security(o.Security)
		return nil, nil
	}
	p, err := account.Lookup(a.Address)
	if err != nil {
		return nil, usagef("--from: %v", err)
	}
	var found *discovered
	if p.Guess {
		// No built-in preset: ask the domain's own settings file, the
		// ISP database, MX and SRV before falling back to the guess.
		dp, d, ok, err := c.discoverForAdd(*a, f)
		if err != nil {
			return nil, err
		}
		if ok {
			p, found = dp, d
		}
	}
	candidates := p
	if sec != "" {
		candidates.Endpoints = nil
		for _, e := range p.Endpoints {
			if e.Security == sec {
				candidates.Endpoints = append(candidates.Endpoints, e)
			}
		}
		if len(candidates.Endpoints) == 0 {
			return nil, usagef("%s", i18n.T("send.usage.security_not_offered", "--security {{.Security}}: {{.Provider}} offers {{.Endpoints}}; give --server to choose yourself", map[string]any{"Security": fmt.Sprint(sec), "Provider": fmt.Sprint(p.Provider), "Endpoints": fmt.Sprint(endpointList(p.Endpoints))}))
		}
	}
	i := 0
	if f.probe {
		if i, err = c.probeEndpoints(candidates, *a, f.probeTimeout); err != nil {
			return nil, err
		}
	}
	e := candidates.Endpoints[i]
	a.Host, a.Port, a.Security = e.Host, e.Port, e.Security
	if a.Auth == "" {
		a.Auth = p.Auth
	}
	if found != nil {
		if a.Username == "" {
			a.Username = found.username(e, a.Address)
		}
		c.found = found
	}
	return &p, nil
}

// probeEndpoints tries the candidates in order, without logging in, with
// the transcript on stderr, and returns the index of the first that
// answers securely.
func (c *accountCmd) probeEndpoints(candidates account.Preset, a account.Account, timeout time.Duration) (int, error) {
	base := smtpclient.Config{Timeout: timeout, CAFile: a.CAFile, PinnedSHA256: a.PinnedSHA256, Dialer: accountDialer}
	out := &transcript{w: c.stderr}
	i, err := candidates.FindEndpoint(context.Background(), base, out.event)
	if err != nil {
		c.code = exitConnect
		return 0, fmt.Errorf("%w\n%s", err, i18n.T("send.account.probe_failed", "Nothing was saved. Give --server HOST:PORT to choose the server yourself"))
	}
	return i, nil
}

// save adds the account, or with replace puts it in place of one with
// the same name.
func (c *accountCmd) save(a account.Account, replace bool) error {
	if err := c.open(); err != nil {
		return err
	}
	var err error
	if replace {
		err = c.store.Put(a)
	} else {
		err = c.store.Add(a)
	}
	if errors.Is(err, account.ErrAccountExists) {
		return fmt.Errorf("%w%s", err, i18n.T("send.account.exists_hint", "; choose another name, or add --replace"))
	}
	return err
}

// savePassword stores the password in the keyring and says where it went.
// A keyring that cannot take it is reported and gives exit code 1: a
// session-only password is of no use to a command that ends now.
func (c *accountCmd) savePassword(id, password string) error {
	loc, err := c.secrets.SavePassword(context.Background(), id, password)
	if err != nil {
		return err
	}
	if loc == account.LocationKeyring {
		fmt.Fprintln(c.stdout, i18n.T("send.account.password_saved", "Password saved in the system keyring."))
		return nil
	}
	fmt.Fprintln(c.stderr, i18n.T("send.account.password_not_saved", "The password was NOT saved: {{.Problem}}\nWhen sending, pass it with --password-stdin or --password-env VAR.", map[string]any{"Problem": fmt.Sprint(c.secrets.Problem())}))
	c.code = exitFailure
	return nil
}

func (c *accountCmd) printPreset(p account.Preset, id string) {
	w := c.stdout
	switch {
	case p.Guess:
		fmt.Fprintln(w, i18n.T("send.account.guess", "Stamp has no preset for {{.Provider}}: these settings are a GUESS. Alternatives: {{.Alternatives}}.",
			map[string]any{"Provider": p.Provider, "Alternatives": endpointList(p.Endpoints)}))
	case c.found != nil:
		data := map[string]any{"From": smtpclient.Printable(c.found.cand.From), "Login": p.Login.String()}
		if p.Unverified {
			fmt.Fprintln(w, i18n.T("send.account.found_unverified", "Where the settings came from: {{.From}} (unverified). Login: {{.Login}}.", data))
		} else {
			fmt.Fprintln(w, i18n.T("send.account.found", "Where the settings came from: {{.From}}. Login: {{.Login}}.", data))
		}
	default:
		data := map[string]any{"Provider": p.DisplayName(), "Login": p.Login.String()}
		if p.Unverified {
			fmt.Fprintln(w, i18n.T("send.account.preset_unverified", "Settings from the {{.Provider}} preset (from third-party pages; please confirm). Login: {{.Login}}.", data))
		} else {
			fmt.Fprintln(w, i18n.T("send.account.preset", "Settings from the {{.Provider}} preset. Login: {{.Login}}.", data))
		}
	}
	if len(p.Checklist) > 0 {
		fmt.Fprintln(w, i18n.T("send.account.checklist", "Before the first send:"))
		english := i18n.Language() == i18n.English
		for i, n := range p.Checklist {
			fmt.Fprintf(w, "  %d. %s\n", i+1, n.String())
			if english && n.ZH != "" { // a Chinese provider's advice, also in Chinese
				fmt.Fprintf(w, "     %s\n", n.ZH)
			}
		}
	}
	if p.HelpURL != "" {
		fmt.Fprintln(w, i18n.T("send.account.help", "Help:"), p.HelpURL)
	}
	fmt.Fprintln(w, i18n.T("send.account.check", "Check the settings with: stamp-send account test {{.ID}}", map[string]any{"ID": id}))
}

func endpointList(es []account.Endpoint) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, i18n.T("send.account.then", ", then "))
}

// accountView is what list --json and show --json print: the settings and
// where the password lives, never the password.
type accountView struct {
	account.Account
	Default  bool   `json:"default"`
	Server   string `json:"server"`
	Login    string `json:"login"`
	Password string `json:"password_location"`
	Problem  string `json:"keyring_problem,omitempty"`
	// place is Password for people, in their language.
	place string
}

func (c *accountCmd) view(a account.Account) accountView {
	v := accountView{Account: a, Default: a.Default, Server: a.Server(), Login: a.Login()}
	if !a.EffectiveAuth().NeedsSecret() {
		v.Password = "not needed"
		v.place = i18n.T("send.account.password.not_needed", "not needed")
		v.Login = ""
		return v
	}
	loc, err := c.secrets.Location(context.Background(), a.ID)
	v.Password, v.place = loc.String(), passwordPlace(loc)
	var ku *account.KeyringUnavailableError
	if errors.As(err, &ku) {
		v.Problem = ku.Error()
	}
	return v
}

func (c *accountCmd) list(args []string) error {
	fs := flag.NewFlagSet("account list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object per account")
	if _, err := parseWithName(fs, args, false); err != nil {
		return err
	}
	if err := c.open(); err != nil {
		return err
	}
	list, err := c.store.List()
	if err != nil {
		return err
	}
	if *asJSON {
		for _, a := range list {
			if err := writeJSONLine(c.stdout, c.view(a)); err != nil {
				return err
			}
		}
		return nil
	}
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, i18n.T("send.account.none", "No saved accounts. Add one with: stamp-send account add NAME --from ADDR"))
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, i18n.T("send.account.list_heading", "\tNAME\tADDRESS\tSERVER\tSECURITY\tPASSWORD"))
	var problem string
	for _, a := range list {
		v := c.view(a)
		mark := ""
		if a.Default {
			mark = "*"
		}
		cells := []string{mark, a.ID, a.Address, v.Server, string(a.Security), v.place}
		for i, c := range cells {
			cells[i] = smtpclient.Printable(c) // a settings file may have been edited by hand
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
		if v.Problem != "" {
			problem = v.Problem
		}
	}
	tw.Flush()
	if problem != "" {
		fmt.Fprintln(c.stderr, smtpclient.Printable(problem))
	}
	return nil
}

func (c *accountCmd) show(args []string) error {
	fs := flag.NewFlagSet("account show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object")
	a, err := c.named(fs, args)
	if err != nil {
		return err
	}
	v := c.view(a)
	if *asJSON {
		return writeJSONLine(c.stdout, v)
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		fmt.Fprintf(tw, "%s\t%s\n", i18n.T("send.account.show.row", "{{.Label}}:", map[string]any{"Label": k}), smtpclient.Printable(v))
	}
	row(i18n.T("send.account.show.name", "Name"), a.ID)
	row(i18n.T("send.account.show.label", "Label"), a.DisplayName())
	row(i18n.T("send.account.show.from", "From"), a.From())
	row(i18n.T("send.account.show.server", "Server"), v.Server)
	row(i18n.T("send.account.show.security", "Security"), string(a.Security)+" — "+a.Security.Describe())
	row(i18n.T("send.account.show.auth", "Auth"), string(a.EffectiveAuth()))
	if v.Login != "" {
		row(i18n.T("send.account.show.login", "Login"), v.Login)
	}
	row(i18n.T("send.account.show.password", "Password"), v.place)
	if a.OAuth != nil {
		row(i18n.T("send.account.show.sign_in", "Sign-in"), signInSummary(a))
	}
	if a.CAFile != "" {
		row(i18n.T("send.account.show.ca_file", "CA file"), a.CAFile)
	}
	if a.PinnedSHA256 != "" {
		row(i18n.T("send.account.show.pin", "Pinned certificate"), "SHA-256 "+a.PinnedSHA256)
	}
	row(i18n.T("send.account.show.sent_copy", "Sent copy"), map[bool]string{true: i18n.T("send.account.show.kept", "kept"), false: i18n.T("send.account.show.not_kept", "not kept")}[a.SaveSent])
	row(i18n.T("send.account.show.default", "Default"), map[bool]string{true: i18n.T("send.account.show.yes", "yes"), false: i18n.T("send.account.show.no", "no")}[a.Default])
	tw.Flush()
	if v.Problem != "" {
		fmt.Fprintln(c.stderr, smtpclient.Printable(v.Problem))
	}
	if err := a.Validate(); err != nil {
		complain(c.stderr, i18n.T("send.account.warning", "Warning:"), err)
	}
	return nil
}

func (c *accountCmd) remove(args []string) error {
	fs := flag.NewFlagSet("account remove", flag.ContinueOnError)
	a, err := c.named(fs, args)
	if err != nil {
		return err
	}
	err = c.store.Remove(context.Background(), a.ID, c.secrets)
	var ku *account.KeyringUnavailableError
	switch {
	case errors.As(err, &ku):
		// The settings are gone; only the keyring part failed.
		fmt.Fprintln(c.stdout, i18n.T("send.account.removed", "Removed account {{.Account}}.", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}))
		if ku.Reason == account.ReasonNoService {
			return nil // no keyring on this desktop: nothing can be stored in one
		}
		fmt.Fprintln(c.stderr, i18n.T("send.account.password_may_remain", "Its password may still be in the system keyring (service {{.Service}}, user {{.User}}): {{.Error}}", map[string]any{"Service": fmt.Sprintf("%q", account.KeyringService), "User": fmt.Sprintf("%q", a.ID), "Error": fmt.Sprint(ku)}))
		c.code = exitFailure
		return nil
	case err != nil:
		return err
	}
	fmt.Fprintln(c.stdout, i18n.T("send.account.removed_with_password", "Removed account {{.Account}} and its saved password.", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}))
	return nil
}

func (c *accountCmd) password(args []string) error {
	fs := flag.NewFlagSet("account password", flag.ContinueOnError)
	var pw passwordFlags
	pw.register(fs)
	a, err := c.named(fs, args)
	if err != nil {
		return err
	}
	password, err := pw.read(c.stdin)
	if err != nil {
		return err
	}
	if password == "" {
		return usagef("%s", i18n.T("send.usage.password_give", "give the password with --password-stdin or --password-env VAR"))
	}
	if a.OAuth != nil {
		return usagef("%s", i18n.T("send.usage.account_signs_in", "account {{.Account}} signs in with {{.Provider}}, not a password: use stamp-send account login {{.ID}} (or account logout {{.ID}} to end the sign-in)", map[string]any{"Account": fmt.Sprintf("%q", a.ID), "Provider": fmt.Sprint(oauth.Kind(a.OAuth.Provider).Name()), "ID": fmt.Sprint(a.ID)}))
	}
	if !a.EffectiveAuth().NeedsSecret() {
		return usagef("%s", i18n.T("send.usage.account_auth_none", "account {{.Account}} logs in without a password (auth none)", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}))
	}
	return c.savePassword(a.ID, password)
}

func (c *accountCmd) setDefault(args []string) error {
	fs := flag.NewFlagSet("account default", flag.ContinueOnError)
	a, err := c.named(fs, args)
	if err != nil {
		return err
	}
	if err := c.store.SetDefault(a.ID); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, i18n.T("send.account.now_default", "{{.ID}} is now the default account.", map[string]any{"ID": fmt.Sprintf("%q", a.ID)}))
	return nil
}

func (c *accountCmd) reset(args []string) error {
	fs := flag.NewFlagSet("account reset", flag.ContinueOnError)
	if _, err := parseWithName(fs, args, false); err != nil {
		return err
	}
	if err := c.open(); err != nil {
		return err
	}
	kept, err := c.store.Reset()
	if err != nil {
		return err
	}
	if kept == "" {
		fmt.Fprintln(c.stdout, i18n.T("send.account.reset_none", "There was no settings file; starting with no accounts."))
		return nil
	}
	fmt.Fprintln(c.stdout, i18n.T("send.account.reset_kept", "The old settings file is kept as {{.Path}}; starting with no accounts.", map[string]any{"Path": kept}))
	fmt.Fprintln(c.stdout, i18n.T("send.account.reset_passwords", "Passwords saved in the keyring were left alone."))
	return nil
}

// probe is smtpclient.Probe, and accountDialer the dialer of add --probe
// (nil: the engine's own); tests replace them.
var (
	probe         = smtpclient.Probe
	accountDialer func(ctx context.Context, network, address string) (net.Conn, error)
)

// test connects to the account's server, logs in and says goodbye, with
// the live transcript on stderr: the "test connection" of the accounts
// dialog, from a terminal.
func (c *accountCmd) test(args []string) error {
	fs := flag.NewFlagSet("account test", flag.ContinueOnError)
	var pw passwordFlags
	pw.register(fs)
	timeout := fs.Duration("timeout", smtpclient.DefaultTimeout, "time limit per network step")
	quiet := fs.Bool("quiet", false, "print only the result")
	asJSON := fs.Bool("json", false, "write the session as JSON events, one per line")
	a, err := c.named(fs, args)
	if err != nil {
		return err
	}
	if *timeout <= 0 {
		return usagef("%s", i18n.T("send.usage.timeout_positive", "--timeout {{.Timeout}}: must be more than zero", map[string]any{"Timeout": fmt.Sprint(*timeout)}))
	}
	password, err := pw.read(c.stdin)
	if err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if a.OAuth != nil && password == "" {
		return c.testSignedIn(a, *timeout, *quiet, *asJSON)
	}
	cred := account.PasswordCredential(password)
	if password == "" && a.EffectiveAuth().NeedsSecret() {
		cred, _, err = c.secrets.Get(context.Background(), a.ID)
		switch {
		case errors.Is(err, account.ErrNoSecret):
			return usagef("%s", i18n.T("send.usage.no_password_saved", "no password is saved for {{.Account}}; pass it with --password-stdin or --password-env VAR, or save it with: stamp-send account password {{.ID}} --password-stdin", map[string]any{"Account": fmt.Sprintf("%q", a.ID), "ID": fmt.Sprint(a.ID)}))
		case err != nil:
			return usagef("%s", i18n.T("send.usage.pass_password", "{{.Error}}. Pass the password with --password-stdin or --password-env VAR", map[string]any{"Error": fmt.Sprint(err)}))
		}
	}
	cfg := a.SMTPConfig(cred)
	cfg.Timeout = *timeout
	ctx, stop := signalContext()
	defer stop()
	out := &transcript{w: c.stderr, quiet: *quiet, json: *asJSON}
	caps, err := probe(ctx, cfg, out.event)
	if err != nil {
		c.code = exitCode(nil, err)
		return c.testFailed(a, err)
	}
	fmt.Fprintln(c.stdout, smtpclient.Printable(testSummary(a, cfg, caps)))
	return nil
}

// testFailed explains a failed test for a person: the engine's
// explanation, how to trust an unknown certificate, and the other guesses
// when the settings were one.
func (c *accountCmd) testFailed(a account.Account, err error) error {
	msg := err.Error()
	var se *smtpclient.Error
	if errors.As(err, &se) {
		msg = se.Explain()
	}
	lines := []string{smtpclient.Printable(msg)}
	lines = append(lines, untrustedCertificate(err, addCommand(a), false)...)
	if p, lerr := account.Lookup(a.Address); lerr == nil && p.Guess && a.Host == p.Endpoints[0].Host {
		lines = append(lines, i18n.T("send.account.other_guesses", "The settings for {{.Provider}} were a guess; other guesses: {{.Guesses}} ({{.Command}})",
			map[string]any{"Provider": p.Provider, "Guesses": endpointList(p.Endpoints), "Command": "stamp-send account add " + a.ID + " --from " + a.Address + " --server HOST:PORT --replace"}))
	}
	return &testError{text: strings.Join(lines, "\n"), err: err}
}

// testError is a failed account test, explained over several lines.
type testError struct {
	text string
	err  error
}

func (e *testError) Error() string { return e.text }
func (e *testError) Unwrap() error { return e.err }

// testSummary is the line that says a test worked and what it found.
func testSummary(a account.Account, cfg smtpclient.Config, caps *smtpclient.Capabilities) string {
	var b strings.Builder
	b.WriteString(i18n.T("send.account.works", "{{.ID}} works: {{.Server}}", map[string]any{"ID": a.ID, "Server": a.Server()}))
	sep := i18n.T("send.list.clause_sep", ", ")
	if caps != nil && caps.TLS != nil {
		fmt.Fprintf(&b, "%s%s (%s)", sep, caps.TLS.Version, caps.TLS.CipherSuite)
	} else {
		b.WriteString(sep + i18n.T("send.account.works.no_encryption", "no encryption"))
	}
	switch {
	case caps != nil && caps.AuthUsed != "":
		b.WriteString(sep + i18n.T("send.account.works.logged_in", "logged in as {{.User}} with {{.Method}}", map[string]any{"User": cfg.Username, "Method": fmt.Sprint(caps.AuthUsed)}))
	case !a.EffectiveAuth().NeedsSecret():
		b.WriteString(sep + i18n.T("send.account.works.no_login", "no login"))
	}
	if caps != nil && caps.MaxSize > 0 {
		b.WriteString(sep + i18n.T("send.account.works.max_size", "messages up to {{.Size}} MB", map[string]any{"Size": fmt.Sprintf("%.1f", float64(caps.MaxSize)/1e6)}))
	}
	b.WriteString(i18n.T("send.account.works.end", "."))
	return b.String()
}

// writeJSONLine writes v as one line of JSON whose strings are Printable:
// a settings file may have been edited by hand, and encoding/json writes
// DEL, C1, bidi and zero-width characters as they are.
func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(printableJSON(b), '\n'))
	return err
}
