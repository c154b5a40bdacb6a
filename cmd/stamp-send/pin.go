package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"

	"stamp/account"
	"stamp/i18n"
	"stamp/smtpclient"
)

// A server whose certificate no trusted CA vouches for (a self-signed
// server, a company relay) can be trusted for one account by pinning its
// certificate: Account.PinnedSHA256, `account add --pin`, or `--pin` for
// one send. When a send or a test fails on such a certificate, stamp-send
// shows what a person needs to decide (the fingerprint, issuer and dates)
// and the command that trusts it, as Thunderbird's "security exception"
// does, but never on its own.

// untrustedCertificate returns the lines that describe the certificate a
// failure was about and how to trust it, or nil when err is not about an
// untrusted certificate. addArgs is the `stamp-send account add ...`
// command that saves the settings in use, without --pin; oneOff says the
// send named no account, so --pin on the same command works too.
func untrustedCertificate(err error, addArgs []string, oneOff bool) []string {
	var e *smtpclient.Error
	if !errors.As(err, &e) || e.CertificateSHA256 == "" {
		return nil
	}
	pin, perr := account.NormalizeSHA256(e.CertificateSHA256)
	if perr != nil {
		return nil
	}
	lines := []string{i18n.T("send.cert.untrusted", "The server's certificate is not trusted:"),
		"  " + i18n.T("send.cert.fingerprint", "SHA-256 fingerprint: {{.Fingerprint}}", map[string]any{"Fingerprint": smtpclient.ColonHex(pin)})}
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ve) && len(ve.UnverifiedCertificates) > 0 {
		c := ve.UnverifiedCertificates[0]
		lines = append(lines,
			"  "+i18n.T("send.cert.issued_to", "issued to: {{.Subject}}", map[string]any{"Subject": c.Subject.String()}),
			"  "+i18n.T("send.cert.issued_by", "issued by: {{.Issuer}}", map[string]any{"Issuer": c.Issuer.String()}),
			"  "+i18n.T("send.cert.valid", "valid from {{.From}} until {{.Until}}", map[string]any{
				"From": c.NotBefore.UTC().Format("2006-01-02 15:04 MST"), "Until": c.NotAfter.UTC().Format("2006-01-02 15:04 MST")}))
	}
	lines = append(lines, i18n.T("send.cert.compare", "Compare the fingerprint with the one the server's administrator or provider gives you."))
	if oneOff {
		lines = append(lines, i18n.T("send.cert.pin_once", "If they match, add --pin {{.Pin}} to trust this certificate for one send, or save it for an account with:", map[string]any{"Pin": pin}))
	} else {
		lines = append(lines, i18n.T("send.cert.pin_account", "If they match, trust this certificate for this account only with:"))
	}
	cmd := append(append([]string{}, addArgs...), "--pin", pin)
	if !oneOff {
		cmd = append(cmd, "--replace")
	}
	lines = append(lines, "  "+shellJoin(cmd))
	for i, l := range lines {
		lines[i] = smtpclient.Printable(l) // certificate names are the server's text
	}
	return lines
}

// addCommand is the `stamp-send account add` command that saves the
// account a as it is (the password stays in the keyring).
func addCommand(a account.Account) []string {
	cmd := []string{"stamp-send", "account", "add", a.ID, "--from", a.From(),
		"--server", a.Server(), "--security", string(a.Security)}
	if a.Username != "" {
		cmd = append(cmd, "--user", a.Username)
	}
	if a.Auth != "" && a.Auth != account.AuthAuto {
		cmd = append(cmd, "--auth", string(a.Auth))
	}
	if a.CAFile != "" {
		cmd = append(cmd, "--ca-file", a.CAFile)
	}
	if a.Label != "" {
		cmd = append(cmd, "--label", a.Label)
	}
	if !a.SaveSent {
		cmd = append(cmd, "--no-sent-copy")
	}
	return cmd
}

// addCommandFor is the `stamp-send account add NAME` command that saves
// the settings of a send without --account.
func (o *options) addCommandFor() []string {
	cmd := []string{"stamp-send", "account", "add", "NAME", "--from", o.From,
		"--server", net.JoinHostPort(o.Host, strconv.Itoa(o.Port)), "--security", o.Security}
	if o.User != "" {
		cmd = append(cmd, "--user", o.User)
	}
	if o.Auth != "" && o.Auth != "auto" {
		cmd = append(cmd, "--auth", o.Auth)
	}
	if o.CAFile != "" {
		cmd = append(cmd, "--ca-file", o.CAFile)
	}
	return cmd
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9@%+=:,./_-]+$`)

// shellJoin quotes each word for a POSIX shell where it needs it.
func shellJoin(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		if shellSafe.MatchString(w) {
			out[i] = w
		} else {
			out[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}

// printUntrusted writes the lines of untrustedCertificate, if any.
func printUntrusted(w io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(w, "stamp-send: "+l)
	}
}
