package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"stamp/compose"
	"stamp/i18n"
)

// dryRun writes the message to stdout or --out and the envelope to stderr,
// and sends nothing. msg is nil with --eml: the file is copied as is.
func dryRun(opts *options, msg *compose.Message, stdout, stderr io.Writer) int {
	env, err := opts.envelope()
	if err != nil {
		complain(stderr, "stamp-send:", err)
		return exitUsage
	}
	var (
		w    *compose.Writer
		size int64
	)
	if msg != nil {
		if w, err = msg.NewWriter(compose.WriteOptions{}); err != nil {
			complain(stderr, "stamp-send:", err)
			return exitUsage
		}
		size = w.Size()
	} else {
		fi, err := os.Stat(opts.EML)
		if err != nil {
			complain(stderr, "stamp-send: --eml:", err)
			return exitUsage
		}
		size = fi.Size()
	}
	printEnvelope(opts, env, size, stderr)

	switch {
	case w != nil && opts.Out != "":
		err = w.Save(opts.Out)
	case w != nil:
		_, err = w.WriteTo(stdout)
	default:
		err = copyFile(opts.EML, opts.Out, stdout)
	}
	if err != nil {
		complain(stderr, "stamp-send:", err)
		var ae *compose.AttachmentError
		if errors.As(err, &ae) {
			return exitUsage // an input file changed under us
		}
		return exitFailure
	}
	return exitOK
}

// printEnvelope shows the envelope as the SMTP commands that would carry
// it, or as one JSON object of kind "envelope" with --json.
func printEnvelope(opts *options, env compose.Envelope, size int64, stderr io.Writer) {
	switch {
	case opts.Quiet:
	case opts.JSON:
		json.NewEncoder(stderr).Encode(struct {
			Kind         string   `json:"kind"`
			MailFrom     string   `json:"mail_from"`
			RcptTo       []string `json:"rcpt_to"`
			SMTPUTF8     bool     `json:"smtputf8"`
			EightBitMIME bool     `json:"8bitmime"`
			Size         int64    `json:"size"`
		}{"envelope", env.From, env.To, env.SMTPUTF8, env.EightBitMIME, size})
	default:
		var params []string
		if env.EightBitMIME {
			params = append(params, "BODY=8BITMIME")
		}
		if env.SMTPUTF8 {
			params = append(params, "SMTPUTF8")
		}
		fmt.Fprintln(stderr, "=== "+i18n.T("send.dry_run", "dry run: {{.Size}} bytes, nothing sent", map[string]any{"Size": size}))
		fmt.Fprintln(stderr, strings.Join(append([]string{"MAIL FROM:<" + env.From + ">"}, params...), " "))
		for _, r := range env.To {
			fmt.Fprintf(stderr, "RCPT TO:<%s>\n", r)
		}
	}
}

// copyFile copies an --eml file to out (atomically) or to stdout.
func copyFile(src, out string, stdout io.Writer) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	if out == "" {
		_, err = io.Copy(stdout, f)
		return err
	}
	return compose.SaveRaw(out, f)
}
