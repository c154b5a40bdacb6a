package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"stamp/i18n"
	"stamp/outbox"
	"stamp/smtpclient"
)

const outboxSynopsis = `usage: stamp-send outbox list [--json]
       stamp-send outbox send [ID] [--again] [--timeout D] [--quiet | --json]
       stamp-send outbox remove ID

`

// outboxHelp is "stamp-send outbox --help": the synopsis, then the notes in
// the person's language.
func outboxHelp() string {
	return outboxSynopsis + i18n.T("send.outbox.usage_notes", `The outbox is the app's (in its data folder): messages queued with
stamp-send --queue or by Stamp's Send. "send" without ID sends every
message that is due and those waiting after a temporary failure; with ID it
sends that one now. A message that may already have been delivered is sent
again only with --again. Exit codes: 0 sent (or nothing to do); 1 not done;
3 retrying later (connection, time-out, 4xx); 4 sign in or password needed;
5 refused, or may have been delivered.`) + "\n"
}

// outboxCommand runs "stamp-send outbox ...".
func outboxCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
		fmt.Fprint(stderr, outboxHelp())
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	fs := flag.NewFlagSet("stamp-send outbox", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	quiet := fs.Bool("quiet", false, "")
	again := fs.Bool("again", false, "")
	timeout := fs.Duration("timeout", 30*time.Second, "")
	verb, rest := args[0], args[1:]
	var ids []string
	for len(rest) > 0 { // flags and the ID in any order
		if err := fs.Parse(rest); err != nil {
			complain(stderr, "stamp-send outbox:", errors.New(i18n.T("send.outbox.bad_flag", "{{.Error}} (see stamp-send outbox --help)", map[string]any{"Error": flagErrorText(err)})))
			return exitUsage
		}
		if rest = fs.Args(); len(rest) > 0 {
			ids, rest = append(ids, rest[0]), rest[1:]
		}
	}
	if len(ids) > 1 || (verb == "remove" && len(ids) != 1) || (verb == "list" && len(ids) != 0) {
		fmt.Fprint(stderr, outboxHelp())
		return exitUsage
	}
	out := &transcript{w: stderr, json: *asJSON, quiet: *quiet}
	var mu sync.Mutex
	changed := map[string]outbox.Change{} // this process's last change of each message
	o, err := openOutbox(*timeout, func(_ string, ev smtpclient.Event) { out.event(ev) }, func(c outbox.Change) {
		mu.Lock()
		changed[c.Record.ID] = c
		mu.Unlock()
	})
	if err != nil {
		complain(stderr, "stamp-send outbox:", err)
		return exitFailure
	}
	switch verb {
	case "list":
		return listOutbox(o, *asJSON, stdout, stderr)
	case "send":
		ctx, stop := signalContext()
		defer stop()
		if len(ids) == 0 {
			return flushOutbox(ctx, o, stdout, stderr, *quiet, func(id string) (outbox.Change, bool) {
				mu.Lock()
				defer mu.Unlock()
				c, ok := changed[id]
				return c, ok
			})
		}
		return sendOne(ctx, o, ids[0], *again, stdout, stderr)
	case "remove":
		var sent *outbox.AlreadySentError
		if err := o.Remove(ids[0]); errors.As(err, &sent) {
			msg := "stamp-send outbox remove: " + i18n.T("send.outbox.already_sent", "{{.ID}} was already sent (the server accepted it), so it cannot be removed", map[string]any{"ID": ids[0]})
			if sent.SentPath != "" {
				msg += i18n.T("send.outbox.sent_copy", "; its copy is in {{.Path}}", map[string]any{"Path": sent.SentPath})
			}
			fmt.Fprintln(stderr, smtpclient.Printable(msg))
			return exitFailure
		} else if errors.Is(err, outbox.ErrNotFound) {
			fmt.Fprintln(stderr, "stamp-send outbox remove: "+notInOutbox(ids[0]))
			return exitFailure
		} else if err != nil {
			complain(stderr, "stamp-send outbox remove:", err)
			return exitFailure
		}
		fmt.Fprintln(stdout, i18n.T("send.outbox.removed", "removed {{.ID}}", map[string]any{"ID": ids[0]}))
		return exitOK
	}
	complain(stderr, "stamp-send outbox:", errors.New(i18n.T("send.outbox.unknown_command", "unknown command {{.Command}} (see stamp-send outbox --help)", map[string]any{"Command": fmt.Sprintf("%q", verb)})))
	return exitUsage
}

// listOutbox prints every queued message: a table, or a JSON array.
func listOutbox(o *outbox.Outbox, asJSON bool, stdout, stderr io.Writer) int {
	list, err := o.List()
	if err != nil {
		complain(stderr, "stamp-send outbox list:", err)
	}
	if asJSON {
		// busy: a process holds the message right now (being sent), as
		// opposed to an attempt that died; the record on disk never says.
		// last_error_explanation: the last error in words, in the current
		// language (the record keeps last_error's machine fields);
		// last_error.explanation, where scripts read it before, says the
		// same (the record on disk leaves it empty).
		type listed struct {
			outbox.Record
			Busy        bool   `json:"busy"`
			Explanation string `json:"last_error_explanation,omitempty"`
		}
		out := []listed{}
		for _, r := range list {
			x := r.LastError.Explain()
			if r.LastError != nil {
				f := *r.LastError // a copy: the list's record stays as stored
				f.Explanation = x
				r.LastError = &f
			}
			out = append(out, listed{r, r.Busy, x})
		}
		b, _ := json.Marshal(out)
		stdout.Write(append(printableJSON(b), '\n'))
	} else {
		for _, r := range list {
			fmt.Fprintln(stdout, smtpclient.Printable(describe(r)))
		}
	}
	if err != nil {
		return exitFailure
	}
	return exitOK
}

