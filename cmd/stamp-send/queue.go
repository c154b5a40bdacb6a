package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"stamp/compose"
	"stamp/i18n"
	"stamp/internal/datadir"
	"stamp/outbox"
	"stamp/smtpclient"
)

// --queue: the message goes into the app's outbox (internal/datadir), to be
// sent with the saved account by Stamp or by `stamp-send outbox send`.

// checkQueue refuses what --queue cannot honour: the outbox sends later
// with a saved account's settings and keyring secret, so one-off server
// settings and passwords have no place to go.
func (o *options) checkQueue(set map[string]bool) error {
	if !o.Queue {
		if set["delay"] || set["at"] {
			return usagef("%s", i18n.T("send.usage.delay_at_queue", "--delay and --at are for --queue"))
		}
		return nil
	}
	if o.DryRun {
		return usagef("%s", i18n.T("send.usage.queue_dry_run", "--queue and --dry-run: give one or the other"))
	}
	if o.Account == "" {
		return usagef("%s", i18n.T("send.usage.queue_account", "--queue needs --account NAME: a queued message is sent later with a saved account"))
	}
	for _, name := range []string{"server", "security", "user", "password-env", "password-stdin", "auth", "ca-file", "pin", "continue-on-rejected"} {
		if set[name] {
			return usagef("%s", i18n.T("send.usage.queue_fixed", "--queue sends with the saved account's settings; --{{.Flag}} cannot change them", map[string]any{"Flag": fmt.Sprint(name)}))
		}
	}
	if o.QueueDelay < 0 || o.QueueDelay > outbox.MaxUndoDelay {
		return usagef("%s", i18n.T("send.usage.delay_range", "--delay {{.Delay}}: between 0 and {{.Max}}", map[string]any{"Delay": fmt.Sprint(o.QueueDelay), "Max": fmt.Sprint(outbox.MaxUndoDelay)}))
	}
	if o.QueueAt != "" {
		if _, err := parseAt(o.QueueAt); err != nil {
			return usagef("--at %q: %v", o.QueueAt, err)
		}
	}
	return nil
}

// parseAt reads --at: RFC 3339, or a local date and time.
func parseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	// A local wall-clock time: parsed as plain numbers (UTC), then put on
	// that day in the local zone by i18n.OnDay, so a time the clocks skip
	// (00:30 where midnight is skipped) is read as mktime reads it and
	// stays on the day written, as Send later's in the app.
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return i18n.OnDay(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), time.Local).Add(time.Duration(t.Second()) * time.Second), nil
		}
	}
	return time.Time{}, errors.New(i18n.T("send.queue.not_a_time", "not a time: use 2006-01-02T15:04:05Z07:00 or \"2006-01-02 15:04\""))
}

// openOutbox opens the app's outbox with the saved accounts' send paths.
func openOutbox(timeout time.Duration, onEvent func(string, smtpclient.Event), onChange func(outbox.Change)) (*outbox.Outbox, error) {
	data, err := datadir.Dir()
	if err != nil {
		return nil, fmt.Errorf("%s %w", i18n.T("send.outbox.no_data_folder", "cannot find the data folder:"), err)
	}
	st, err := openStore()
	if err != nil {
		return nil, err
	}
	secrets := newSecrets()
	secrets.Timeout = accountKeyringTimeout
	return outbox.Open(outbox.Options{
		Dir: datadir.Outbox(data), SentDir: datadir.Sent(data),
		Sender:   &outbox.AccountSender{Store: st, Secrets: secrets, HTTPClient: oauthHTTPClient(), Timeout: timeout},
		OnEvent:  onEvent,
		OnChange: onChange,
	})
}

// queue puts the message in the outbox and says so (exit 0), or explains
// why it could not (exit 1: the message is not queued, nothing was sent).
func queue(opts *options, msg *compose.Message, stdout, stderr io.Writer) int {
	n, err := opts.queued(msg)
	if err != nil {
		complain(stderr, "stamp-send:", err)
		return exitUsage
	}
	if c, ok := n.Message.(io.Closer); ok {
		defer c.Close()
	}
	o, err := openOutbox(opts.Timeout, nil, nil)
	if err != nil {
		complain(stderr, "stamp-send: --queue:", err)
		return exitFailure
	}
	r, err := o.Enqueue(n)
	if err != nil {
		complain(stderr, "stamp-send: --queue: "+i18n.T("send.queue.not_queued", "the message was not queued:"), err)
		return exitFailure
	}
	if opts.JSON {
		b, _ := json.Marshal(r)
		stdout.Write(append(printableJSON(b), '\n'))
	} else if !opts.Quiet {
		fmt.Fprintln(stdout, smtpclient.Printable(i18n.T("send.queue.queued", "queued {{.ID}} ({{.State}}, leaves {{.When}})", map[string]any{"ID": r.ID, "State": stateWord(r.State), "When": r.NextAttempt.Local().Format("2006-01-02 15:04:05")})))
	}
	return exitOK
}

// queued builds the outbox entry from the flags and the saved account.
func (o *options) queued(msg *compose.Message) (outbox.New, error) {
	var n outbox.New
	if msg != nil {
		var err error
		if n, err = outbox.FromCompose(msg); err != nil {
			return n, err
		}
	} else {
		m, err := o.addresses()
		if err != nil {
			return n, err
		}
		cenv, err := m.Envelope()
		if err != nil {
			return n, err
		}
		f, err := smtpclient.OpenFile(o.EML)
		if err != nil {
			return n, fmt.Errorf("--eml: %w", err)
		}
		eight, err := eightBitFile(o.EML)
		if err != nil {
			f.Close()
			return n, fmt.Errorf("--eml: %w", err)
		}
		n = outbox.New{Message: f, SentHeader: compose.SentHeader(m),
			Envelope: smtpclient.Envelope{From: cenv.From, To: cenv.To, SMTPUTF8: cenv.SMTPUTF8, EightBitMIME: cenv.EightBitMIME || eight}}
	}
	n.Account, n.SentCopy, n.Delay = o.saved.ID, o.saved.SaveSent, o.QueueDelay
	if o.QueueAt != "" {
		n.At, _ = parseAt(o.QueueAt)
	}
	return n, nil
}
