package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"stamp/account"
	"stamp/compose"
	"stamp/i18n"
	"stamp/smtpclient"
)

// options is everything the command line says, checked and with defaults
// applied. Nothing in it comes from a saved account until resolveAccount
// has run.
type options struct {
	From          string   // --from, as typed
	To, Cc, Bcc   []string // --to, --cc, --bcc, each value as typed (may hold several addresses)
	Subject       string
	Body          string // --body, or the content of --body-file
	BodyFile      string
	HTMLFile      string
	HTML          string // the content of --html-file
	Markdown      bool   // --markdown: Body is Markdown, sent with its HTML rendering
	Attach        []string
	EML           string // --eml: send this file as is
	Mailto        string // --mailto: a mailto: link whose parts join the flags' (mailto.go)
	DryRun        bool
	Out           string // --out, with --dry-run
	Server        string // --server as typed
	Host          string // from --server
	Port          int    // from --server, or the default for Security
	Security      string // tls, starttls or none (defaulted)
	User          string
	PasswordEnv   string
	PasswordStdin bool
	// Password is read from the environment or stdin by readPassword,
	// never from a flag. It must never be printed.
	Password           string
	Auth               string // a login method of smtpclient.LoginMethods
	CAFile             string
	Pin                string // --pin, normalised: the one certificate to trust
	Timeout            time.Duration
	ContinueOnRejected bool
	Account            string
	Quiet, JSON        bool
	// Queue puts the message in the outbox instead of sending it
	// (queue.go); QueueDelay and QueueAt are --delay and --at.
	Queue      bool
	QueueDelay time.Duration
	QueueAt    string

	// saved is the account --account named, once resolveAccount found it.
	saved *account.Account
}

// usageError is a mistake on the command line or in the input: exit 2,
// nothing sent, nothing written.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// listFlag is a repeatable flag; each value may itself be a comma-separated
// list (split later, by whoever knows how: addresses have quoted commas).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ", ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// usageSynopsis is the command line's shape; usageNotes (translated) follow it.
func usageSynopsis() string {
	return usageShape + " " + i18n.T("send.usage.contacts_learn", "(a send adds its recipients)") + "\n\n"
}

const usageShape = `usage: stamp-send --from ADDR --to ADDR [--to ...] [--cc ...] [--bcc ...]
                  [--subject S] [--body TEXT | --body-file F] [--markdown | --html-file F] [--attach F ...]
                  [--mailto LINK] [--eml F] [--dry-run [--out F]]
                  --server HOST[:PORT] [--security tls|starttls|none]
                  [--user U] [--password-env VAR | --password-stdin]
                  [--auth auto|plain|login|cram-md5|xoauth2|oauthbearer] [--ca-file PEM] [--pin SHA256]
                  [--timeout DURATION] [--continue-on-rejected] [--account NAME]
                  [--quiet] [--json] [--queue [--delay D] [--at TIME]] [--lang en|zh-Hans]
       stamp-send account add|list|show|remove|test ...
       stamp-send outbox list [--json] | send [ID] [--again] | remove ID
       stamp-send contacts import|export|list|remove ...  `

// usageNotes explains the synopsis in the person's language.
func usageNotes() string {
	return i18n.T("send.usage.notes", `Address and file flags may be repeated or hold comma-separated lists.
--mailto takes to, cc, bcc, subject and body from a mailto: link (RFC 6068),
as Stamp does when a link is clicked; its other fields are ignored and named.
--dry-run writes the message (to stdout or --out) and the envelope (to stderr)
and sends nothing. --markdown sends --body or --body-file as typed in
text/plain and its HTML rendering (no raw HTML, only http, https and mailto
links) in text/html. A password never comes from a flag: use --password-env VAR
or --password-stdin. A server with a self-signed certificate is trusted with
--ca-file (its CA) or --pin (the SHA-256 fingerprint of exactly its
certificate, which stamp-send prints when it does not trust one; with
--security tls or starttls only, since a plain connection has none).
--lang en|zh-Hans chooses the language of the messages (default: from LANG).

Exit codes: 0 sent to all; 2 usage or invalid input (nothing sent);
3 connection or TLS failure; 4 authentication failed; 5 message or every
recipient refused; 6 sent, but some recipients refused; 7 timeout or cancelled.

Flags:`) + "\n"
}

