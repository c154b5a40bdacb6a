package ui

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"stamp/account"
	"stamp/smtpclient"
	"stamp/smtpclient/sandbox"
)

// serverCertificate fetches the certificate a TLS server on addr presents,
// without verifying it: the test's own view of what should be trusted.
func serverCertificate(t *testing.T, addr string) (fingerprint string, issuer string) {
	t.Helper()
	c, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	leaf := c.ConnectionState().PeerCertificates[0]
	sum := sha256.Sum256(leaf.Raw)
	return hex.EncodeToString(sum[:]), leaf.Issuer.CommonName
}

// probesDone reports each connection test of w whose result is shown;
// waiting on it, a test reads the panel only after the probe goroutine
// is done with it.
func probesDone(w *AccountsWindow) <-chan struct{} {
	ch := make(chan struct{}, 8)
	w.afterProbe = func() { ch <- struct{}{} }
	return ch
}

func TestAnUntrustedCertificateCanBeTrustedForTheAccountFromTheConnectionTest(t *testing.T) {
	srv, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.TLS})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	fp, issuer := serverCertificate(t, srv.Addr())

	w, store, _, _ := newTestAccountsWindow(t)
	probed := probesDone(w)
	test.Type(w.Address, "me@example.com")
	w.Host.SetText(srv.Host())
	w.Port.SetText(strconv.Itoa(srv.Port()))
	w.setSecurity(account.SecurityTLS)
	w.setAuth(account.AuthNone)

	// The first test fails on the certificate, and the question shows it.
	w.TestConnection()
	w.waitIdle(t)
	p := w.probe
	waitDone(t, probed)
	if strings.Contains(p.Outcome.Text, "Connection works") {
		t.Fatalf("an unknown certificate was accepted: %q", p.Outcome.Text)
	}
	if w.trustDialog == nil {
		t.Fatal("no offer to trust the certificate")
	}
	top := p.Window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no question on the test's window")
	}
	text := dialogText(top)
	p.Window.Resize(fyne.NewSize(720, 560))
	saveShot(t, p.Window, "trust-certificate-offer")
	for _, want := range []string{smtpclient.ColonHex(fp), "Issued by: ", issuer, "Valid from ", "until "} {
		if !strings.Contains(text, want) {
			t.Fatalf("the question lacks %q:\n%s", want, text)
		}
	}
	trust := findButton(top, "Trust this certificate for this account")
	if trust == nil {
		t.Fatalf("no button to trust it:\n%s", text)
	}
	test.Tap(trust)
	if w.pinned != fp || !strings.Contains(w.Trust.Text, smtpclient.ColonHex(fp)) || !w.trustRow.Visible() {
		t.Fatalf("the form trusts %q (label %q), want %s", w.pinned, w.Trust.Text, fp)
	}

	// Tested again, the connection works with the pin; saved, the account
	// keeps it.
	p.CloseButton.OnTapped()
	w.TestConnection()
	w.waitIdle(t)
	waitDone(t, probed)
	if !strings.Contains(p.Outcome.Text, "Connection works.") {
		t.Fatalf("with the certificate trusted: %q", p.Outcome.Text)
	}
	w.Save()
	w.waitIdle(t)
	list, _ := store.List()
	if len(list) != 1 || list[0].PinnedSHA256 != fp {
		t.Fatalf("saved accounts = %+v, want the pin %s", list, fp)
	}
	w.Window.Resize(fyne.NewSize(900, 760))
	saveShot(t, w.Window, "trust-certificate-accounts-window")

	// A saved account that is not trusted yet gets the pin stored at once.
	acct := list[0]
	acct.PinnedSHA256 = ""
	if err := store.Put(acct); err != nil {
		t.Fatal(err)
	}
	w.Edit(acct.ID)
	if w.trustRow.Visible() {
		t.Fatal("the trust line shows for an account without a pin")
	}
	p.CloseButton.OnTapped()
	w.trustDialog = nil
	w.TestConnection()
	w.waitIdle(t)
	waitDone(t, probed)
	test.Tap(findButton(p.Window.Canvas().Overlays().Top(), "Trust this certificate for this account"))
	w.waitIdle(t)
	if got, _ := store.Get(acct.ID); got.PinnedSHA256 != fp {
		t.Fatalf("the saved account trusts %q, want %s; status %q", got.PinnedSHA256, fp, w.Status.Text)
	}
	if !strings.Contains(w.Status.Text, "now trusts this certificate") {
		t.Fatalf("status = %q", w.Status.Text)
	}

	// Stop trusting it: gone once saved.
	test.Tap(w.ForgetTrust)
	w.Save()
	w.waitIdle(t)
	if got, _ := store.Get(acct.ID); got.PinnedSHA256 != "" || w.trustRow.Visible() {
		t.Fatalf("after Stop trusting it and Save the account still trusts %q", got.PinnedSHA256)
	}
}
