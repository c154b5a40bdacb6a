package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

type backend struct{ s *Server }

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{s: b.s, conn: c, tls: isTLS || b.s.opts.Security == TLS}, nil
}

// session is one client's transaction state.
type session struct {
	s    *Server
	conn *smtp.Conn
	tls  bool
	user string

	from string
	opts smtp.MailOptions
	to   []string
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return ss.s.opts.Mechanisms
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	o := &ss.s.opts
	ok := func(user string) { ss.user = user }
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(identity, user, pass string) error {
			if (identity != "" && identity != user) || user != o.Username || pass != o.Password {
				return smtp.ErrAuthFailed
			}
			ok(user)
			return nil
		}), nil
	case "LOGIN":
		return &loginServer{prompts: o.LoginPrompts, check: func(user, pass string) error {
			if user != o.Username || pass != o.Password {
				return smtp.ErrAuthFailed
			}
			ok(user)
			return nil
		}}, nil
	case "CRAM-MD5":
		return newCRAMMD5Server(o.Domain, func(user string) (string, bool) { return o.Password, user == o.Username }, ok), nil
	case "OAUTHBEARER":
		a := &authFailed{}
		a.Server = sasl.NewOAuthBearerServer(func(opts sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if err := ss.checkToken(opts.Username, opts.Token); err != nil {
				a.err = err
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			ok(opts.Username)
			return nil
		})
		return a, nil
	case "XOAUTH2":
		return &xoauth2Server{check: func(user, token string) error {
			if err := ss.checkToken(user, token); err != nil {
				return err
			}
			ok(user)
			return nil
		}}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// checkToken decides an XOAUTH2 or OAUTHBEARER login: nil, or the
// *smtp.SMTPError to answer with.
func (ss *session) checkToken(user, token string) error {
	o := &ss.s.opts
	var err error
	switch {
	case token == "":
		err = smtp.ErrAuthFailed
	case o.CheckToken != nil:
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = o.CheckToken(ctx, user, token)
		cancel()
	case user != o.Username || o.Token == "" || token != o.Token:
		err = smtp.ErrAuthFailed
	}
	if err == nil && o.RejectAuth != nil {
		return o.RejectAuth.smtpError()
	}
	return authReply(err)
}

// authReply is the SMTP answer for a failed login: the *Reply inside err,
// or 535 5.7.8.
func authReply(err error) error {
	if err == nil {
		return nil
	}
	var r *Reply
	if errors.As(err, &r) {
		return r.smtpError()
	}
	return smtp.ErrAuthFailed
}

func (ss *session) Mail(from string, opts *smtp.MailOptions) error {
	if ss.s.opts.Username != "" && ss.user == "" {
		return errAuthRequired
	}
	if r := ss.s.opts.RejectMail; r != nil {
		return r.smtpError()
	}
	ss.from = from
	if opts != nil {
		ss.opts = *opts
	}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if r, ok := ss.s.opts.RejectRcpt[to]; ok {
		return r.smtpError()
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	o := &ss.s.opts
	m := Message{From: ss.from, To: append([]string(nil), ss.to...), SizeParam: ss.opts.Size,
		UTF8: ss.opts.UTF8, Body: string(ss.opts.Body), User: ss.user, TLS: ss.tls}
	h := sha256.New()
	var keep bytes.Buffer
	var size counter
	w := io.MultiWriter(h, &size)
	var spool *spoolFile
	switch {
	case o.SpoolDir != "":
		var err error
		if spool, err = newSpool(o.SpoolDir); err != nil {
			return cannotStore(err)
		}
		defer spool.discard() // unless kept below
		w = io.MultiWriter(h, &size, spool)
	case !o.DiscardData:
		w = io.MultiWriter(h, &size, &keep)
	}
	if o.CloseDuringData > 0 {
		if n, _ := io.CopyN(w, r, o.CloseDuringData); n == o.CloseDuringData {
			ss.conn.Conn().Close() // the scripted fault: hang up mid-message
			return io.ErrUnexpectedEOF
		}
	}
	if _, err := io.Copy(w, r); err != nil {
		return err
	}
	if o.FinalReplyDelay > 0 {
		time.Sleep(o.FinalReplyDelay)
	}
	if rr := o.RejectData; rr != nil && ss.s.refuseData() {
		return rr.smtpError()
	}
	if spool != nil {
		if err := spool.finish(); err != nil {
			return cannotStore(err)
		}
		m.Path = spool.f.Name()
	} else if !o.DiscardData {
		m.Data = keep.Bytes()
	}
	m.Size = int64(size)
	copy(m.SHA256[:], h.Sum(nil))
	m.QueueID = fmt.Sprintf("%X", m.SHA256[:5])
	m.Received = time.Now()
	ss.s.add(m)
	// go-smtp sends a Data error's code as the final reply: a 250 here
	// lets the sandbox name its queue id, as real servers do.
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "OK: queued as " + m.QueueID}
}

func (ss *session) Reset() {
	ss.from, ss.to, ss.opts = "", nil, smtp.MailOptions{}
}

func (ss *session) Logout() error { return nil }

// cannotStore is the reply to a message the spool could not take: 451
// 4.3.0, so the client may try again later.
func cannotStore(err error) error {
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "cannot store the message: " + err.Error()}
}

// counter counts the bytes written to it.
type counter int64

func (c *counter) Write(p []byte) (int, error) {
	*c += counter(len(p))
	return len(p), nil
}

// spoolFile is a message being written to disk (Options.SpoolDir).
type spoolFile struct {
	f    *os.File
	w    *bufio.Writer
	kept bool
}

func newSpool(dir string) (*spoolFile, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, ".incoming-*.eml.part")
	if err != nil {
		return nil, err
	}
	return &spoolFile{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

func (s *spoolFile) Write(p []byte) (int, error) { return s.w.Write(p) }

// finish flushes the message to disk and keeps the file.
func (s *spoolFile) finish() error {
	err := s.w.Flush()
	if err == nil {
		err = s.f.Sync()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.kept = err == nil
	return err
}

// discard removes the file unless finish kept it.
func (s *spoolFile) discard() {
	if !s.kept {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}