// errHelp is returned when the user asked for help.
var errHelp = flag.ErrHelp

// parseFlags parses the send command line. It does not read files or the
// password; it checks that the flags make sense together.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	var raw rawFlags
	fs := o.flagSet(&raw)
	if err := parseArgs(fs, args, stderr); err != nil {
		return nil, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["body"] && set["body-file"] {
		return nil, usagef("%s", i18n.T("send.usage.body_both", "--body and --body-file: give one or the other"))
	}
	o.Body = raw.body
	o.To, o.Cc, o.Bcc = raw.to, raw.cc, raw.bcc
	o.Attach = splitFiles(raw.attach)
	if err := o.applyMailto(set, stderr); err != nil {
		return nil, err
	}
	if err := o.checkCombinations(set); err != nil {
		return nil, err
	}
	if err := o.checkValues(); err != nil {
		return nil, err
	}
	if err := o.resolveServer(); err != nil {
		return nil, err
	}
	return o, nil
}

// rawFlags are the flags whose values options holds in another form.
type rawFlags struct {
	to, cc, bcc, attach listFlag
	body                string
}

// flagSet defines the send command's flags, writing into o and raw.
func (o *options) flagSet(raw *rawFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("stamp-send", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.From, "from", "", i18n.T("send.flag.from", "sender `ADDR` (\"Name <a@b>\")"))
	fs.Var(&raw.to, "to", i18n.T("send.flag.to", "recipient `ADDR` (repeatable, or comma-separated)"))
	fs.Var(&raw.cc, "cc", i18n.T("send.flag.cc", "Cc recipient `ADDR` (repeatable, or comma-separated)"))
	fs.Var(&raw.bcc, "bcc", i18n.T("send.flag.bcc", "Bcc recipient `ADDR`: in the envelope, never in the headers"))
	fs.StringVar(&o.Subject, "subject", "", i18n.T("send.flag.subject", "the subject `S`"))
	fs.StringVar(&raw.body, "body", "", i18n.T("send.flag.body", "the text body `TEXT`"))
	fs.StringVar(&o.BodyFile, "body-file", "", i18n.T("send.flag.body_file", "read the text body from file `F` (- for stdin)"))
	fs.StringVar(&o.HTMLFile, "html-file", "", i18n.T("send.flag.html_file", "read an HTML alternative body from file `F`"))
	fs.BoolVar(&o.Markdown, "markdown", false, i18n.T("send.flag.markdown", "the body is Markdown: sent as typed (text/plain) and rendered (text/html) in multipart/alternative"))
	fs.Var(&raw.attach, "attach", i18n.T("send.flag.attach", "attach file `F` (repeatable, or comma-separated)"))
	fs.StringVar(&o.Mailto, "mailto", "", i18n.T("send.flag.mailto", "take to, cc, bcc, subject and body from the mailto: `LINK` (RFC 6068)"))
	fs.StringVar(&o.EML, "eml", "", i18n.T("send.flag.eml", "send the RFC 5322 file `F` as is (envelope from the flags)"))
	fs.BoolVar(&o.DryRun, "dry-run", false, i18n.T("send.flag.dry_run", "write the message and the envelope, send nothing"))
	fs.StringVar(&o.Out, "out", "", i18n.T("send.flag.out", "with --dry-run: write the message to file `F` instead of stdout"))
	fs.StringVar(&o.Server, "server", "", i18n.T("send.flag.server", "SMTP server `HOST[:PORT]`"))
	fs.StringVar(&o.Security, "security", "", i18n.T("send.flag.security", "`MODE`: tls, starttls or none (default: tls on port 465, starttls otherwise)"))
	fs.StringVar(&o.User, "user", "", i18n.T("send.flag.user", "log in as `U`"))
	fs.StringVar(&o.PasswordEnv, "password-env", "", i18n.T("send.flag.password_env", "read the password from environment variable `VAR`"))
	fs.BoolVar(&o.PasswordStdin, "password-stdin", false, i18n.T("send.flag.password_stdin", "read the password from the first line of stdin"))
	fs.StringVar(&o.Auth, "auth", "auto", i18n.T("send.flag.auth", "`METHOD`: {{.Methods}}", map[string]any{"Methods": loginMethodNames()}))
	fs.StringVar(&o.CAFile, "ca-file", "", i18n.T("send.flag.ca_file", "trust the CA certificates in `PEM` (verification stays on)"))
	fs.StringVar(&o.Pin, "pin", "", i18n.T("send.flag.pin", "trust exactly the server certificate with this `SHA256` fingerprint (64 hex digits, colons allowed)"))
	fs.DurationVar(&o.Timeout, "timeout", 30*time.Second, i18n.T("send.flag.timeout", "time limit per network step"))
	fs.BoolVar(&o.ContinueOnRejected, "continue-on-rejected", false, i18n.T("send.flag.continue_on_rejected", "send when some (not all) recipients were refused"))
	fs.StringVar(&o.Account, "account", "", i18n.T("send.flag.account", "use the saved account `NAME`"))
	fs.BoolVar(&o.Quiet, "quiet", false, i18n.T("send.flag.quiet", "print only errors"))
	fs.BoolVar(&o.JSON, "json", false, i18n.T("send.flag.json", "write one JSON event per line instead of the transcript"))
	fs.BoolVar(&o.Queue, "queue", false, i18n.T("send.flag.queue", "put the message in the outbox (sent by Stamp or `stamp-send outbox send`) instead of sending it; needs --account"))
	fs.DurationVar(&o.QueueDelay, "delay", 0, i18n.T("send.flag.delay", "with --queue: wait `D` before it may leave"))
	fs.StringVar(&o.QueueAt, "at", "", i18n.T("send.flag.at", "with --queue: send later, at `TIME` (RFC 3339, or \"2006-01-02 15:04\" local time)"))
	return fs
}

