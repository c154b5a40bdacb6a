package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"stamp/i18n"
	"stamp/instance"
	"stamp/mailto"
)

// startArgs is what one start of stamp asks for.
type startArgs struct {
	files    []string // to attach ("Send with Stamp", Open with)
	link     string   // a mailto: link to open as a new message; "" for none
	accounts bool     // --accounts
	version  bool     // --version
}

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return fmt.Sprint(*l) }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// parseStartArgs reads stamp's command line. A message to write is one
// mailto: link, the one format a running Stamp is handed and opens: the
// link given (checked), or, with --compose and its flags, one the mailto
// package builds (the flags' addresses after the link's, if both).
func parseStartArgs(args []string, stderr io.Writer) (startArgs, error) {
	if len(args) > 0 && (args[0] == "--url" || args[0] == "-url") {
		return parseURLArg(args[1:])
	}
	var s startArgs
	var to, cc, bcc listFlag
	var subject, body string
	fs := flag.NewFlagSet("stamp", flag.ContinueOnError)
	fs.SetOutput(flagOutput{stderr}) // the flag package's own refusals translated
	fs.Usage = func() {
		fmt.Fprint(stderr, i18n.T("cli.usage", `usage: stamp [--accounts] [FILE ...]
       stamp 'mailto:ADDR?subject=…&body=…' [FILE ...]
       stamp --compose [--to ADDR ...] [--cc ADDR ...] [--bcc ADDR ...] [--subject S] [--body TEXT] [FILE ...]
       stamp --version

Opens the Stamp composer; FILEs are attached to the message. A mailto: link
(RFC 6068, as a browser hands it over) or --compose opens a new message with
those recipients, subject and text; a link's other fields (attach=, from,
X-…) are ignored and named. When Stamp is already running, it is asked to
open the message and attach the FILEs (and, with --accounts, to open its
account settings). A file whose name starts with "mailto:" is given as
./mailto:….

`))
		fs.PrintDefaults()
	}
	fs.BoolVar(&s.accounts, "accounts", false, i18n.T("cli.flag.accounts", "open the account settings at start"))
	fs.Bool("url", false, i18n.T("cli.flag.url", "`stamp --url LINK`, alone: the one mailto: link (or file) the desktop hands over; nothing else may follow"))
	fs.BoolVar(&s.version, "version", false, i18n.T("cli.flag.version", "print the version and the git commit, then exit"))
	compose := fs.Bool("compose", false, i18n.T("cli.flag.compose", "open a new message (with --to, --cc, --bcc, --subject, --body)"))
	fs.Var(&to, "to", i18n.T("cli.flag.to", "a recipient `ADDR` of the new message (repeatable)"))
	fs.Var(&cc, "cc", i18n.T("cli.flag.cc", "a Cc recipient `ADDR` (repeatable)"))
	fs.Var(&bcc, "bcc", i18n.T("cli.flag.bcc", "a Bcc recipient `ADDR` (repeatable)"))
	fs.StringVar(&subject, "subject", "", i18n.T("cli.flag.subject", "the new message's subject `S`"))
	fs.StringVar(&body, "body", "", i18n.T("cli.flag.body", "the new message's text `TEXT`"))
	if err := fs.Parse(args); err != nil {
		return s, flagError(err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["url"] {
		return s, errors.New(i18n.T("cli.url_alone", "--url comes first and alone: stamp --url LINK"))
	}

	var l mailto.Link
	var links int
	for _, a := range fs.Args() {
		if !mailto.IsLink(a) {
			f, err := localFile(a)
			if err != nil {
				return s, err
			}
			s.files = append(s.files, f)
			continue
		}
		if links++; links > 1 {
			return s, errors.New(i18n.T("cli.one_link", "give one mailto: link at a time"))
		}
		parsed, err := mailto.Parse(a)
		if err != nil {
			return s, err
		}
		l, s.link = *parsed, a
	}
	composeFlags := *compose || set["to"] || set["cc"] || set["bcc"] || set["subject"] || set["body"]
	if s.link != "" && !composeFlags {
		// The link as given: the running Stamp reads it itself and can tell
		// the person which of its fields it ignored.
		return s, nil
	}
	if !composeFlags {
		return s, nil
	}
	l.To, l.Cc, l.Bcc = append(l.To, to...), append(l.Cc, cc...), append(l.Bcc, bcc...)
	if set["subject"] {
		if l.Subject != "" {
			return s, errors.New(i18n.T("cli.subject_twice", "the mailto: link gives a subject and so does --subject: give one"))
		}
		l.Subject = subject
	}
	if set["body"] {
		if l.Body != "" {
			return s, errors.New(i18n.T("cli.mailto_body_twice", "the mailto: link gives a text and so does --body: give one"))
		}
		l.Body = body
	}
	shown, more := l.IgnoredShown(mailto.MaxIgnoredShown) // said here: the link handed on is built without them
	for _, ig := range shown {
		fmt.Fprintln(stderr, "stamp: "+i18n.T("cli.link_ignored", "ignored the link's {{.Field}} field: {{.Reason}}",
			map[string]any{"Field": fmt.Sprintf("%q", ig.Field), "Reason": ig.Reason}))
	}
	if more > 0 {
		fmt.Fprintln(stderr, "stamp: "+i18n.N("cli.link_ignored_more", "and {{.Count}} more field of the link ignored", "and {{.Count}} more fields of the link ignored", more))
	}
	s.link = mailto.Build(l)
	if len(s.link) > mailto.MaxBuiltLength { // the hand-over's bound, not a page's link's
		return s, errors.New(i18n.T("cli.too_long", "the new message is too long to hand to Stamp: {{.KiB}} KiB once written as a link (non-ASCII text counts three times), at most {{.Max}} KiB; shorten --body",
			map[string]any{"KiB": len(s.link) >> 10, "Max": mailto.MaxBuiltLength >> 10}))
	}
	if _, err := mailto.ParseBuilt(s.link); err != nil {
		return s, err
	}
	return s, nil
}

// parseURLArg reads the command line the desktop registers for links
// (stamp --url LINK: Windows' "%1", the desktop entry's %u): exactly one
// argument, a mailto: link opened as a new message or one file "Open with"
// hands over, never both. A link carrying a raw quote can break out of
// Windows' "%1" into more arguments (a file of the person's to attach to
// the link's message, other flags): any second argument is refused. None
// at all is Stamp started from the menu (the entry's %u expands to
// nothing): it opens as plain "stamp" does.
func parseURLArg(args []string) (startArgs, error) {
	var s startArgs
	if len(args) == 0 {
		return s, nil
	}
	if len(args) != 1 || args[0] == "" {
		return s, errors.New(i18n.N("cli.url_one_arg", "--url takes exactly one mailto: link or file (got {{.Count}} argument); nothing was opened", "--url takes exactly one mailto: link or file (got {{.Count}} arguments); nothing was opened", len(args)))
	}
	a := args[0]
	if !mailto.IsLink(a) {
		f, err := localFile(a)
		if err != nil {
			return s, err
		}
		s.files = []string{f}
		return s, nil
	}
	if _, err := mailto.Parse(a); err != nil {
		return s, err
	}
	s.link = a
	return s, nil
}

// localFile turns a file:// URL into its path: the desktop entry's %U
// (links and files alike) may hand files over that way. Other arguments are
// file names as they are.
func localFile(a string) (string, error) {
	if len(a) < 7 || !strings.EqualFold(a[:7], "file://") {
		return a, nil
	}
	u, err := url.Parse(a)
	if err != nil || (u.Host != "" && u.Host != "localhost") || u.Path == "" {
		return "", errors.New(i18n.T("cli.not_local_file", "{{.File}} is not a file on this computer", map[string]any{"File": fmt.Sprintf("%q", a)}))
	}
	return filepath.FromSlash(u.Path), nil
}

// handOver is what this start hands the running Stamp: the link first
// (the files are attached to its message), then the files, then the
// accounts request.
func (s startArgs) handOver() ([]instance.Arg, error) {
	var args []instance.Arg
	if s.link != "" {
		args = append(args, instance.Arg{Kind: instance.Mailto, Value: s.link})
	}
	files, err := instance.FileArgs(s.files)
	if err != nil {
		return nil, err
	}
	args = append(args, files...)
	if s.accounts {
		args = append(args, instance.Arg{Kind: instance.Accounts})
	}
	return args, nil
}

// filesAtStart are the files the composer attaches as it opens: none when
// they belong to a link's message, which linkArgs opens after the restored
// draft (asking before it replaces one).
func (s startArgs) filesAtStart() []string {
	if s.link != "" {
		return nil
	}
	return s.files
}

// linkArgs is the link and its files as a running Stamp would be handed
// them (ui.Receive): the first start opens its own link the same way.
func (s startArgs) linkArgs() []instance.Arg {
	files, err := instance.FileArgs(s.files) // absolute, as the draft keeps them
	if err != nil {                          // no current folder: as given
		files = files[:0]
		for _, f := range s.files {
			files = append(files, instance.Arg{Kind: instance.File, Value: f})
		}
	}
	return append([]instance.Arg{{Kind: instance.Mailto, Value: s.link}}, files...)
}

// handedOverNote tells what the running Stamp was asked to do.
func (s startArgs) handedOverNote() string {
	if s.link == "" {
		return handedOverNote(len(s.files), s.accounts)
	}
	n := map[string]any{"Count": len(s.files)}
	var note string
	switch {
	case len(s.files) == 0 && !s.accounts:
		note = i18n.T("cli.handed.link", "Stamp is already running; it was asked to open the new message.")
	case len(s.files) == 0:
		note = i18n.T("cli.handed.link_accounts", "Stamp is already running; it was asked to open the new message and to open its account settings.")
	case len(s.files) == 1 && !s.accounts:
		note = i18n.T("cli.handed.link_file", "Stamp is already running; it was asked to open the new message with the file attached.")
	case len(s.files) == 1:
		note = i18n.T("cli.handed.link_file_accounts", "Stamp is already running; it was asked to open the new message with the file attached and to open its account settings.")
	case !s.accounts:
		note = i18n.T("cli.handed.link_files", "Stamp is already running; it was asked to open the new message with the {{.Count}} files attached.", n)
	default:
		note = i18n.T("cli.handed.link_files_accounts", "Stamp is already running; it was asked to open the new message with the {{.Count}} files attached and to open its account settings.", n)
	}
	return "stamp: " + note
}
