// Command stamp-send is Stamp's engine from a terminal: it composes and sends
// a message with the same packages as the desktop app. Its contract is in
// DESIGN.md.
package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"stamp/compose"
	"stamp/i18n"
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
	args := terminalArgs(os.Args[1:])                             // args_codeset.go
	stdout, stderr := terminalStreams(args, os.Stdout, os.Stderr) // terminal.go
	os.Exit(run(args, os.Stdin, stdout, stderr))
}

// The three parts of run, as package variables only so that tests can
// replace one (captureSend, TestAccountSubcommandIsDispatched).
var (
	// runAccount runs the "account" subcommand (account.go).
	runAccount = accountCommand
	// resolveAccount fills in opts from the saved account --account NAME
	// (useaccount.go); a *usageError means exit 2.
	resolveAccount = applyAccount
	// sendFunc sends the message and returns the exit code (send.go).
	sendFunc = send
)

// run is the whole command: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	args, err := useLanguage(args)
	if err != nil {
		complain(stderr, "stamp-send:", err)
		return exitUsage
	}
	if len(args) > 0 && args[0] == "account" {
		return runAccount(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "outbox" {
		return outboxCommand(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "contacts" {
		return runContacts(args[1:], stdout, stderr)
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
	if err == nil && !opts.DryRun && !opts.Queue {
		err = opts.checkSend(stdin)
	}
	if err != nil {
		complain(stderr, "stamp-send:", err)
		return exitUsage
	}
	if opts.DryRun {
		return dryRun(opts, msg, stdout, stderr)
	}
	if opts.Queue {
		return queue(opts, msg, stdout, stderr)
	}
	ctx, stop := signalContext()
	defer stop()
	return sendFunc(ctx, opts, msg, stdout, stderr)
}

// signalContext returns a context that the first SIGINT or SIGTERM
// cancels: the engine closes the connection and stamp-send reports what
// happened (exit 7). The first signal also gives both signals their default
// action back, so a second one ends the process at once, even when it is
// stuck in something that does not watch the context (a blocked write to
// a terminal or a pipe, a file that never ends).
func signalContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	return ctx, stop
}

// checkSend checks what only a real send needs: a server, and the password
// when one was asked for.
func (o *options) checkSend(stdin io.Reader) error {
	if o.Host == "" {
		return usagef("%s", i18n.T("send.no_server", "--server is required to send (or --account NAME, or --dry-run)"))
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
