package main

// The contacts subcommand, and the contacts a send teaches: the same
// contacts.json as the app's, next to accounts.json in the settings folder
// (account.DefaultDir: $STAMP_CONFIG_DIR or the user config folder).

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"

	"stamp/account"
	"stamp/compose"
	"stamp/contacts"
	"stamp/i18n"
	"stamp/internal/atomicfile"
	"stamp/smtpclient"
)

// contactsUsage is the subcommands' shapes, each with what it does in the
// person's language.
func contactsUsage() string {
	return "usage: stamp-send contacts import FILE.vcf     " + i18n.T("send.contacts.usage.import", "add the cards' addresses (vCard 2.1, 3.0, 4.0)") +
		"\n       stamp-send contacts export [FILE]       " + i18n.T("send.contacts.usage.export", "write every contact as vCard 3.0 (default stdout)") +
		"\n       stamp-send contacts list [--json] [QUERY]   " + i18n.T("send.contacts.usage.list", "ranked as the app's completion ranks them") +
		"\n       stamp-send contacts remove ADDR         " + i18n.T("send.contacts.usage.remove", "forget an address")
}

// openContacts opens the contacts next to the account settings (a seam for
// tests).
var openContacts = func() (*contacts.Store, error) {
	dir, err := account.DefaultDir()
	if err != nil {
		return nil, err
	}
	return contacts.Open(dir)
}

// runContacts runs "stamp-send contacts …" and returns the exit code.
func runContacts(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stderr, contactsUsage())
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet("stamp-send contacts "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // Go's own complaints are English: ours below
	asJSON := false
	if cmd == "list" {
		fs.BoolVar(&asJSON, "json", false, "")
	}
	usage := func(what string) int {
		fmt.Fprintf(stderr, "stamp-send contacts %s: %s\n%s\n", cmd, what, contactsUsage())
		return exitUsage
	}
	if err := fs.Parse(rest); errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stderr, contactsUsage())
		return exitUsage
	} else if err != nil {
		return usage(flagErrorText(err))
	}
	rest = fs.Args()
	store, err := openContacts()
	if err != nil && store == nil {
		complain(stderr, "stamp-send: contacts:", err)
		return exitFailure
	}
	switch cmd {
	case "import":
		if len(rest) != 1 {
			return usage(i18n.T("send.contacts.needs_file", "needs one FILE"))
		}
		return contactsImport(store, rest[0], stdout, stderr)
	case "export":
		if len(rest) > 1 {
			return usage(i18n.T("send.contacts.at_most_one_file", "takes at most one FILE"))
		}
		if err != nil {
			complain(stderr, "stamp-send: contacts:", err)
			return exitFailure
		}
		var buf bytes.Buffer
		if err := store.Export(&buf); err != nil {
			complain(stderr, "stamp-send: contacts export:", err)
			return exitFailure
		}
		if len(rest) == 0 {
			if _, err := stdout.Write(buf.Bytes()); err != nil {
				return exitFailure
			}
			return exitOK
		}
		if err := atomicfile.WriteBytes(rest[0], 0o600, buf.Bytes()); err != nil {
			complain(stderr, "stamp-send: contacts export:", err)
			return exitFailure
		}
		fmt.Fprintln(stderr, i18n.N("send.contacts.written", "{{.Count}} contact written to {{.Path}}", "{{.Count}} contacts written to {{.Path}}", store.Len(),
			map[string]any{"Path": smtpclient.Printable(rest[0])}))
		return exitOK
	case "list":
		if err != nil {
			complain(stderr, "stamp-send: contacts:", err)
			return exitFailure
		}
		return contactsList(store, strings.Join(rest, " "), asJSON, stdout)
	case "remove":
		if len(rest) != 1 {
			return usage(i18n.T("send.contacts.needs_addr", "needs one ADDR"))
		}
		if err := store.Remove(rest[0]); err != nil {
			complain(stderr, "stamp-send: contacts remove:", err)
			if errors.Is(err, contacts.ErrNotFound) {
				return exitUsage
			}
			return exitFailure
		}
		fmt.Fprintln(stderr, i18n.T("send.contacts.forgotten", "{{.Address}} forgotten", map[string]any{"Address": smtpclient.Printable(rest[0])}))
		return exitOK
	}
	return usage(i18n.T("send.account.unknown_command", "unknown command {{.Command}}", map[string]any{"Command": fmt.Sprintf("%q", cmd)}))
}

