package smtpclient

import (
	"crypto/hmac"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"stamp/i18n"
)

// maxAuthRounds bounds the 334 challenges one AUTH exchange may take, so a
// server that never stops asking cannot keep us (or our password) busy.
const maxAuthRounds = 4

// chooseAuth picks the mechanism: the configured one if the server offers
// it, otherwise the best offered one Stamp speaks.
func (s *session) chooseAuth() (AuthMechanism, error) {
	offered := s.caps.Auth
	if len(offered) == 0 {
		msg := i18n.T("smtp.detail.no_auth", "the server offers no AUTH mechanism")
		if s.tlsInfo == nil {
			msg = i18n.T("smtp.detail.no_auth_plain", "the server offers no AUTH mechanism on this plain-text connection (it may offer AUTH only over TLS)")
		}
		return "", &Error{Kind: ErrorPolicy, Message: msg}
	}
	if m := s.cfg.Auth; m != AuthAuto {
		if !s.caps.offersAuth(m) {
			return "", &Error{Kind: ErrorPolicy, Message: i18n.T("smtp.detail.auth_not_offered", "the account is set to AUTH {{.Mechanism}} but the server offers only {{.Offered}}",
				map[string]any{"Mechanism": string(m), "Offered": strings.Join(offered, ", ")})}
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
	return "", &Error{Kind: ErrorPolicy, Message: i18n.T("smtp.detail.no_common_auth", "no AUTH mechanism in common: the server offers {{.Offered}}; Stamp speaks PLAIN, LOGIN, CRAM-MD5, XOAUTH2 and OAUTHBEARER",
		map[string]any{"Offered": strings.Join(offered, ", ")})}
}

// saslName escapes "," and "=" in a GS2 authorisation identity (RFC 5801 §4).
func saslName(u string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(u)
}

// authPlan is one mechanism's exchange, with what is secret in it kept
// next to what is sent: the command, how the transcript shows it, the
// encoded forms a server must not get back into an event, and the answers
// to the server's 334 challenges.
type authPlan struct {
	first     string   // the AUTH command, with its initial response
	show      string   // first as the transcript shows it
	secrets   []string // encoded forms that carry a secret (masked if echoed)
	responses []string // answers to successive 334 challenges (already base64), or
	answer    func(round int, challenge []byte) (string, error)
}

// authPlans builds each mechanism's exchange. Every answer to a challenge
// is shown as Mask (an empty one as empty).
var authPlans = map[AuthMechanism]func(s *session) authPlan{
	AuthPlain: func(s *session) authPlan {
		ir := b64([]byte("\x00" + s.cfg.Username + "\x00" + s.cfg.Password))
		return authPlan{first: "AUTH PLAIN " + ir, show: "AUTH PLAIN " + Mask, secrets: []string{ir}}
	},
	// LOGIN's prompts are not standardised ("Username:", "User Name", or
	// anything, even text that is not base64): the first challenge gets the
	// user, the second the password, whatever they say.
	AuthLogin: func(s *session) authPlan {
		return authPlan{first: "AUTH LOGIN", show: "AUTH LOGIN",
			responses: []string{b64([]byte(s.cfg.Username)), b64([]byte(s.cfg.Password))}}
	},
	AuthCRAMMD5: func(s *session) authPlan {
		return authPlan{first: "AUTH CRAM-MD5", show: "AUTH CRAM-MD5", answer: func(round int, ch []byte) (string, error) {
			if round > 0 {
				return "", &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.cram_second", "CRAM-MD5: the server sent a second challenge")}
			}
			m := hmac.New(md5.New, []byte(s.cfg.Password))
			m.Write(ch)
			return b64([]byte(s.cfg.Username + " " + hex.EncodeToString(m.Sum(nil)))), nil
		}}
	},
	AuthXOAUTH2: func(s *session) authPlan {
		ir := b64([]byte("user=" + s.cfg.Username + "\x01auth=Bearer " + s.bearerToken() + "\x01\x01"))
		return s.oauthPlan(AuthXOAUTH2, ir, "")
	},
	// RFC 7628 §3.2.3: after a failure the client answers %x01.
	AuthOAuthBearer: func(s *session) authPlan {
		ir := b64([]byte("n,a=" + saslName(s.cfg.Username) + ",\x01host=" + s.cfg.Host +
			"\x01port=" + strconv.Itoa(s.cfg.port()) + "\x01auth=Bearer " + s.bearerToken() + "\x01\x01"))
		return s.oauthPlan(AuthOAuthBearer, ir, b64([]byte{1}))
	},
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// bearerToken is the OAuth token, or the password when only that is set.
func (s *session) bearerToken() string {
	if s.cfg.OAuth2Token != "" {
		return s.cfg.OAuth2Token
	}
	return s.cfg.Password
}

// oauthPlan is XOAUTH2's and OAUTHBEARER's exchange: after a failure the
// server sends a 334 with a JSON error, which is shown as a note; the
// client answers ack and the server then sends the failure reply.
func (s *session) oauthPlan(mech AuthMechanism, ir, ack string) authPlan {
	return authPlan{first: "AUTH " + string(mech) + " " + ir, show: "AUTH " + string(mech) + " " + Mask, secrets: []string{ir},
		answer: func(round int, ch []byte) (string, error) {
			var e struct {
				Status string `json:"status"`
				Scope  string `json:"scope"`
			}
			if json.Unmarshal(ch, &e) == nil && e.Status != "" {
				s.note(StepAuth, i18n.T("smtp.transcript.oauth_error", "{{.Mechanism}} error from the server: status {{.Status}}, scope {{.Scope}}",
					map[string]any{"Mechanism": string(mech), "Status": e.Status, "Scope": e.Scope}))
			}
			if round > 0 {
				return "", &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.kept_asking", "{{.Mechanism}}: the server kept asking", map[string]any{"Mechanism": string(mech)})}
			}
			return ack, nil
		}}
}

// auth logs in. Every client line of the exchange after the mechanism name
// is shown as Mask: the secrets never reach an event.
func (s *session) auth() error {
	if s.cfg.Username == "" {
		return nil
	}
	s.begin(StepAuth, i18n.T("smtp.transcript.authenticate", "authenticate as {{.User}}", map[string]any{"User": s.cfg.Username}))
	if s.tlsInfo == nil && !(s.cfg.Security == SecurityNone && s.remoteIsLoopback()) {
		return s.fail(StepAuth, &Error{Kind: ErrorPolicy,
			Message: i18n.T("smtp.detail.password_plain", "refusing to send the password over a connection without TLS")})
	}
	mech, err := s.chooseAuth()
	if err != nil {
		return s.fail(StepAuth, err)
	}
	plan := authPlans[mech](s)
	// The encoded forms carry the secret too: a server that echoes them
	// back in a reply must not get them into an event or an error.
	for _, sec := range plan.secrets {
		s.addSecret(sec)
	}
	r, err := s.cmd(StepAuth, plan.first, plan.show)
	for round := 0; err == nil && r.Code == 334; round++ {
		var resp string
		if resp, err = plan.reply(mech, round, r); err != nil {
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

// reply is the answer to the round'th 334 challenge r.
func (p *authPlan) reply(mech AuthMechanism, round int, r *Reply) (string, error) {
	switch {
	case round == maxAuthRounds:
		return "", &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.too_many_challenges", "the server sent too many AUTH challenges")}
	case p.answer != nil:
		ch, err := base64.StdEncoding.DecodeString(strings.TrimSpace(r.Text()))
		if err != nil {
			return "", &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.bad_challenge", "the server's {{.Mechanism}} challenge is not valid base64", map[string]any{"Mechanism": string(mech)})}
		}
		return p.answer(round, ch)
	case round < len(p.responses):
		return p.responses[round], nil
	}
	return "", &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.protocol.more_auth_data", "the server asked for more AUTH data than {{.Mechanism}} has (asked for the password twice?)",
		map[string]any{"Mechanism": string(mech)})}
}
