package main

import (
	"stamp/account"
	"stamp/oauth"
)

// newOAuthManager is the app's one oauth.Manager: the composer's sends
// (ui.OAuthAccounts) and the Accounts window's sign-ins share it, so a
// sign-in made in the window is used by the next send at once, and the
// refreshes of one account never run at the same time.
func newOAuthManager(secrets *account.Secrets) *oauth.Manager {
	return oauth.NewManager(secrets)
}
