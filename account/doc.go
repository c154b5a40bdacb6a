// Package account holds saved sending accounts: settings in a small config
// file, secrets in the OS keyring, and provider presets. It does not import
// Fyne; it builds with CGO_ENABLED=0.
//
// Settings: a Store keeps Account values in accounts.json (with a schema
// version) in DefaultDir(), written atomically under a file lock so two
// writers never lose an update. No secret is ever written there. A file
// that cannot be read gives a *BrokenFileError and is left untouched until
// the person agrees to Store.Reset, which keeps it aside.
//
// Secrets: Secrets keeps each account's password (or OAuth 2 token) in the
// OS keyring under service KeyringService and the account's ID, with every
// call bounded by a timeout. When the keyring cannot be used the error is a
// *KeyringUnavailableError with a Reason, and Save falls back to keeping the
// secret in memory for this run only; PasswordLocation says where it is.
//
// Presets: Lookup(address) returns the Preset for the address's provider,
// or a guess marked as one; Preset.Account and Preset.Apply fill in an
// Account. Account.SMTPConfig turns an account and its Credential into the
// engine's smtpclient.Config.
//
// A typical send:
//
//	st, _ := account.Open("")
//	a, _ := st.Default()
//	cred, where, err := secrets.Get(ctx, a.ID) // ask the person on ErrNoSecret or KeyringUnavailableError
//	cfg := a.SMTPConfig(cred)
package account
