package oauth

import "fmt"

// MaxRefreshToken is the longest refresh token Stamp keeps. Real ones are
// far shorter (Google's about 100 bytes, Microsoft's a few KB); a hostile
// or broken provider's megabyte would become hundreds of keyring entries.
const MaxRefreshToken = 16 << 10

// errTooLong refuses a refresh token over MaxRefreshToken.
func errTooLong(n int) error {
	return fmt.Errorf("the provider sent a refresh token of %d bytes, more than the %d Stamp keeps; it is not saved (ask the provider's administrator)", n, MaxRefreshToken)
}
