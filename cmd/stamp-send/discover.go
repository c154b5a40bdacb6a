package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"stamp/account"
	"stamp/discover"
	"stamp/i18n"
	"stamp/internal/boundedfile"
	"stamp/smtpclient"
)

// discoverDial replaces the network dialer of `account discover` in tests
// (so that autoconfig.example.test reaches a loopback server); nil means
// the real network.
var discoverDial func(ctx context.Context, network, address string) (net.Conn, error)

const discoverSynopsis = `usage: stamp-send account discover ADDR [--json] [--resolver HOST:PORT] [--ispdb URL]
                                 [--ca-file PEM] [--allow-http] [--timeout D]

`

// discoverHelp is "stamp-send account discover --help": the synopsis, then
// the notes in the person's language.
func discoverHelp() string {
	return discoverSynopsis + i18n.T("send.discover.usage_notes", `Shows the SMTP settings Stamp finds for ADDR and where each came from: the
built-in presets, the domain's autoconfig file (HTTPS), the Thunderbird ISP
database, the MX and SRV records, and, when nothing else answers, a guess
checked by connecting (EHLO only, no password). Nothing is saved.
  --resolver HOST:PORT  ask this DNS server instead of the system's
  --ispdb URL           another ISP database base URL (default {{.ISPDB}})
  --ca-file PEM         also trust this CA for HTTPS and the guess (verification stays on)
  --allow-http          also fetch the autoconfig file over plain HTTP (marked unverified)
  --json                print the result as JSON
Exit status: 0 when settings were found, 1 when none, 2 for a usage error.`, map[string]any{"ISPDB": discover.DefaultISPDB}) + "\n"
}

// discoverCommand runs "stamp-send account discover ...".
func discoverCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("account discover", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	resolver := fs.String("resolver", "", "")
	ispdb := fs.String("ispdb", "", "")
	caFile := fs.String("ca-file", "", "")
	allowHTTP := fs.Bool("allow-http", false, "")
	timeout := fs.Duration("timeout", discover.DefaultTimeout, "")
	var addr string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		addr, args = args[0], args[1:]
	}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, discoverHelp())
		return exitOK
	}
	if err == nil && addr == "" && fs.NArg() > 0 {
		addr = fs.Arg(0)
		err = fs.Parse(fs.Args()[1:])
	}
	if err == nil && fs.NArg() > 0 {
		err = errors.New(i18n.T("send.usage.unexpected_arg", "unexpected argument {{.Arg}}", map[string]any{"Arg": fmt.Sprintf("%q", fs.Arg(0))}))
	}
	if err == nil && addr == "" {
		err = errors.New(i18n.T("send.discover.address_missing", "the address to look up is missing"))
	}
	var opts discover.Options
	if err == nil {
		opts, err = discoverOptions(*resolver, *ispdb, *caFile, *allowHTTP, *timeout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stamp-send account discover: %s\n%s", flagErrorText(err), discoverHelp())
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := discover.New(opts).Discover(ctx, addr)
	if err != nil {
		fmt.Fprintln(stderr, "stamp-send account discover:", err)
		if ctx.Err() != nil {
			return exitTimeout
		}
		return exitUsage
	}
	if *asJSON {
		err = printDiscoveryJSON(stdout, r)
	} else {
		err = printDiscovery(stdout, r)
	}
	if err != nil {
		fmt.Fprintln(stderr, "stamp-send account discover:", err)
		return exitFailure
	}
	if _, _, ok := r.Chosen(); !ok {
		return exitFailure
	}
	return exitOK
}

// discoverOptions turns the flags into discovery options.
func discoverOptions(resolver, ispdb, caFile string, allowHTTP bool, timeout time.Duration) (discover.Options, error) {
	opts := discover.Options{AllowHTTP: allowHTTP, All: true, Timeout: timeout, Dial: discoverDial, Resolver: discoverResolver}
	if timeout <= 0 {
		return opts, errors.New(i18n.T("send.discover.timeout_positive", "--timeout must be positive"))
	}
	if resolver != "" {
		if _, _, err := net.SplitHostPort(resolver); err != nil {
			return opts, errors.New(i18n.T("send.discover.resolver_form", "--resolver {{.Value}}: want HOST:PORT", map[string]any{"Value": fmt.Sprintf("%q", resolver)}))
		}
		opts.Resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, resolver)
		}}
	}
	if ispdb != "" {
		u, err := url.Parse(ispdb)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return opts, errors.New(i18n.T("send.discover.ispdb_url", "--ispdb {{.Value}}: want an http(s) URL", map[string]any{"Value": fmt.Sprintf("%q", ispdb)}))
		}
		if u.Scheme == "http" && !allowHTTP {
			// Anyone on the network path could write its answers.
			return opts, errors.New(i18n.T("send.discover.ispdb_http", "--ispdb {{.Value}} is plain HTTP: add --allow-http to use it (its answers are marked unverified)", map[string]any{"Value": fmt.Sprintf("%q", ispdb)}))
		}
		opts.ISPDB = ispdb
	}
	if caFile != "" {
		// Only a small regular file is read: a FIFO would hang here,
		// before --timeout starts, and /dev/zero would fill memory.
		pem, err := boundedfile.Read(caFile, boundedfile.DefaultLimit)
		if err != nil {
			return opts, fmt.Errorf("--ca-file %s: %w", caFile, err)
		}
		opts.CAPEM = pem
	}
	return opts, nil
}