// describe is one line about r for people.
func describe(r outbox.Record) string {
	state := stateWord(r.State)
	switch {
	case r.Busy:
		state = i18n.T("send.outbox.sending_now", "sending now")
	case r.State == outbox.NeedsAttention:
		state = i18n.T("send.outbox.state_reason", "{{.State}} ({{.Reason}})", map[string]any{"State": state, "Reason": reasonWord(r.Reason)})
	case r.State == outbox.Waiting, r.State == outbox.Scheduled, r.State == outbox.Retrying:
		state = i18n.T("send.outbox.state_next", "{{.State}}, next {{.When}}", map[string]any{"State": state, "When": r.NextAttempt.Local().Format("2006-01-02 15:04:05")})
	}
	line := r.ID + "  " + state + "  " + r.Account + "  " + i18n.T("send.outbox.to", "to {{.To}}", map[string]any{"To": strings.Join(r.To, ", ")}) +
		"  " + fmt.Sprintf("%q", r.Subject)
	if r.LastError != nil {
		line += "  " + i18n.T("send.outbox.last_error", "last error: {{.Error}}", map[string]any{"Error": r.LastError.Explain()})
	}
	return line
}

// flushOutbox sends what is due (and what waits after a temporary failure).
// changed is this process's last change of a message: it sent it, or
// judged an attempt that had died (List does, before the flush), as
// opposed to another process sending, taking back or deleting it.
func flushOutbox(ctx context.Context, o *outbox.Outbox, stdout, stderr io.Writer, quiet bool, changed func(id string) (outbox.Change, bool)) int {
	before, _ := o.List()
	_, err := o.Flush(ctx, true)
	after, _ := o.List()
	left := map[string]outbox.Record{}
	for _, r := range after {
		left[r.ID] = r
	}
	code := exitOK
	for _, r := range before {
		now, still := left[r.ID]
		c, touched := changed(r.ID)
		switch {
		case !still && touched && c.Removed && c.Record.State == outbox.Sent:
			if !quiet {
				fmt.Fprintln(stdout, smtpclient.Printable(i18n.T("send.outbox.sent", "sent {{.ID}} {{.Subject}}", map[string]any{"ID": r.ID, "Subject": fmt.Sprintf("%q", r.Subject)})))
			}
		case !still:
			// Another process sent, took back or deleted it meanwhile.
		case touched, now.LastAttempt.After(r.LastAttempt), now.State != r.State:
			fmt.Fprintln(stderr, smtpclient.Printable("stamp-send outbox: "+describe(now)))
			if c := recordExitCode(now); code == exitOK {
				code = c
			}
		}
	}
	if err != nil {
		complain(stderr, "stamp-send outbox send:", err)
		if code == exitOK {
			code = exitFailure
		}
	}
	return code
}

// sendOne sends the message id now.
func sendOne(ctx context.Context, o *outbox.Outbox, id string, again bool, stdout, stderr io.Writer) int {
	// The outbox decides under the message's lock (an attempt that died
	// after DATA is judged there): no look beforehand that could be stale.
	r, err := o.SendNow(ctx, id, again)
	if errors.Is(err, outbox.ErrMaybeDelivered) {
		fmt.Fprintln(stderr, "stamp-send outbox send: "+i18n.T("send.outbox.maybe_delivered", "{{.ID}} may already have been delivered; check with a recipient, then send it again with --again", map[string]any{"ID": smtpclient.Printable(id)}))
		if x := r.LastError.Explain(); x != "" {
			fmt.Fprintln(stderr, "stamp-send outbox: "+smtpclient.Printable(x))
		}
		return exitRefused
	}
	if err != nil && !errors.Is(err, outbox.ErrNotFound) {
		complain(stderr, "stamp-send outbox send:", err)
		if r.State != outbox.Sent {
			return exitFailure
		}
	}
	if r.State == outbox.Sent {
		msg := i18n.T("send.outbox.sent_id", "sent {{.ID}}", map[string]any{"ID": id})
		if late, ok := r.LeftLate(); ok {
			msg += i18n.T("send.outbox.late", " ({{.Late}} late, at {{.At}})", map[string]any{"Late": lateText(late), "At": r.SentAt.Local().Format("2006-01-02 15:04")})
		}
		fmt.Fprintln(stdout, msg)
		return exitOK
	}
	if errors.Is(err, outbox.ErrNotFound) {
		fmt.Fprintln(stderr, "stamp-send outbox send: "+notInOutbox(id))
		return exitFailure
	}
	fmt.Fprintln(stderr, smtpclient.Printable("stamp-send outbox: "+describe(r)))
	return recordExitCode(r)
}

// recordExitCode is the exit code for a message that did not leave.
func recordExitCode(r outbox.Record) int {
	switch {
	case r.State == outbox.Retrying:
		return exitConnect
	case r.Reason == outbox.ReasonSignIn:
		return exitAuth
	case r.Reason == outbox.ReasonRefused, r.Reason == outbox.ReasonMaybeDelivered:
		return exitRefused
	case r.Reason == outbox.ReasonCertificate:
		return exitConnect
	}
	return exitFailure
}
