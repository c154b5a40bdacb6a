// Command stamp-send is Stamp's engine from a terminal: it composes and sends
// a message with the same packages as the desktop app. Its contract is in
// DESIGN.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"stamp/compose"
)

// Exit codes (DESIGN.md).
const (
	exitOK      = 0
	exitFailure = 1 // our own output could not be written
	exitUsage   = 2 // usage or invalid input; nothing was sent
	exitConnect = 3 // connection or TLS failure
	exitAuth    = 4 // authentication failed
	exitRefused = 5 // the server refused the message or every recipient
	exitPartial = 6 // sent, but some recipients were refused
	exitTimeout = 7 // timeout or cancelled
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// runAccount runs the "account" subcommand. account.go assigns the real one.
var runAccount = func(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stamp-send: account: not available in this build")
	return exitUsage
}

// resolveAccount fills in opts from the saved account opts.Account (From,
// server, security, user, auth, CA file, password from the keyring) where
// the command line left them empty, then calls opts.resolveServer again.
// It runs for every send and dry run, before the message is built. A
// *usageError means exit 2. account.go assigns the real one.
var resolveAccount = func(opts *options) error {
	if opts.Account != "" {
		return usagef("--account: saved accounts are not available in this build")
	}
	return nil
}

// sendFunc sends the message: msg is the composed message, or nil with
// --eml (then opts.EML is the file and opts.envelope() the envelope). It
// writes the transcript to stderr and returns the exit code. send.go
// assigns the real one.
var sendFunc = func(ctx context.Context, opts *options, msg *compose.Message, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stamp-send: sending not built yet; use --dry-run")
	return exitUsage
}

// run is the whole command: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "account" {
		return runAccount(args[1:], stdin, stdout, stderr)
	}
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, errHelp) {
		return exitOK
	}
	if err == nil {
		err = resolveAccount(opts)
	}
	if err == nil {
		err = opts.readInputs(stdin)
	}
	var msg *compose.Message
	if err == nil && opts.EML == "" {
		msg, err = opts.message()
	}
	if err == nil && opts.EML != "" {
		_, err = opts.envelope()
	}
	if err == nil && !opts.DryRun {
		err = opts.checkSend(stdin)
	}
	if err != nil {
		fmt.Fprintln(stderr, "stamp-send:", err)
		return exitUsage
	}
	if opts.DryRun {
		return dryRun(opts, msg, stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return sendFunc(ctx, opts, msg, stdout, stderr)
}

// checkSend checks what only a real send needs: a server, and the password
// when one was asked for.
func (o *options) checkSend(stdin io.Reader) error {
	if o.Host == "" {
		return usagef("--server is required to send (or --account NAME, or --dry-run)")
	}
	return o.readPassword(stdin)
}

// envelope returns the SMTP envelope the flags describe.
func (o *options) envelope() (compose.Envelope, error) {
	m, err := o.addresses()
	if err != nil {
		return compose.Envelope{}, err
	}
	return m.Envelope()
}