// parseArgs parses args with fs; with --help it prints the usage.
func parseArgs(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stderr, usageSynopsis()+usageNotes())
		printDefaults(fs, stderr)
		return errHelp
	case err != nil && strings.Contains(err.Error(), "-password") && !strings.Contains(err.Error(), "-password-"):
		return usagef("%s", i18n.T("send.no_password_flag", "a password is never taken from a flag (it would show in the process list); use --password-env VAR or --password-stdin"))
	case err != nil:
		return usagef("%s", i18n.T("send.bad_flag", "{{.Error}} (see stamp-send --help)", map[string]any{"Error": flagErrorText(err)}))
	case fs.NArg() > 0:
		return usagef("%s", i18n.T("send.usage.unexpected_arg_help", "unexpected argument {{.Arg}} (see stamp-send --help)", map[string]any{"Arg": fmt.Sprintf("%q", fs.Arg(0))}))
	}
	return nil
}

// checkCombinations refuses flags that cannot go together; set holds the
// names of the flags given.
func (o *options) checkCombinations(set map[string]bool) error {
	if o.EML != "" {
		for _, name := range []string{"subject", "body", "body-file", "html-file", "markdown", "attach"} {
			if set[name] {
				return usagef("%s", i18n.T("send.usage.eml_fixed", "--eml sends a finished message as is; --{{.Flag}} cannot change it", map[string]any{"Flag": fmt.Sprint(name)}))
			}
		}
	}
	if o.Markdown && set["html-file"] {
		return usagef("%s", i18n.T("send.usage.markdown_html", "--markdown and --html-file: the HTML of a Markdown body is rendered from it; give one or the other"))
	}
	if o.Out != "" && !o.DryRun {
		return usagef("%s", i18n.T("send.usage.out_dry_run", "--out is for --dry-run; a sent message is not written to a file"))
	}
	if o.PasswordEnv != "" && o.PasswordStdin {
		return usagef("%s", i18n.T("send.usage.password_both", "--password-env and --password-stdin: give one or the other"))
	}
	if o.PasswordStdin && o.BodyFile == "-" {
		return usagef("%s", i18n.T("send.usage.stdin_both", "--password-stdin and --body-file -: stdin cannot hold both"))
	}
	if o.Quiet && o.JSON {
		return usagef("%s", i18n.T("send.usage.quiet_json", "--quiet and --json: give one or the other"))
	}
	return o.checkQueue(set)
}

