// Package account holds saved accounts: settings in a config file, secrets in
// the OS keyring, and provider presets. It does not import Fyne.
package account
