// Package sandbox is a real SMTP server on a loopback port, built on
// github.com/emersion/go-smtp's server. The desktop app sends to it when no
// account is set up, so people can watch a whole SMTP conversation safely;
// the tests use it everywhere.
//
// It speaks plain text, STARTTLS or implicit TLS with a certificate from a
// throw-away CA (CAPEM hands the CA out, so clients keep verification on),
// AUTH PLAIN and LOGIN (and optionally CRAM-MD5 and XOAUTH2), and keeps every
// received message with its envelope. Options script refusals and faults for
// tests.
package sandbox

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Security is how clients connect.
type Security int

const (
	// None is plain text; AUTH is still allowed (loopback only).
	None Security = iota
	// STARTTLS starts in plain text and offers STARTTLS; AUTH only after it.
	STARTTLS
	// TLS is implicit TLS from the first byte.
	TLS
)

// Reply is a scripted server answer.
type Reply struct {
	Code     int
	Enhanced string // e.g. "5.1.1"; "" for none
	Text     string
}

// Options configure a sandbox server. The zero value is a plain-text server
// without AUTH that accepts everything.
type Options struct {
	// Security is None, STARTTLS or TLS.
	Security Security
	// Domain is the name in the greeting; default "sandbox.stamp.invalid".
	Domain string
	// Names are more host names the certificate is valid for, besides
	// "localhost", 127.0.0.1 and ::1 (a test that reaches the server as
	// "smtp.example.test" through its own dialer).
	Names []string

	// Username and Password turn on AUTH, and then MAIL requires it.
	Username, Password string
	// Mechanisms offered; default PLAIN and LOGIN. "CRAM-MD5", "XOAUTH2"
	// and "OAUTHBEARER" (the last two checking Token or CheckToken) are
	// also available.
	Mechanisms []string
	// Token is the OAuth 2 access token XOAUTH2 and OAUTHBEARER accept
	// (for Username), when CheckToken is nil.
	Token string
	// CheckToken, when set, decides XOAUTH2 and OAUTHBEARER logins instead
	// of Token: user is the login's user name, token its bearer token. A
	// nil error logs user in; a *Reply (or an error wrapping one) is the
	// answer to the AUTH command (for example 535 5.7.139 or 535 5.7.3);
	// any other error answers 535 5.7.8. Tests pass an authorization
	// server's introspection here (oauthtest.Server.CheckBearer).
	CheckToken func(ctx context.Context, user, token string) error
	// RejectAuth answers every AUTH command with this reply after the
	// credentials were checked and found good, as Microsoft 365 does for a
	// mailbox whose SMTP AUTH is off (535 5.7.139).
	RejectAuth *Reply
	// LoginPrompts replaces LOGIN's "Username:" and "Password:" challenges.
	LoginPrompts [2]string

	// MaxSize is the SIZE limit in bytes (0: SIZE without a limit).
	MaxSize int64
	// DisablePipelining stops advertising PIPELINING. go-smtp always
	// advertises it, so the sandbox removes it from EHLO replies; this needs
	// Security None or TLS (under STARTTLS the reply after the upgrade is
	// encrypted by go-smtp itself).
	DisablePipelining bool
	// SMTPUTF8 advertises SMTPUTF8.
	SMTPUTF8 bool
	// Latency delays every byte the server sends by this long, without
	// slowing its throughput: a simulated round trip time.
	Latency time.Duration

	// RejectMail refuses every MAIL FROM with this reply.
	RejectMail *Reply
	// RejectRcpt refuses the listed recipients (exact address).
	RejectRcpt map[string]Reply
	// RejectData refuses every message after receiving it (only the first
	// RejectDataFirst messages, when that is set).
	RejectData      *Reply
	RejectDataFirst int
	// Addr is the loopback address to listen on; default "127.0.0.1:0" (a
	// free port). A test restarts a server on the port of one it stopped.
	Addr string
	// CloseDuringData drops the connection after this many message bytes.
	CloseDuringData int64
	// FinalReplyDelay waits this long before answering the end of data.
	FinalReplyDelay time.Duration
	// DiscardData keeps only each message's size and SHA-256, not its bytes
	// (for very large test messages).
	DiscardData bool
	// SpoolDir, when set, streams each message's bytes into a new file in
	// this folder as they arrive (".incoming-*.eml.part", mode 0600)
	// instead of keeping them in memory: Message.Path names the file and
	// Data is nil. A message that fails midway leaves no file. The file
	// belongs to whoever handles the message (OnMessage): rename it into
	// place or remove it.
	SpoolDir string
	// KeepMessages is how many received messages Messages keeps, the
	// oldest dropped first, so a long-running app stays bounded; 0 means
	// DefaultKeepMessages.
	KeepMessages int
	// ReadTimeout bounds each read from a client; default 1 minute.
	ReadTimeout time.Duration
}