// checkValues checks the values of --auth, --timeout and --pin, and
// normalises the pin.
func (o *options) checkValues() error {
	if m, ok := smtpclient.LookupLoginMethod(o.Auth); !ok || !m.Login || m.Name != o.Auth {
		return usagef("%s", i18n.T("send.flag_choice", "{{.Flag}} {{.Value}}: use {{.Choices}}",
			map[string]any{"Flag": "--auth", "Value": fmt.Sprintf("%q", o.Auth), "Choices": smtpclient.AuthNames(false)}))
	}
	if o.Timeout <= 0 {
		return usagef("%s", i18n.T("send.usage.timeout_positive", "--timeout {{.Timeout}}: must be more than zero", map[string]any{"Timeout": fmt.Sprint(o.Timeout)}))
	}
	if o.Pin != "" {
		pin, err := account.NormalizeSHA256(o.Pin)
		if err != nil {
			return usagef("--pin: %v", err)
		}
		o.Pin = pin
	}
	return nil
}

// splitFiles splits comma-separated file lists, except a value that names
// an existing file as a whole (file names may contain commas).
func splitFiles(values []string) []string {
	var out []string
	for _, v := range values {
		if _, err := os.Stat(v); err == nil || !strings.Contains(v, ",") {
			out = append(out, v)
			continue
		}
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
	}
	return out
}

// resolveServer splits --server into host and port and applies the
// defaults of DESIGN.md: port 465 for tls, 587 for starttls, 25 for none;
// security tls on port 465, starttls otherwise. It can run again after an
// account filled in Server or Security.
func (o *options) resolveServer() error {
	if m, ok := smtpclient.LookupSecurity(o.Security); o.Security != "" && (!ok || m.Name != o.Security) {
		return usagef("%s", i18n.T("send.flag_choice", "{{.Flag}} {{.Value}}: use {{.Choices}}",
			map[string]any{"Flag": "--security", "Value": fmt.Sprintf("%q", o.Security), "Choices": smtpclient.SecurityNames()}))
	}
	if err := o.checkPinSecurity(); err != nil {
		return err
	}
	if o.Server == "" {
		return nil // checked when sending: an account may supply it
	}
	host, port := o.Server, 0
	if h, p, err := net.SplitHostPort(o.Server); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return usagef("%s", i18n.T("send.server.bad_port", "--server {{.Server}}: the port must be a number from 1 to 65535", map[string]any{"Server": fmt.Sprintf("%q", o.Server)}))
		}
		host, port = h, n
	} else if strings.Count(o.Server, ":") == 1 {
		return usagef("%s", i18n.T("send.usage.server_form", "--server {{.Server}}: use HOST or HOST:PORT", map[string]any{"Server": fmt.Sprintf("%q", o.Server)}))
	}
	host = strings.Trim(host, "[]")
	if host == "" {
		return usagef("%s", i18n.T("send.usage.server_no_host", "--server {{.Server}}: the host is missing", map[string]any{"Server": fmt.Sprintf("%q", o.Server)}))
	}
	if o.Security == "" {
		o.Security = "starttls"
		if port == 465 {
			o.Security = "tls"
		}
	}
	if port == 0 {
		port = map[string]int{"tls": 465, "starttls": 587, "none": 25}[o.Security]
	}
	o.Host, o.Port = host, port
	return nil
}

// checkPinSecurity refuses --pin with --security none (given or from an
// account): there is no certificate to check on a plain connection.
func (o *options) checkPinSecurity() error {
	if o.Pin != "" && o.Security == "none" {
		return usagef("%s", i18n.T("send.usage.pin_without_tls", "--pin with --security none: {{.Error}}", map[string]any{"Error": i18n.T("account.invalid.pin_without_tls", "a pinned certificate needs an encrypted connection (security tls or starttls): with security none there is no certificate to check and everything goes in clear text; choose TLS or STARTTLS, or stop trusting the pinned certificate")}))
	}
	return nil
}

