package oauth

import (
	"errors"

	"stamp/i18n"
)

// MaxRefreshToken is the longest refresh token Stamp keeps. Real ones are
// far shorter (Google's about 100 bytes, Microsoft's a few KB); a hostile
// or broken provider's megabyte would become hundreds of keyring entries.
const MaxRefreshToken = 16 << 10

// errTooLong refuses a refresh token over MaxRefreshToken.
func errTooLong(n int) error {
	return errors.New(i18n.T("oauth.err.token_too_long", "the provider sent a refresh token of {{.Size}} bytes, more than the {{.Max}} Stamp keeps; it is not saved (ask the provider's administrator)", map[string]any{"Size": n, "Max": MaxRefreshToken}))
}