// discoveryJSON is the --json output.
type discoveryJSON struct {
	Address    string             `json:"address"`
	Domain     string             `json:"domain"`
	Chosen     *chosenJSON        `json:"chosen"`
	Candidates []candidateJSON    `json:"candidates"`
	Attempts   []discover.Attempt `json:"attempts"`
}

type chosenJSON struct {
	Candidate int             `json:"candidate"`
	Server    discover.Server `json:"server"`
}

type candidateJSON struct {
	discover.Candidate
	Warnings []string `json:"warnings,omitempty"`
}

func printDiscoveryJSON(w io.Writer, r *discover.Result) error {
	out := discoveryJSON{Address: r.Address, Domain: r.Domain, Attempts: r.Attempts, Candidates: []candidateJSON{}}
	for i, c := range r.Candidates {
		out.Candidates = append(out.Candidates, candidateJSON{c, c.Warnings()})
		// The chosen one is the first candidate with a usable TLS server
		// (Result.Chosen).
		if s, good := c.Best(); good && out.Chosen == nil {
			out.Chosen = &chosenJSON{Candidate: i, Server: s}
		}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	// The strings may quote a hostile settings file or server: DEL, C1,
	// bidi and zero-width characters, which encoding/json writes as they are.
	_, err = w.Write(append(printableJSON(b), '\n'))
	return err
}

// printDiscovery writes the result for people. Every field goes through
// Printable on its own: a settings file may hold a line feed, and a raw one
// would start a line of its own in this output.
func printDiscovery(w io.Writer, r *discover.Result) error {
	p := smtpclient.Printable
	var b strings.Builder
	chosen, best, ok := r.Chosen()
	if ok {
		b.WriteString(i18n.T("send.discover.settings_for", "Settings for {{.Address}}: {{.Server}}, {{.From}}", map[string]any{"Address": p(r.Address), "Server": p(best.String()), "From": p(chosen.From)}) + "\n")
	} else {
		b.WriteString(i18n.T("send.discover.nothing_usable", "No usable settings found for {{.Address}}. Ask your provider for its SMTP server (\"SMTP settings\"), or see the lookups below.", map[string]any{"Address": p(r.Address)}) + "\n")
	}
	chosenIndex := -1
	for i, c := range r.Candidates {
		if _, good := c.Best(); good && chosenIndex < 0 {
			chosenIndex = i
		}
	}
	for i, c := range r.Candidates {
		fmt.Fprintf(&b, "\n%d. %s", i+1, p(c.From))
		if c.Provider != "" {
			fmt.Fprintf(&b, " — %s", p(c.Provider))
		}
		b.WriteString("\n")
		if c.Where != "" {
			b.WriteString("   " + i18n.T("send.discover.where", "where: {{.Where}}", map[string]any{"Where": p(c.Where)}) + "\n")
		}
		for _, s := range c.Servers {
			mark := "  "
			if i == chosenIndex && s.Endpoint() == best.Endpoint() && s.NotUsable == "" {
				mark = "→ "
			}
			b.WriteString("   " + mark + i18n.T("send.discover.server_login", "{{.Server}}, login {{.Auth}}", map[string]any{"Server": p(s.String()), "Auth": p(string(s.Auth))}))
			if s.Username != "" {
				b.WriteString(i18n.T("send.discover.login_as", " as {{.User}}", map[string]any{"User": p(s.Username)}))
			}
			if s.NotUsable != "" {
				b.WriteString(i18n.T("send.discover.server_not_usable", " (not usable: {{.Why}})", map[string]any{"Why": p(s.NotUsable)}))
			}
			b.WriteString("\n")
		}
		for _, warn := range c.Warnings() {
			fmt.Fprintf(&b, "   ! %s\n", p(warn))
		}
	}
	b.WriteString("\n" + i18n.T("send.discover.lookups_heading", "Lookups:") + "\n")
	for _, a := range r.Attempts {
		fmt.Fprintf(&b, "  %-15s %-10s %s", p(a.Source.String()), p(outcomeWord(a.Outcome)), p(a.Where))
		if a.Reason != "" {
			fmt.Fprintf(&b, ": %s", p(a.Reason))
		}
		fmt.Fprintf(&b, " (%s)\n", a.Took.Round(time.Millisecond))
	}
	if r.Cached {
		b.WriteString(i18n.T("send.discover.cached", "(from this session's cache)") + "\n")
	}
	b.WriteString(i18n.T("send.discover.nothing_saved", "Nothing was saved.") + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// discoverResolver is the DNS resolver of the lookups when --resolver is
// not given; nil means the system's. Tests point it at nothing, so that
// no test asks a real DNS server.
var discoverResolver *net.Resolver

// addDiscoverFlags are the lookup flags `account add` shares with
// `account discover` (the CA file is add's own --ca-file), and the say a
// person must give before settings with warnings are saved.
type addDiscoverFlags struct {
	resolver, ispdb          string
	allowHTTP, acceptWarning bool
}

func (d *addDiscoverFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.resolver, "resolver", "", "without --server: ask this DNS server (`HOST:PORT`) for the settings lookups")
	fs.StringVar(&d.ispdb, "ispdb", "", "without --server: another ISP database base `URL`")
	fs.BoolVar(&d.allowHTTP, "allow-http", false, "without --server: also fetch the autoconfig file over plain HTTP (unverified)")
	fs.BoolVar(&d.acceptWarning, "accept-warnings", false, "save discovered settings even when they come with warnings (another domain, unverified, a guess)")
}

// discovered is what discovery found for `account add`: the candidate
// and the server it proposes.
type discovered struct {
	cand   discover.Candidate
	server discover.Server
}

// discoverForAdd runs discovery for an address that has no built-in
// preset and prints what it found and from where. It returns the
// candidate as a preset (endpoints best first) and the candidate, or
// ok false when discovery found nothing usable and nothing that needs
// the person's say (the caller then falls back to the marked guess).
// Settings with warnings are refused unless --accept-warnings is given;
// a server without TLS is never saved from discovery.
func (c *accountCmd) discoverForAdd(a account.Account, f *addFlags) (p account.Preset, d *discovered, ok bool, err error) {
	opts, err := discoverOptions(f.disc.resolver, f.disc.ispdb, f.caFile, f.disc.allowHTTP, discover.DefaultTimeout)
	if err != nil {
		return p, nil, false, usagef("%v", err)
	}
	opts.All = false
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintln(c.stderr, i18n.T("send.discover.looking_up", "Looking up the settings for {{.Address}}…", map[string]any{"Address": smtpclient.Printable(a.Address)}))
	r, err := discover.New(opts).Discover(ctx, a.Address)
	if err != nil {
		return p, nil, false, err
	}
	pr := smtpclient.Printable
	w := c.stdout
	chosen, best, found := r.Chosen()
	if !found {
		var plain []string
		for _, cand := range r.Candidates {
			for _, s := range cand.Servers {
				if s.Plain && s.NotUsable == "" {
					plain = append(plain, fmt.Sprintf("%s (%s)", pr(s.String()), pr(cand.From)))
				}
			}
		}
		if len(plain) > 0 {
			return p, nil, false, usagef("%s", i18n.T("send.usage.discover_plain_only", "the only server found for {{.Address}} has no encryption: {{.Servers}}.\nYour password and mail would cross the network readable. Nothing was saved. If you mean it, give --server HOST:PORT --security none", map[string]any{"Address": fmt.Sprint(pr(a.Address)), "Servers": fmt.Sprint(strings.Join(plain, ", "))}))
		}
		fmt.Fprintln(w, i18n.T("send.discover.none_published", "No settings published for {{.Domain}} ({{.Attempts}}).", map[string]any{"Domain": pr(r.Domain), "Attempts": attemptSummary(r)}))
		if dead := deadGuesses(r); len(dead) > 0 && !f.probe {
			// Discovery's own check found no server where the guess
			// points: saving it unchecked would take weaker evidence
			// than a guess that answered, which needs --accept-warnings.
			for _, d := range dead {
				fmt.Fprintf(w, "  ! %s\n", pr(d))
			}
			if !f.disc.acceptWarning {
				return p, nil, false, usagef("%s", i18n.T("send.usage.discover_dead_guess", "no SMTP server answered where the guess for {{.Domain}} points (see above). Nothing was saved.\nAsk your provider for its SMTP server and give --server HOST:PORT; or save the guess anyway with --accept-warnings (or check it again with --probe)", map[string]any{"Domain": fmt.Sprint(pr(r.Domain))}))
			}
		}
		return p, nil, false, nil
	}
	fmt.Fprint(w, i18n.T("send.discover.found", "Found settings for {{.Address}}: {{.Server}}, {{.From}}", map[string]any{"Address": pr(a.Address), "Server": pr(best.String()), "From": pr(chosen.From)}))
	if chosen.Provider != "" {
		fmt.Fprintf(w, " — %s", pr(chosen.Provider))
	}
	fmt.Fprintln(w)
	if chosen.Where != "" {
		fmt.Fprintf(w, "  where: %s\n", pr(chosen.Where))
	}
	warnings := chosen.Warnings()
	for _, warn := range warnings {
		fmt.Fprintf(w, "  ! %s\n", pr(warn))
	}
	if len(warnings) > 0 && !f.disc.acceptWarning {
		return p, nil, false, usagef("%s", i18n.T("send.usage.discover_needs_say", "these settings need your say before they are saved (see the warnings above). Nothing was saved.\nTo save them anyway, add --accept-warnings; or give --server HOST:PORT to choose the server yourself"))
	}
	return chosen.AsPreset(r.Domain), &discovered{cand: chosen, server: best}, true, nil
}

// deadGuesses are discovery's connection checks of the guessed servers,
// when it made them and none answered ("smtp.x.test:465 (tls): nothing
// listens…"); nil when no guess was checked or one answered.
func deadGuesses(r *discover.Result) []string {
	var dead []string
	for _, a := range r.Attempts {
		if a.Source != discover.SourceGuess {
			continue
		}
		if a.Outcome != discover.NothingThere && a.Outcome != discover.NotUsable {
			return nil
		}
		dead = append(dead, a.Where+": "+a.Reason)
	}
	return dead
}

// attemptSummary is the lookups of r in one line: "autoconfig nothing, mx
// nothing, …".
func attemptSummary(r *discover.Result) string {
	parts := make([]string, 0, len(r.Attempts))
	for _, at := range r.Attempts {
		parts = append(parts, at.Source.String()+" "+outcomeWord(at.Outcome))
	}
	if len(parts) == 0 {
		return i18n.T("send.discover.no_lookups", "no lookups")
	}
	return i18n.T("send.discover.lookups", "lookups: {{.List}}", map[string]any{"List": strings.Join(parts, i18n.T("send.list.comma", ", "))})
}

// outcomeWord names how a lookup ended: discover's word in English, a word
// of the person's language otherwise.
func outcomeWord(o discover.Outcome) string {
	switch o {
	case discover.Found:
		return i18n.T("send.discover.outcome.found", "found")
	case discover.NothingThere:
		return i18n.T("send.discover.outcome.nothing", "nothing")
	case discover.NotUsable:
		return i18n.T("send.discover.outcome.not_usable", "not usable")
	case discover.Cancelled:
		return i18n.T("send.discover.outcome.cancelled", "cancelled")
	case discover.Skipped:
		return i18n.T("send.discover.outcome.skipped", "skipped")
	}
	return string(o)
}

// username is the login name the candidate gives for endpoint e, when it
// is not the address itself.
func (d *discovered) username(e account.Endpoint, address string) string {
	for _, s := range d.cand.Servers {
		if s.Endpoint() == e && s.Username != "" && s.Username != address {
			return s.Username
		}
	}
	return ""
}