// readInputs reads the body files and checks the --eml file, so that every
// input problem is found before anything is written or sent.
func (o *options) readInputs(stdin io.Reader) error {
	if o.BodyFile != "" {
		var b []byte
		var err error
		if o.BodyFile == "-" {
			b, err = io.ReadAll(stdin)
		} else {
			b, err = os.ReadFile(o.BodyFile)
		}
		if err != nil {
			return usagef("--body-file: %v", err)
		}
		o.Body = string(b)
	}
	if o.HTMLFile != "" {
		b, err := os.ReadFile(o.HTMLFile)
		if err != nil {
			return usagef("--html-file: %v", err)
		}
		o.HTML = string(b)
	}
	if o.EML != "" {
		fi, err := os.Stat(o.EML)
		if err != nil {
			return usagef("--eml: %v", err)
		}
		if !fi.Mode().IsRegular() {
			return usagef("%s", i18n.T("send.usage.eml_not_file", "--eml: {{.Path}} is not a regular file", map[string]any{"Path": fmt.Sprint(o.EML)}))
		}
	}
	return nil
}

// readPassword reads the password from --password-env or --password-stdin
// (the first line). An empty password is an error: it is always a mistake.
func (o *options) readPassword(stdin io.Reader) error {
	switch {
	case o.PasswordEnv != "":
		v, ok := os.LookupEnv(o.PasswordEnv)
		if !ok || v == "" {
			return usagef("%s", i18n.T("send.usage.password_env_unset", "--password-env: the environment variable {{.Var}} is not set or empty", map[string]any{"Var": fmt.Sprint(o.PasswordEnv)}))
		}
		o.Password = v
	case o.PasswordStdin:
		line, err := readLine(stdin)
		if err != nil {
			return usagef("--password-stdin: %v", err)
		}
		if line == "" {
			return usagef("%s", i18n.T("send.usage.password_stdin_empty", "--password-stdin: the first line of stdin is empty"))
		}
		o.Password = line
	}
	return nil
}

// readLine reads one line byte by byte, so nothing after it is consumed.
func readLine(r io.Reader) (string, error) {
	var b []byte
	var one [1]byte
	for len(b) < 64<<10 {
		n, err := r.Read(one[:])
		if n == 1 {
			if one[0] == '\n' {
				break
			}
			b = append(b, one[0])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return strings.TrimSuffix(string(b), "\r"), nil
}

// addresses parses --from, --to, --cc and --bcc into a message that has
// only its addresses. Every problem names its flag.
func (o *options) addresses() (*compose.Message, error) {
	m := &compose.Message{}
	var problems []*compose.FieldError
	if o.From == "" {
		problems = append(problems, &compose.FieldError{Field: "--from", Reason: i18n.T("send.usage.from_is_required", "is required")})
	} else {
		from, err := compose.ParseAddress("--from", o.From)
		problems = append(problems, compose.Problems("--from", err)...)
		m.From = from
	}
	for _, f := range []struct {
		name   string
		values []string
		dst    *[]compose.Address
	}{{"--to", o.To, &m.To}, {"--cc", o.Cc, &m.Cc}, {"--bcc", o.Bcc, &m.Bcc}} {
		list, err := compose.ParseAddressList(f.name, strings.Join(f.values, ", "))
		problems = append(problems, compose.Problems(f.name, err)...)
		*f.dst = list
	}
	if len(problems) == 0 && len(m.To)+len(m.Cc)+len(m.Bcc) == 0 {
		problems = append(problems, &compose.FieldError{Field: "--to", Reason: i18n.T("send.usage.no_recipient", "needs at least one recipient (--to, --cc or --bcc)")})
	}
	if len(problems) > 0 {
		return nil, &compose.ValidationError{Problems: problems}
	}
	return m, nil
}

// message builds the message the flags describe. Problems name the flag
// they come from ("--cc", "--subject", "--attach").
func (o *options) message() (*compose.Message, error) {
	m, err := o.addresses()
	if err != nil {
		return nil, err
	}
	m.Subject, m.Text, m.HTML, m.Markdown = o.Subject, o.Body, o.HTML, o.Markdown
	for _, a := range o.Attach {
		m.Attachments = append(m.Attachments, compose.Attachment{Path: a})
	}
	if err := m.Validate(); err != nil {
		var ve *compose.ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				p.Field = o.flagName(p.Field)
			}
		}
		return nil, err
	}
	return m, nil
}

// flagName maps a compose field to the flag that sets it.
func (o *options) flagName(field string) string {
	switch field {
	case "Body":
		if o.BodyFile != "" {
			return "--body-file"
		}
		return "--body"
	case "HTML":
		return "--html-file"
	case "Attachments":
		return "--attach"
	}
	return "--" + strings.ToLower(field)
}
