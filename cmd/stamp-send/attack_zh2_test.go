package main

import (
	"bufio"
	"stamp/internal/loopback"
	"strings"
	"testing"
)

// silentAfterData is an SMTP server on 127.0.0.1 that takes the whole
// message and then, instead of its final reply, does what stop says:
// close the connection, or say nothing.
func silentAfterData(t *testing.T, hangUp bool) string {
	t.Helper()
	return loopback.Serve(t, loopback.SMTPUntilDot(func(r *bufio.Reader) {
		if !hangUp {
			r.ReadString('\n') // until the client gives up
		}
	})).String()
}

// The engine's "may have been delivered" is a flag now, and each caller
// is to word it once. stamp-send prints Error.Explain — whose advice row
// for a broken connection or a time-out during the final reply already
// says "it may have been delivered" — and then its own warning line
// saying it again.
func TestAttackZh2StampSendSaysMayHaveBeenDeliveredTwice(t *testing.T) {
	for _, hangUp := range []bool{true} { // not a silent server: the final reply waits its 10 minutes whatever --timeout says
		addr := silentAfterData(t, hangUp)
		code, stdout, stderr := runCmd(t, "", "--server", addr, "--security", "none", "--timeout", "1s",
			"--from", "a@example.com", "--to", "b@example.com", "--subject", "s", "--body", "b")
		out := stdout + stderr
		if n := strings.Count(out, "may have been delivered"); n != 1 {
			t.Errorf("hang up %v: exit %d, \"may have been delivered\" said %d times:\n%s", hangUp, code, n, out)
		}
	}
}