// DefaultKeepMessages is the default of Options.KeepMessages.
const DefaultKeepMessages = 100

// Message is one received message.
type Message struct {
	// From and To are the envelope (MAIL FROM, accepted RCPT TO).
	From string
	To   []string
	// Data is the message as received (dot-stuffing removed, CRLF line
	// ends); nil with Options.DiscardData or Options.SpoolDir.
	Data []byte
	// Path is the file holding the message with Options.SpoolDir.
	Path string
	// Size is len(Data) even when Data was discarded; SHA256 its digest.
	Size   int64
	SHA256 [32]byte
	// SizeParam, UTF8 and Body are MAIL FROM's SIZE=, SMTPUTF8 and BODY=.
	SizeParam int64
	UTF8      bool
	Body      string
	// User is who logged in ("" without AUTH); TLS tells if the session
	// was encrypted.
	User string
	TLS  bool
	// QueueID is the id named in the final reply ("queued as …").
	QueueID string
	// Received is when the message was complete.
	Received time.Time
}

// Server is a running sandbox.
type Server struct {
	opts  Options
	srv   *smtp.Server
	ln    net.Listener
	caPEM []byte
	done  chan struct{}

	mu       sync.Mutex
	messages []Message
	received int // all messages ever received, kept or not
	refused  int // messages refused with RejectData
	ended    int // connections that have ended
	subs     map[int]func(Message)
	nextSub  int
	changed  chan struct{} // closed and replaced on each new message and each ended connection
}

// Start listens on 127.0.0.1 on a free port and serves until Close or until
// ctx is done.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.DisablePipelining && opts.Security == STARTTLS {
		return nil, errors.New("sandbox: DisablePipelining needs Security None or TLS")
	}
	if opts.Domain == "" {
		opts.Domain = "sandbox.stamp.invalid"
	}
	if len(opts.Mechanisms) == 0 {
		opts.Mechanisms = []string{"PLAIN", "LOGIN"}
	}
	if opts.LoginPrompts == [2]string{} {
		opts.LoginPrompts = [2]string{"Username:", "Password:"}
	}
	if opts.KeepMessages <= 0 {
		opts.KeepMessages = DefaultKeepMessages
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = time.Minute
	}
	s := &Server{opts: opts, done: make(chan struct{}), subs: map[int]func(Message){}, changed: make(chan struct{})}

	var tlsConfig *tls.Config
	if opts.Security != None {
		pair, caPEM, err := Certificates(append([]string{"localhost", "127.0.0.1", "::1"}, opts.Names...), 30*24*time.Hour)
		if err != nil {
			return nil, fmt.Errorf("sandbox: make certificate: %w", err)
		}
		s.caPEM = caPEM
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}

	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if host, _, err := net.SplitHostPort(opts.Addr); err != nil || !net.ParseIP(host).IsLoopback() {
		return nil, fmt.Errorf("sandbox: %q is not a loopback address", opts.Addr)
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen: %w", err)
	}
	s.ln = ln

	srv := smtp.NewServer(&backend{s: s})
	srv.Domain = opts.Domain
	srv.MaxMessageBytes = opts.MaxSize
	srv.EnableSMTPUTF8 = opts.SMTPUTF8
	srv.ReadTimeout = opts.ReadTimeout
	srv.WriteTimeout = time.Minute
	srv.MaxLineLength = 2000
	srv.ErrorLog = log.New(io.Discard, "", 0)
	switch opts.Security {
	case None:
		srv.AllowInsecureAuth = true // loopback only: we listen on 127.0.0.1
	case STARTTLS:
		srv.TLSConfig = tlsConfig
	case TLS:
		// The sandbox terminates TLS itself (see wrap), so go-smtp sees a
		// plain connection; AUTH is safe because the transport is TLS.
		srv.AllowInsecureAuth = true
	}
	s.srv = srv
	wl := &wrapListener{Listener: ln, wrap: func(c net.Conn) net.Conn {
		return &endConn{Conn: s.wrap(c, tlsConfig), ended: s.connectionEnded}
	}}
	go func() {
		defer close(s.done)
		srv.Serve(wl)
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	return s, nil
}