func contactsImport(store *contacts.Store, path string, stdout, stderr io.Writer) int {
	res, err := store.ImportFile(path)
	if err != nil {
		complain(stderr, "stamp-send: contacts import:", err)
		return exitUsage
	}
	for _, p := range res.Problems {
		complain(stderr, "stamp-send: contacts import:", p)
	}
	parts := []string{i18n.T("send.contacts.imported", "{{.Added}} new, {{.Updated}} updated", map[string]any{"Added": res.Added, "Updated": res.Updated})}
	if res.NoAddress > 0 {
		parts = append(parts, i18n.N("send.contacts.no_address", "{{.Count}} card without an e-mail address", "{{.Count}} cards without an e-mail address", res.NoAddress))
	}
	if len(res.Problems) > 0 {
		parts = append(parts, i18n.N("send.contacts.with_problems", "{{.Count}} card with problems (above)", "{{.Count}} cards with problems (above)", len(res.Problems)))
	}
	fmt.Fprintln(stdout, strings.Join(parts, i18n.T("send.list.clause_sep", ", ")))
	if len(res.Problems) > 0 && res.Added+res.Updated == 0 {
		return exitUsage
	}
	return exitOK
}

// contactJSON is one contact in "contacts list --json"; every string is
// Printable, like the rest of stamp-send's JSON.
type contactJSON struct {
	Address  string   `json:"address"`
	Name     string   `json:"name,omitempty"`
	Uses     int      `json:"uses"`
	LastUsed string   `json:"last_used,omitempty"`
	With     []string `json:"with,omitempty"`
}

func contactsList(store *contacts.Store, query string, asJSON bool, stdout io.Writer) int {
	list := store.Search(query, 0)
	if asJSON {
		out := make([]contactJSON, 0, len(list))
		for _, c := range list {
			j := contactJSON{Address: smtpclient.Printable(c.Address), Name: smtpclient.Printable(c.Name), Uses: c.Uses}
			if !c.LastUsed.IsZero() {
				// To the day, as the plain list: an instant would pair
				// the recipients of one send, Bcc ones included.
				j.LastUsed = c.LastUsed.UTC().Truncate(24 * time.Hour).Format(time.RFC3339)
			}
			for _, w := range store.SentWith(c.Address) {
				j.With = append(j.With, smtpclient.Printable(w))
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return exitFailure
		}
		return exitOK
	}
	for _, c := range list {
		line := smtpclient.Printable(c.String())
		if c.Uses > 0 {
			line += "\t" + i18n.T("send.contacts.uses", "({{.Count}} sent, last {{.Date}})", map[string]any{"Count": c.Uses, "Date": c.LastUsed.Local().Format("2006-01-02")})
		}
		if _, err := fmt.Fprintln(stdout, line); err != nil {
			return exitFailure
		}
	}
	return exitOK
}

// learnContacts records a successful send's To, Cc and Bcc in the contacts
// (a seam for tests). A failure is told, not fatal: the message went out.
var learnContacts = func(m *compose.Message, stderr io.Writer) {
	store, err := openContacts()
	if err == nil {
		err = store.Learn(mailAddresses(m.To), mailAddresses(m.Cc), mailAddresses(m.Bcc))
	}
	if err != nil {
		complain(stderr, "stamp-send: "+i18n.T("send.contacts.not_learnt", "the message was sent, but the contacts were not updated:"), err)
	}
}

func mailAddresses(list []compose.Address) []mail.Address {
	out := make([]mail.Address, len(list))
	for i, a := range list {
		out[i] = mail.Address{Name: a.Name, Address: a.Addr}
	}
	return out
}
