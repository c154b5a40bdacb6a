package sandbox

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// loginServer is the server side of the LOGIN mechanism (draft-murchison-
// sasl-login): two prompts, answered with the user name and the password.
// go-sasl has no server for it.
type loginServer struct {
	prompts [2]string
	check   func(user, pass string) error
	user    string
	step    int
}

func (l *loginServer) Next(resp []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step++
		if resp != nil { // an initial response is the user name
			l.user = string(resp)
			l.step++
			return []byte(l.prompts[1]), false, nil
		}
		return []byte(l.prompts[0]), false, nil
	case 1:
		l.user = string(resp)
		l.step++
		return []byte(l.prompts[1]), false, nil
	case 2:
		l.step++
		return nil, true, l.check(l.user, string(resp))
	}
	return nil, false, sasl.ErrUnexpectedClientResponse
}

// cramMD5Server is the server side of CRAM-MD5 (RFC 2195).
type cramMD5Server struct {
	challenge []byte
	secret    func(user string) (string, bool)
	ok        func(user string)
	sent      bool
}

func newCRAMMD5Server(domain string, secret func(string) (string, bool), ok func(string)) *cramMD5Server {
	var nonce [8]byte
	rand.Read(nonce[:])
	ch := fmt.Sprintf("<%x.%d@%s>", nonce, time.Now().Unix(), domain)
	return &cramMD5Server{challenge: []byte(ch), secret: secret, ok: ok}
}

func (c *cramMD5Server) Next(resp []byte) ([]byte, bool, error) {
	if !c.sent {
		c.sent = true
		return c.challenge, false, nil
	}
	user, digest, found := bytes.Cut(resp, []byte(" "))
	if !found {
		return nil, true, smtp.ErrAuthFailed
	}
	pass, known := c.secret(string(user))
	m := hmac.New(md5.New, []byte(pass))
	m.Write(c.challenge)
	want := hex.EncodeToString(m.Sum(nil))
	if !known || !hmac.Equal([]byte(want), bytes.ToLower(digest)) {
		return nil, true, smtp.ErrAuthFailed
	}
	c.ok(string(user))
	return nil, true, nil
}

// xoauth2Server is the server side of Google's XOAUTH2:
// "user=U\x01auth=Bearer T\x01\x01" as the initial response.
type xoauth2Server struct {
	check  func(user, token string) error
	failed error // the answer after the client acknowledged the error
}

func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if x.failed != nil {
		// The client acknowledged the error challenge.
		return nil, true, x.failed
	}
	var user, token string
	for _, kv := range bytes.Split(resp, []byte{1}) {
		if v, ok := bytes.CutPrefix(kv, []byte("user=")); ok {
			user = string(v)
		}
		if v, ok := bytes.CutPrefix(kv, []byte("auth=Bearer ")); ok {
			token = string(v)
		}
	}
	if err := x.check(user, token); err != nil {
		// Like Gmail: a 334 with a JSON error, then 535 after the client's
		// empty answer.
		x.failed = err
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}`), false, nil
	}
	return nil, true, nil
}

// authFailed turns any failure of a go-sasl server into err when the check
// set it, else 535 5.7.8, as real servers answer (go-smtp would send 454
// for a plain error).
type authFailed struct {
	sasl.Server
	err error
}

func (a *authFailed) Next(resp []byte) ([]byte, bool, error) {
	ch, done, err := a.Server.Next(resp)
	if err != nil {
		err = smtp.ErrAuthFailed
		if a.err != nil {
			err = a.err
		}
	}
	return ch, done, err
}
