package ui

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"stamp/smtpclient"
)

// untrustedCertificate is the server certificate a failed connection test
// did not trust (unknown issuer, self-signed), with its fingerprint; nil
// when err is not such a failure.
func untrustedCertificate(err error) (*x509.Certificate, string) {
	var se *smtpclient.Error
	var ve *tls.CertificateVerificationError
	if !errors.As(err, &se) || se.CertificateSHA256 == "" || !errors.As(err, &ve) || len(ve.UnverifiedCertificates) == 0 {
		return nil, ""
	}
	return ve.UnverifiedCertificates[0], se.CertificateSHA256
}

// describeCertificate is what a person needs to decide on a certificate:
// who it names, who issued it, when it is valid, its fingerprint.
func describeCertificate(c *x509.Certificate, fp string) string {
	var b strings.Builder
	names := c.Subject.CommonName
	if len(c.DNSNames) > 0 || len(c.IPAddresses) > 0 {
		var alt []string
		alt = append(alt, c.DNSNames...)
		for _, ip := range c.IPAddresses {
			alt = append(alt, ip.String())
		}
		names = strings.TrimSpace(names + " (" + strings.Join(alt, ", ") + ")")
	}
	b.WriteString(lang.X("trust.issued_to", "Issued to: {{.Names}}", map[string]any{"Names": smtpclient.Printable(names)}) + "\n")
	issuer := smtpclient.Printable(c.Issuer.String())
	if c.Issuer.String() == c.Subject.String() {
		issuer = lang.X("trust.self_signed", "{{.Issuer}} (self-signed)", map[string]any{"Issuer": issuer})
	}
	b.WriteString(lang.X("trust.issued_by", "Issued by: {{.Issuer}}", map[string]any{"Issuer": issuer}) + "\n")
	b.WriteString(lang.X("trust.valid", "Valid from {{.From}} until {{.Until}}", map[string]any{
		"From": c.NotBefore.UTC().Format("2006-01-02"), "Until": c.NotAfter.UTC().Format("2006-01-02")}) + "\n")
	fmt.Fprintf(&b, "SHA-256: %s", smtpclient.ColonHex(fp))
	return b.String()
}

// offerTrust asks, on parent, whether to trust the certificate a
// connection test to account name did not, naming its details; trust runs
// when the person agrees.
func offerTrust(parent fyne.Window, name string, c *x509.Certificate, fp string, trust func()) dialog.Dialog {
	intro := widget.NewLabel(lang.X("trust.intro", "The server's certificate is not trusted by this computer: it is self-signed or its issuer is unknown. Compare the fingerprint with the one your provider or administrator publishes."))
	intro.Wrapping = fyne.TextWrapWord
	details := widget.NewLabel(describeCertificate(c, fp))
	details.Wrapping = fyne.TextWrapBreak
	details.TextStyle.Monospace = true
	after := widget.NewLabel(lang.X("trust.after", "If you trust it, {{.Account}} accepts exactly this certificate from now on, and refuses any other (also a renewed one: then test and trust again).", map[string]any{"Account": name}))
	after.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.X("trust.title", "Trust this certificate?"), lang.X("trust.confirm", "Trust this certificate for this account"), lang.X("trust.dismiss", "Don't trust"),
		widget.NewForm(widget.NewFormItem("", intro), widget.NewFormItem("", details), widget.NewFormItem("", after)),
		func(ok bool) {
			if ok {
				trust()
			}
		}, parent)
	d.Resize(fyne.NewSize(620, 420))
	d.Show()
	return d
}
