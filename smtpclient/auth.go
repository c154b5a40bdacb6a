package smtpclient

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
)

// maxAuthRounds bounds the 334 challenges one AUTH exchange may take, so a
// server that never stops asking cannot keep us (or our password) busy.
const maxAuthRounds = 4

// chooseAuth picks the mechanism: the configured one if the server offers
// it, otherwise the best offered one Stamp speaks.
func (s *session) chooseAuth() (AuthMechanism, error) {
	offered := s.caps.Auth
	if len(offered) == 0 {
		msg := "the server offers no AUTH mechanism"
		if s.tlsInfo == nil {
			msg += " on this plain-text connection (it may offer AUTH only over TLS)"
		}
		return "", &Error{Kind: ErrorPolicy, Message: msg}
	}
	if m := s.cfg.Auth; m != AuthAuto {
		if !s.caps.offersAuth(m) {
			return "", &Error{Kind: ErrorPolicy, Message: "the account is set to AUTH " + string(m) +
				" but the server offers only " + strings.Join(offered, ", ")}
		}
		return m, nil
	}
	var order []AuthMechanism
	switch {
	case s.cfg.OAuth2Token != "" && s.cfg.Password == "":
		order = []AuthMechanism{AuthXOAUTH2, AuthOAuthBearer}
	case s.tlsInfo == nil:
		// Loopback without TLS: prefer the mechanism that does not carry
		// the password itself.
		order = []AuthMechanism{AuthCRAMMD5, AuthPlain, AuthLogin}
	default:
		order = []AuthMechanism{AuthPlain, AuthLogin, AuthCRAMMD5}
	}
	for _, m := range order {
		if s.caps.offersAuth(m) {
			return m, nil
		}
	}
	return "", &Error{Kind: ErrorPolicy, Message: "no AUTH mechanism in common: the server offers " +
		strings.Join(offered, ", ") + "; Stamp speaks PLAIN, LOGIN, CRAM-MD5, XOAUTH2 and OAUTHBEARER"}
}

// saslName escapes "," and "=" in a GS2 authorisation identity (RFC 5801 §4).
func saslName(u string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(u)
}

// auth logs in. Every client line of the exchange after the mechanism name
// is shown as Mask: the secrets never reach an event.
func (s *session) auth() error {
	if s.cfg.Username == "" {
		return nil
	}
	s.begin(StepAuth, "authenticate as "+s.cfg.Username)
	if s.tlsInfo == nil && !(s.cfg.Security == SecurityNone && s.remoteIsLoopback()) {
		return s.fail(StepAuth, &Error{Kind: ErrorPolicy,
			Message: "refusing to send the password over a connection without TLS"})
	}
	mech, err := s.chooseAuth()
	if err != nil {
		return s.fail(StepAuth, err)
	}
	user, pass := s.cfg.Username, s.cfg.Password
	b64 := base64.StdEncoding.EncodeToString
	var (
		first     string   // the AUTH command
		responses []string // answers to successive 334 challenges (already base64)
		answer    func(round int, challenge []byte) (string, error)
	)
	switch mech {
	case AuthPlain:
		first = "AUTH PLAIN " + b64([]byte("\x00"+user+"\x00"+pass))
	case AuthLogin:
		// LOGIN's prompts are not standardised ("Username:", "User Name",
		// or anything, even text that is not base64): the first challenge
		// gets the user, the second the password, whatever they say.
		first = "AUTH LOGIN"
		responses = []string{b64([]byte(user)), b64([]byte(pass))}
	case AuthCRAMMD5:
		first = "AUTH CRAM-MD5"
		answer = func(round int, ch []byte) (string, error) {
			if round > 0 {
				return "", &Error{Kind: ErrorProtocol, Message: "CRAM-MD5: the server sent a second challenge"}
			}
			m := hmac.New(md5.New, []byte(pass))
			m.Write(ch)
			return b64([]byte(user + " " + hex.EncodeToString(m.Sum(nil)))), nil
		}
	case AuthXOAUTH2, AuthOAuthBearer:
		token := s.cfg.OAuth2Token
		if token == "" {
			token = pass
		}
		// After a failure the server sends a 334 with a JSON error; the
		// client answers with an empty line (XOAUTH2) or %x01 (RFC 7628
		// §3.2.3) and the server then sends the failure reply.
		ack := ""
		if mech == AuthXOAUTH2 {
			first = "AUTH XOAUTH2 " + b64([]byte("user="+user+"\x01auth=Bearer "+token+"\x01\x01"))
		} else {
			host, port := s.cfg.Host, s.cfg.port()
			first = "AUTH OAUTHBEARER " + b64([]byte("n,a="+saslName(user)+",\x01host="+host+
				"\x01port="+strconv.Itoa(port)+"\x01auth=Bearer "+token+"\x01\x01"))
			ack = b64([]byte{1})
		}
		answer = func(round int, ch []byte) (string, error) {
			var e struct {
				Status string `json:"status"`
				Scope  string `json:"scope"`
			}
			if json.Unmarshal(ch, &e) == nil && e.Status != "" {
				s.note(StepAuth, "%s error from the server: status %s, scope %s", mech, e.Status, e.Scope)
			}
			if round > 0 {
				return "", &Error{Kind: ErrorProtocol, Message: string(mech) + ": the server kept asking"}
			}
			return ack, nil
		}
	}
	// The encoded forms carry the secret too: a server that echoes them
	// back in a reply must not get them into an event or an error.
	switch mech {
	case AuthPlain, AuthXOAUTH2, AuthOAuthBearer:
		s.secrets = append(s.secrets, strings.TrimPrefix(first, "AUTH "+string(mech)+" "))
	}
	for _, sec := range s.cfg.secrets() {
		s.secrets = append(s.secrets, b64([]byte(sec)))
	}
	show := first
	if mech == AuthPlain || mech == AuthXOAUTH2 || mech == AuthOAuthBearer {
		show = "AUTH " + string(mech) + " " + Mask // the initial response holds the secret
	}
	r, err := s.cmd(StepAuth, first, show)
	for round := 0; err == nil && r.Code == 334; round++ {
		if round == maxAuthRounds {
			err = &Error{Kind: ErrorProtocol, Message: "the server sent too many AUTH challenges"}
			break
		}
		var resp string
		switch {
		case answer != nil:
			ch, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(r.Text()))
			if derr != nil {
				err = &Error{Kind: ErrorProtocol, Message: "the server's " + string(mech) + " challenge is not valid base64"}
				break
			}
			resp, err = answer(round, ch)
		case round < len(responses):
			resp = responses[round]
		default:
			err = &Error{Kind: ErrorProtocol, Message: "the server asked for more AUTH data than " + string(mech) + " has (asked for the password twice?)"}
		}
		if err != nil {
			break
		}
		shown := Mask
		if resp == "" {
			shown = ""
		}
		r, err = s.cmd(StepAuth, resp, shown)
	}
	if err != nil {
		return s.fail(StepAuth, err)
	}
	if r.Code != 235 {
		return s.failAndQuit(StepAuth, replyError(StepAuth, r))
	}
	s.caps.AuthUsed = mech
	s.finish(StepAuth)
	return nil
}