// wrap adds the simulated latency, implicit TLS and the PIPELINING filter
// around a new connection, in that order from the wire up.
func (s *Server) wrap(c net.Conn, tc *tls.Config) net.Conn {
	if s.opts.Latency > 0 {
		c = newDelayConn(c, s.opts.Latency)
	}
	if s.opts.Security == TLS {
		c = tls.Server(c, tc)
	}
	if s.opts.DisablePipelining {
		c = &filterConn{Conn: c}
	}
	return c
}

// Addr is the "127.0.0.1:port" the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Host is "127.0.0.1".
func (s *Server) Host() string { return "127.0.0.1" }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// CAPEM is the PEM certificate of the CA that signed the server's
// certificate (for "localhost", 127.0.0.1 and ::1); nil with Security None.
func (s *Server) CAPEM() []byte { return s.caPEM }

// Options returns the options the server runs with.
func (s *Server) Options() Options { return s.opts }

// Messages returns a copy of the list of received messages, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// OnMessage calls f with each message received from now on, on the
// server's goroutine for that connection (f should return quickly). The
// returned function stops the calls.
func (s *Server) OnMessage(f func(Message)) (stop func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = f
	return func() {
		s.mu.Lock()
		delete(s.subs, id)
		s.mu.Unlock()
	}
}

// Wait blocks until at least n messages were received since Start (kept
// or not) or ctx is done, and returns the messages kept.
func (s *Server) Wait(ctx context.Context, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		got, changed := s.received, s.changed
		s.mu.Unlock()
		if got >= n {
			return s.Messages(), nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return s.Messages(), ctx.Err()
		}
	}
}

// WaitSessionsEnded blocks until at least n connections have ended (the
// client or the server hung up, and the server is done with what it
// received: a message is stored before its connection ends) or ctx is
// done. A test waits for it before it checks that nothing was stored.
func (s *Server) WaitSessionsEnded(ctx context.Context, n int) error {
	for {
		s.mu.Lock()
		got, changed := s.ended, s.changed
		s.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Server) connectionEnded() {
	s.mu.Lock()
	s.ended++
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

func (s *Server) add(m Message) {
	s.mu.Lock()
	s.messages = append(s.messages, m)
	if extra := len(s.messages) - s.opts.KeepMessages; extra > 0 {
		s.messages = append(s.messages[:0:0], s.messages[extra:]...)
	}
	s.received++
	close(s.changed)
	s.changed = make(chan struct{})
	subs := make([]func(Message), 0, len(s.subs))
	for _, f := range s.subs {
		subs = append(subs, f)
	}
	s.mu.Unlock()
	for _, f := range subs {
		f(m)
	}
}

// Close stops the server and drops its connections.
func (s *Server) Close() error {
	err := s.srv.Close()
	// go-smtp closes only the listeners Serve has registered; Serve runs on
	// its own goroutine and may not have started yet.
	s.ln.Close()
	<-s.done
	if errors.Is(err, smtp.ErrServerClosed) {
		err = nil
	}
	return err
}

// Error makes a Reply usable as an error from Options.CheckToken.
func (r *Reply) Error() string { return r.smtpError().Error() }

func (r *Reply) smtpError() *smtp.SMTPError {
	e := &smtp.SMTPError{Code: r.Code, Message: r.Text, EnhancedCode: smtp.NoEnhancedCode}
	if r.Enhanced != "" {
		var ec smtp.EnhancedCode
		if n, _ := fmt.Sscanf(r.Enhanced, "%d.%d.%d", &ec[0], &ec[1], &ec[2]); n == 3 {
			e.EnhancedCode = ec
		}
	}
	return e
}

// refuseData says whether this message gets Options.RejectData.
func (s *Server) refuseData() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.opts.RejectDataFirst > 0 && s.refused >= s.opts.RejectDataFirst {
		return false
	}
	s.refused++
	return true
}
