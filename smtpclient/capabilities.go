package smtpclient

import (
	"strconv"
	"strings"
	"time"
)

// Capabilities is what the server told us about itself, learnt from its
// greeting and its EHLO reply (after TLS when TLS is used).
type Capabilities struct {
	// Greeting is the text of the server's 220 greeting.
	Greeting string `json:"greeting"`
	// ESMTP is false when the server only understood HELO.
	ESMTP bool `json:"esmtp"`
	// Extensions maps each EHLO keyword (upper case) to its parameters.
	Extensions map[string]string `json:"extensions"`
	// Auth lists the SASL mechanisms offered (upper case).
	Auth []string `json:"auth,omitempty"`
	// SizeOffered is true when the server announced SIZE; MaxSize is its
	// limit in bytes (0: no fixed limit).
	SizeOffered bool  `json:"size_offered"`
	MaxSize     int64 `json:"max_size,omitempty"`
	// The extensions the engine uses.
	StartTLS            bool `json:"starttls"`
	Pipelining          bool `json:"pipelining"`
	EightBitMIME        bool `json:"8bitmime"`
	SMTPUTF8            bool `json:"smtputf8"`
	EnhancedStatusCodes bool `json:"enhancedstatuscodes"`
	// TLS describes the TLS connection, nil when in plain text.
	TLS *TLSInfo `json:"tls,omitempty"`
	// AuthUsed is the mechanism that logged in ("" when no AUTH happened).
	AuthUsed AuthMechanism `json:"auth_used,omitempty"`
}

// TLSInfo describes an established TLS connection.
type TLSInfo struct {
	// Version is "TLS 1.2" or "TLS 1.3".
	Version string `json:"version"`
	// CipherSuite is the negotiated suite's name.
	CipherSuite string `json:"cipher_suite"`
	// ServerName is the name the certificate was checked against.
	ServerName string `json:"server_name"`
	// Subject and Issuer of the server's certificate.
	Subject string `json:"subject"`
	Issuer  string `json:"issuer"`
	// NotAfter is when the server's certificate expires.
	NotAfter time.Time `json:"not_after"`
	// SHA256 is the fingerprint of the server's certificate (hex), the
	// value Config.PinnedSHA256 takes.
	SHA256 string `json:"sha256"`
	// STARTTLS is true when TLS was started by STARTTLS, false for implicit TLS.
	STARTTLS bool `json:"starttls"`
}

// cleanCaps makes the server's words in the capabilities clean for handing
// out (Result, Probe), once parseEHLO has drawn its conclusions from them.
// A keyword or mechanism the engine knows is plain ASCII and stays the same.
// parseEHLO has upper-cased keywords and mechanism names, so the secrets'
// upper-cased forms are masked in them too (a password echoed as a keyword).
func (s *session) cleanCaps() {
	ext := make(map[string]string, len(s.caps.Extensions))
	for k, v := range s.caps.Extensions {
		ext[s.cleanUpper(k)] = s.clean(v)
	}
	s.caps.Extensions = ext
	for i, m := range s.caps.Auth {
		s.caps.Auth[i] = s.cleanUpper(m)
	}
}

// cleanUpper is clean for a text the engine upper-cased: the upper-cased
// forms of the secrets are masked before and after.
func (s *session) cleanUpper(t string) string {
	scrubUpper := func(t string) string {
		for _, sec := range s.secrets {
			if up := strings.ToUpper(sec); strings.Contains(t, up) {
				t = strings.ReplaceAll(t, up, Mask)
			}
		}
		return t
	}
	return scrubUpper(s.clean(scrubUpper(t)))
}

// takeFlags sets the extensions the engine acts on (yes/no and SIZE's
// number) from raw, the EHLO reply as the server sent it: a secret masked
// across two reply lines must not hide "8BITMIME" or "STARTTLS" from the
// engine. The words (Extensions, Auth) stay as c has them, masked, for
// handing out; a flag or a number holds none of the server's text.
func (c *Capabilities) takeFlags(raw *Capabilities) {
	c.SizeOffered, c.MaxSize = raw.SizeOffered, raw.MaxSize
	c.StartTLS, c.Pipelining = raw.StartTLS, raw.Pipelining
	c.EightBitMIME, c.SMTPUTF8 = raw.EightBitMIME, raw.SMTPUTF8
	c.EnhancedStatusCodes = raw.EnhancedStatusCodes
}

// parseEHLO reads the capability lines of an EHLO reply (all but the first).
func parseEHLO(r *Reply) *Capabilities {
	c := &Capabilities{ESMTP: true, Extensions: map[string]string{}}
	if len(r.Lines) < 2 {
		return c
	}
	for _, line := range r.Lines[1:] {
		// Split at any white space: a tab is not a separator in RFC 5321,
		// but it must not end up inside a keyword or mechanism name.
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		kw, params := strings.ToUpper(fields[0]), strings.Join(fields[1:], " ")
		// Old servers announce "AUTH=LOGIN PLAIN" (pre-RFC 4954 syntax).
		if m, ok := strings.CutPrefix(kw, "AUTH="); ok {
			c.addAuth(m)
			for _, m := range strings.Fields(params) {
				c.addAuth(strings.ToUpper(m))
			}
			continue
		}
		c.Extensions[kw] = params
		switch kw {
		case "AUTH":
			for _, m := range strings.Fields(params) {
				c.addAuth(strings.ToUpper(m))
			}
		case "SIZE":
			c.SizeOffered = true
			if n, err := strconv.ParseInt(params, 10, 64); err == nil && n > 0 {
				c.MaxSize = n
			}
		case "STARTTLS":
			c.StartTLS = true
		case "PIPELINING":
			c.Pipelining = true
		case "8BITMIME":
			c.EightBitMIME = true
		case "SMTPUTF8":
			c.SMTPUTF8 = true
		case "ENHANCEDSTATUSCODES":
			c.EnhancedStatusCodes = true
		}
	}
	return c
}

func (c *Capabilities) addAuth(m string) {
	if m == "" { // "AUTH=" with nothing after it
		return
	}
	for _, have := range c.Auth {
		if have == m {
			return
		}
	}
	c.Auth = append(c.Auth, m)
}

// offersAuth reports whether the server offered mechanism m.
func (c *Capabilities) offersAuth(m AuthMechanism) bool {
	for _, have := range c.Auth {
		if have == string(m) {
			return true
		}
	}
	return false
}
