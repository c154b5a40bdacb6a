package main

import (
	"errors"
	"flag"
	"io"
	"regexp"
	"strings"

	"stamp/i18n"
)

// Go's flag package words its refusals in English and writes them itself
// (one line, then the usage). flagErrors translates the common ones: the
// line it writes and the error parseStartArgs returns.
var (
	flagUndefined = regexp.MustCompile(`^flag provided but not defined: (-\S*)$`)
	flagNoValue   = regexp.MustCompile(`^flag needs an argument: (-\S*)$`)
	flagSyntax    = regexp.MustCompile(`^bad flag syntax: (.*)$`)
	flagInvalid   = regexp.MustCompile(`^invalid (?:boolean )?value ("[^"]*") for (?:flag )?(-\S+): `)
)

// flagMessage is msg, one of the flag package's refusals, in the current
// language; msg as it is when it is not one of those.
func flagMessage(msg string) string {
	if m := flagUndefined.FindStringSubmatch(msg); m != nil {
		return i18n.T("cli.flag_unknown", "there is no option {{.Flag}} (stamp --help lists them)", map[string]any{"Flag": m[1]})
	}
	if m := flagNoValue.FindStringSubmatch(msg); m != nil {
		return i18n.T("cli.flag_no_value", "the option {{.Flag}} needs a value after it", map[string]any{"Flag": m[1]})
	}
	if m := flagInvalid.FindStringSubmatch(msg); m != nil {
		return i18n.T("cli.flag_invalid", "the option {{.Flag}} does not take {{.Value}}", map[string]any{"Flag": m[2], "Value": m[1]})
	}
	if m := flagSyntax.FindStringSubmatch(msg); m != nil {
		return i18n.T("cli.flag_syntax", "{{.Arg}} is not how an option is written (for example -to or --to)", map[string]any{"Arg": m[1]})
	}
	return msg
}

// flagError is err, from FlagSet.Parse, in the current language.
func flagError(err error) error {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	if t := flagMessage(err.Error()); t != err.Error() {
		return errors.New(t)
	}
	return err
}

// flagOutput is the FlagSet's output: the refusal line the flag package
// writes goes through flagMessage, the rest (the usage) as it is.
type flagOutput struct{ w io.Writer }

func (o flagOutput) Write(p []byte) (int, error) {
	line, ok := strings.CutSuffix(string(p), "\n")
	if ok && !strings.Contains(line, "\n") {
		if t := flagMessage(line); t != line {
			if _, err := io.WriteString(o.w, t+"\n"); err != nil {
				return 0, err
			}
			return len(p), nil
		}
	}
	return o.w.Write(p)
}
