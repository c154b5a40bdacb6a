package main

import (
	"fmt"
	"io"

	"stamp/i18n"
	"stamp/mailto"
)

// applyMailto puts the parts of --mailto into the options: its addresses
// before the flags' own, its subject and body unless --subject or a body
// flag gives them (both is a usage error). Every field the link carries
// that Stamp does not take (attach=, from, X-…) is named on stderr, as the
// app names it in its window (five, then "and N more"); with --json, as one
// "mailto_ignored" event per distinct field and one "mailto_note" per note. set holds the names of the flags given.
func (o *options) applyMailto(set map[string]bool, stderr io.Writer) error {
	if o.Mailto == "" {
		return nil
	}
	if o.EML != "" {
		return usagef("%s", i18n.T("send.usage.eml_mailto", "--eml sends a finished message as is; --mailto cannot change it"))
	}
	l, err := mailto.Parse(o.Mailto)
	if err != nil {
		return usagef("--mailto: %v", err)
	}
	o.To = append(append([]string{}, l.To...), o.To...)
	o.Cc = append(append([]string{}, l.Cc...), o.Cc...)
	o.Bcc = append(append([]string{}, l.Bcc...), o.Bcc...)
	if l.Subject != "" {
		if set["subject"] {
			return usagef("%s", i18n.T("send.usage.mailto_subject", "--mailto gives a subject and so does --subject: give one"))
		}
		o.Subject = l.Subject
	}
	if l.Body != "" {
		if set["body"] || set["body-file"] {
			return usagef("%s", i18n.T("send.usage.mailto_body", "--mailto gives a body and so does --body or --body-file: give one"))
		}
		o.Body = l.Body
	}
	if !o.Quiet && o.JSON { // every distinct field, for scripts: one event each
		all, _ := l.IgnoredShown(len(l.Ignored))
		for _, ig := range all {
			writeJSONLine(stderr, struct {
				Kind   string `json:"kind"`
				Field  string `json:"field"`
				Reason string `json:"reason"`
			}{"mailto_ignored", ig.Field, ig.Reason})
		}
		for _, n := range l.Notes {
			writeJSONLine(stderr, struct {
				Kind string `json:"kind"`
				Note string `json:"note"`
			}{"mailto_note", n})
		}
	}
	if !o.Quiet && !o.JSON { // --json keeps stderr to JSON events
		shown, more := l.IgnoredShown(mailto.MaxIgnoredShown)
		for _, ig := range shown {
			fmt.Fprintln(stderr, "stamp-send: --mailto: "+i18n.T("send.mailto.ignored", "ignored the link's {{.Field}} field: {{.Reason}}", map[string]any{"Field": fmt.Sprintf("%q", ig.Field), "Reason": ig.Reason}))
		}
		if more > 0 {
			fmt.Fprintln(stderr, "stamp-send: --mailto: "+i18n.N("send.mailto.more_ignored", "and {{.Count}} more field ignored", "and {{.Count}} more fields ignored", more))
		}
		for _, n := range l.Notes {
			fmt.Fprintf(stderr, "stamp-send: --mailto: %s\n", n)
		}
	}
	return nil
}
