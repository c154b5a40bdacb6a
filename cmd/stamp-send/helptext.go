package main

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"stamp/account"
	"stamp/i18n"
	"stamp/smtpclient"
)

// printDefaults writes the flags of fs as flag.PrintDefaults lays them out,
// with the "(default …)" in the person's language: Go's own writes it in
// English. In English the output is PrintDefaults' byte for byte.
func printDefaults(fs *flag.FlagSet, w io.Writer) {
	fs.VisitAll(func(f *flag.Flag) {
		var b strings.Builder
		fmt.Fprintf(&b, "  -%s", f.Name)
		name, usage := flag.UnquoteUsage(f)
		if name == "duration" { // Go's name for a time.Duration's value
			name = i18n.T("send.flag.duration_value", "duration")
		}
		if name != "" {
			b.WriteString(" " + name)
		}
		if b.Len() <= 4 { // a one-letter flag: its usage on the same line, as Go does
			b.WriteString("\t")
		} else {
			b.WriteString("\n    \t")
		}
		b.WriteString(strings.ReplaceAll(usage, "\n", "\n    \t"))
		switch f.DefValue {
		case "", "false", "0", "0s":
		default:
			value := f.DefValue
			if g, ok := f.Value.(flag.Getter); ok {
				if _, isString := g.Get().(string); isString {
					value = fmt.Sprintf("%q", value)
				}
			}
			b.WriteString(i18n.T("send.flag.default", " (default {{.Value}})", map[string]any{"Value": value}))
		}
		fmt.Fprintln(w, b.String())
	})
}

// orList joins names as the person's language lists choices: "a, b or c"
// ("a、b 或 c").
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return i18n.T("send.list.or", "{{.Items}} or {{.Last}}", map[string]any{
		"Items": strings.Join(names[:len(names)-1], i18n.T("send.list.comma", ", ")),
		"Last":  names[len(names)-1],
	})
}

// loginMethodNames lists the login methods one may choose (without none).
func loginMethodNames() string {
	var names []string
	for _, m := range smtpclient.LoginMethods() {
		if m.Login {
			names = append(names, m.Name)
		}
	}
	return orList(names)
}

// flagErrorText is the flag package's complaint in the person's language:
// Go writes "flag provided but not defined: -x" and "flag needs an
// argument: -x" in English; other complaints (a bad value, which quotes
// the value's own parser) are kept as Go wrote them.
func flagErrorText(err error) string {
	s := err.Error()
	if flagName, ok := strings.CutPrefix(s, "flag provided but not defined: "); ok {
		return i18n.T("send.flag.not_defined", "flag provided but not defined: {{.Flag}}", map[string]any{"Flag": flagName})
	}
	if flagName, ok := strings.CutPrefix(s, "flag needs an argument: "); ok {
		return i18n.T("send.flag.needs_argument", "flag needs an argument: {{.Flag}}", map[string]any{"Flag": flagName})
	}
	if m := flagInvalidValue.FindStringSubmatch(s); m != nil {
		return i18n.T("send.flag.invalid_value", "{{.Flag}} {{.Value}}: not a valid value", map[string]any{"Flag": m[2], "Value": m[1]})
	}
	return s
}

// flagInvalidValue is the flag package's refusal of a value it could not
// parse ("invalid value "x" for flag -timeout: parse error", "invalid
// boolean value …"): its last part is strconv's English.
var flagInvalidValue = regexp.MustCompile(`^invalid (?:boolean )?value ("[^"]*") for (?:flag )?(-\S+): `)

// passwordPlace says where a password is kept, for people (account list
// and show; --json keeps account.PasswordLocation's words).
func passwordPlace(l account.PasswordLocation) string {
	switch l {
	case account.LocationNone:
		return i18n.T("send.account.password.none", "not saved (asked each time)")
	case account.LocationKeyring:
		return i18n.T("send.account.password.keyring", "system keyring")
	case account.LocationSession:
		return i18n.T("send.account.password.session", "this session only (asked again next time)")
	case account.LocationUnknown:
		return i18n.T("send.account.password.unknown", "unknown (keyring unavailable)")
	}
	return l.String()
}
