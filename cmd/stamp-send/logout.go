package main

import (
	"errors"
	"flag"
	"fmt"

	"stamp/account"
	"stamp/oauth"
)

// account logout NAME (alias signout): ends an OAuth account's sign-in.
// The provider revokes it where it can (RFC 7009: Google, a custom
// provider with a revocation endpoint); the refresh token, its parts and
// the client secret leave the keyring; the account's settings stay.
func (c *accountCmd) logout(args []string) error {
	fs := flag.NewFlagSet("account logout", flag.ContinueOnError)
	a, err := c.named(fs, args)
	if err != nil {
		return err
	}
	if a.OAuth == nil {
		return usagef("account %q logs in with a password, not a sign-in; stamp-send account remove %s forgets it with its password", a.ID, a.ID)
	}
	p, perr, out, err := c.signOut(a)
	if err != nil {
		c.code = exitFailure
		return fmt.Errorf("%w\nThe sign-in may still be in the system keyring (service %q)", err, account.KeyringService)
	}
	name := string(a.OAuth.Provider)
	if p != nil {
		name = p.Kind.Name()
	}
	switch {
	case out.Revoked:
		fmt.Fprintf(c.stdout, "Signed out of %q: %s revoked the sign-in, and it is deleted from the system keyring.\n", a.ID, name)
	case errors.Is(out.RevokeErr, oauth.ErrNoRevocation):
		fmt.Fprintf(c.stdout, "Signed out of %q: the sign-in is deleted from the system keyring. %s offers no way for an app to revoke it; %s\n",
			a.ID, name, removeAccessHint(a.OAuth.Provider))
	case errors.Is(out.RevokeErr, oauth.ErrSignInAgain):
		fmt.Fprintf(c.stdout, "Account %q was not signed in: nothing to revoke. Its keyring entries are deleted.\n", a.ID)
	default:
		why := out.RevokeErr
		if perr != nil {
			why = perr
		}
		fmt.Fprintf(c.stdout, "Signed out of %q: the sign-in is deleted from the system keyring.\n", a.ID)
		fmt.Fprintf(c.stderr, "stamp-send: %s could not revoke it (%s); it stops working when it expires, or %s\n",
			name, printableLines(why.Error()), removeAccessHint(a.OAuth.Provider))
		c.code = exitFailure
	}
	fmt.Fprintf(c.stdout, "The account's settings stay; sign in again with: stamp-send account login %s\n", a.ID)
	return nil
}

// signOut ends a's sign-in with oauth.Manager.SignOut. Without the
// provider (no client ID any more, a custom issuer out of reach: perr)
// nothing can be revoked, but the sign-in is still forgotten.
func (c *accountCmd) signOut(a account.Account) (p *oauth.Provider, perr error, out oauth.SignedOut, err error) {
	ctx, stop := signalContext()
	defer stop()
	p, perr = oauth.ProviderFor(ctx, a, c.secrets, oauthHTTPClient())
	if perr != nil {
		p = nil
	}
	out, err = oauth.NewManager(c.secrets).SignOut(ctx, a.ID, p)
	return p, perr, out, err
}

// signOutReplaced ends the sign-in of an account that add --replace just
// turned into a password account: its refresh token (revoked where the
// provider can) and client secret leave the keyring.
func (c *accountCmd) signOutReplaced(before account.Account) error {
	p, _, out, err := c.signOut(before)
	if err != nil {
		c.code = exitFailure
		return fmt.Errorf("the account is saved, but its old sign-in is still in the system keyring: %w", err)
	}
	if out.Revoked {
		fmt.Fprintf(c.stdout, "Its sign-in with %s is revoked and deleted from the system keyring.\n", p.Kind.Name())
	} else {
		fmt.Fprintln(c.stdout, "Its sign-in is deleted from the system keyring.")
	}
	return nil
}

// removeAccessHint says where a person ends an app's access themselves.
func removeAccessHint(p account.OAuthProvider) string {
	switch p {
	case account.OAuthGoogle:
		return "remove Stamp's access at https://myaccount.google.com/permissions."
	case account.OAuthMicrosoft:
		return "to end it at Microsoft too, remove Stamp's access at https://account.live.com/consent/Manage (personal account) or https://myapps.microsoft.com (work or school)."
	}
	return "ask the provider how to remove an app's access."
}
