package main

import (
	"errors"
	"flag"
	"fmt"

	"stamp/account"
	"stamp/i18n"
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
		return usagef("%s", i18n.T("send.usage.logout_password", "account {{.Account}} logs in with a password, not a sign-in; stamp-send account remove {{.ID}} forgets it with its password", map[string]any{"Account": fmt.Sprintf("%q", a.ID), "ID": fmt.Sprint(a.ID)}))
	}
	p, perr, out, err := c.signOut(a)
	if err != nil {
		c.code = exitFailure
		return fmt.Errorf("%w\n%s", err, i18n.T("send.logout.may_remain", "The sign-in may still be in the system keyring (service {{.Service}})", map[string]any{"Service": fmt.Sprintf("%q", account.KeyringService)}))
	}
	name := string(a.OAuth.Provider)
	if p != nil {
		name = p.Kind.Name()
	}
	switch {
	case out.Revoked:
		fmt.Fprintln(c.stdout, i18n.T("send.logout.revoked", "Signed out of {{.Account}}: {{.Provider}} revoked the sign-in, and it is deleted from the system keyring.", map[string]any{"Account": fmt.Sprintf("%q", a.ID), "Provider": name}))
	case errors.Is(out.RevokeErr, oauth.ErrNoRevocation):
		fmt.Fprintln(c.stdout, i18n.T("send.logout.no_revocation", "Signed out of {{.Account}}: the sign-in is deleted from the system keyring. {{.Provider}} offers no way for an app to revoke it; {{.Hint}}",
			map[string]any{"Account": fmt.Sprintf("%q", a.ID), "Provider": name, "Hint": removeAccessHint(a.OAuth.Provider)}))
	case errors.Is(out.RevokeErr, oauth.ErrSignInAgain):
		fmt.Fprintln(c.stdout, i18n.T("send.logout.not_signed_in", "Account {{.Account}} was not signed in: nothing to revoke. Its keyring entries are deleted.", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}))
	default:
		why := out.RevokeErr
		if perr != nil {
			why = perr
		}
		fmt.Fprintln(c.stdout, i18n.T("send.logout.deleted", "Signed out of {{.Account}}: the sign-in is deleted from the system keyring.", map[string]any{"Account": fmt.Sprintf("%q", a.ID)}))
		fmt.Fprintln(c.stderr, "stamp-send: "+i18n.T("send.logout.revoke_failed", "{{.Provider}} could not revoke it ({{.Why}}); it stops working when it expires, or {{.Hint}}",
			map[string]any{"Provider": name, "Why": printableLines(why.Error()), "Hint": removeAccessHint(a.OAuth.Provider)}))
		c.code = exitFailure
	}
	fmt.Fprintln(c.stdout, i18n.T("send.logout.settings_stay", "The account's settings stay; sign in again with: stamp-send account login {{.ID}}", map[string]any{"ID": a.ID}))
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
		return fmt.Errorf("%s: %w", i18n.T("send.logout.old_signin_kept", "the account is saved, but its old sign-in is still in the system keyring"), err)
	}
	if out.Revoked {
		fmt.Fprintln(c.stdout, i18n.T("send.logout.replaced_revoked", "Its sign-in with {{.Provider}} is revoked and deleted from the system keyring.", map[string]any{"Provider": p.Kind.Name()}))
	} else {
		fmt.Fprintln(c.stdout, i18n.T("send.logout.replaced_deleted", "Its sign-in is deleted from the system keyring."))
	}
	return nil
}

// removeAccessHint says where a person ends an app's access themselves.
func removeAccessHint(p account.OAuthProvider) string {
	switch p {
	case account.OAuthGoogle:
		return i18n.T("send.logout.hint.google", "remove Stamp's access at https://myaccount.google.com/permissions.")
	case account.OAuthMicrosoft:
		return i18n.T("send.logout.hint.microsoft", "to end it at Microsoft too, remove Stamp's access at https://account.live.com/consent/Manage (personal account) or https://myapps.microsoft.com (work or school).")
	}
	return i18n.T("send.logout.hint.custom", "ask the provider how to remove an app's access.")
}
