package compose

import "strings"

// Envelope is what the SMTP session needs besides the message itself: the
// MAIL FROM address and the RCPT TO addresses, as they go on the wire.
type Envelope struct {
	From string   // MAIL FROM
	To   []string // RCPT TO: To, Cc and Bcc in form order, each once

	// SMTPUTF8 is set when an address has a non-ASCII local part: the
	// session must use the SMTPUTF8 extension (RFC 6531) and the message
	// headers carry UTF-8 (RFC 6532). International domains alone do not
	// need it; they go on the wire as punycode.
	SMTPUTF8 bool
	// EightBitMIME is set when the message contains 8-bit data, which it
	// does only in SMTPUTF8 headers: bodies and attachments are always
	// 7-bit (quoted-printable or base64). Send MAIL FROM with BODY=8BITMIME.
	EightBitMIME bool
}

// Envelope returns the SMTP envelope of m: MAIL FROM is the From address;
// RCPT TO is To, then Cc, then Bcc, each address once (compared
// case-insensitively, an international domain the same in Unicode or
// punycode), display names dropped. It validates the addresses first.
func (m *Message) Envelope() (Envelope, error) {
	var v validator
	v.addresses(m)
	if len(v.problems) > 0 {
		return Envelope{}, &ValidationError{Problems: v.problems}
	}

	var env Envelope
	from, u, _ := wireAddr(m.From.Addr)
	env.From, env.SMTPUTF8 = from, u
	seen := map[string]bool{}
	for _, list := range [][]Address{m.To, m.Cc, m.Bcc} {
		for _, a := range list {
			w, u, _ := wireAddr(a.Addr)
			key := strings.ToLower(w)
			if seen[key] {
				continue
			}
			seen[key] = true
			env.To = append(env.To, w)
			env.SMTPUTF8 = env.SMTPUTF8 || u
		}
	}
	// A Reply-To with a UTF-8 local part puts UTF-8 into the headers too.
	for _, a := range m.ReplyTo {
		_, u, _ := wireAddr(a.Addr)
		env.SMTPUTF8 = env.SMTPUTF8 || u
	}
	env.EightBitMIME = env.SMTPUTF8
	return env, nil
}
