package ui

import "stamp/compose"

// signatureState follows the sender's signature in the body.
type signatureState struct {
	// signature is the signature the composer last put under the body's
	// "-- " line (normalised), or "" when it put none.
	signature string
	// signatureReady is set once the form holds its first message (a
	// restored draft or a new one): before that, From changes while the
	// window is built must not touch the body.
	signatureReady bool
}

// senderSignature is the chosen sender's signature, normalised.
func (c *Composer) senderSignature() string {
	s, ok := c.Sender()
	if !ok {
		return ""
	}
	return compose.NormalizeSignature(s.Signature)
}

// startSignature puts the sender's signature into an empty body, when a
// message starts (a new window without a draft, or after a send emptied the
// form). A body that already holds text, a restored draft with or without
// its signature, is left as it is: restoring never adds a second one.
func (c *Composer) startSignature() {
	c.signatureReady = true
	sig := c.senderSignature()
	c.signature = sig
	if c.Body.Text != "" || sig == "" {
		return
	}
	was := c.restoring
	c.restoring = true // a signature alone is not something typed
	c.Body.SetText(compose.WithSignature("", sig))
	c.restoring = was
}

// signatureFollowsSender swaps the signature at the end of the body for the
// new sender's, after the From choice (or the accounts) changed. It swaps
// only while the body still ends with the signature exactly as it was put
// there (compose.SwapSignature): an edited signature is the person's text
// and stays.
func (c *Composer) signatureFollowsSender() {
	if !c.signatureReady || c.restoring {
		return
	}
	sig := c.senderSignature()
	if sig == c.signature {
		return
	}
	body, swapped := compose.SwapSignature(c.Body.Text, c.signature, sig)
	if !swapped {
		return
	}
	empty := c.onlySignature(c.Body.Text)
	c.signature = sig
	if empty {
		// Nothing typed yet: the swap is not a change worth a draft.
		c.restoring = true
		c.Body.SetText(body)
		c.restoring = false
		return
	}
	c.Body.SetText(body)
}

// onlySignature reports whether body holds nothing but the signature the
// composer put there: the form is as empty as a new message.
func (c *Composer) onlySignature(body string) bool {
	return body == "" || c.signature != "" && body == compose.WithSignature("", c.signature)
}

// draftBody is the body as the draft keeps it: "" for a body that is only
// the inserted signature, so such a form counts as empty (no draft, no
// question on close) and gets the signature again when it is restored.
func (c *Composer) draftBody() string {
	if c.signatureReady && c.onlySignature(c.Body.Text) {
		return ""
	}
	return c.Body.Text
}
