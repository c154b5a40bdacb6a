package smtpclient

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"io/fs"
	"net"
	"os"
	"slices"
	"strings"
	"time"

	"stamp/i18n"
	"stamp/internal/boundedfile"
)

// fileProblem words why a file could not be read: the common reasons in
// the current language, anything else as the system said it.
func fileProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return i18n.T("smtp.input.file_missing", "no such file")
	case errors.Is(err, fs.ErrPermission):
		return i18n.T("smtp.input.file_permission", "permission denied")
	case errors.Is(err, boundedfile.ErrNotRegular):
		return i18n.T("smtp.input.file_not_regular", "not a regular file")
	case errors.Is(err, boundedfile.ErrTooLarge):
		return i18n.T("smtp.input.file_too_large", "file too large")
	}
	return err.Error()
}

// session is one SMTP conversation. All its methods run on the caller's
// goroutine; only the context watcher (context.AfterFunc) runs elsewhere,
// and it only closes the connection.
type session struct {
	ctx     context.Context
	cfg     *Config
	onEvent func(Event)
	secrets []string

	raw  net.Conn // the TCP connection; closing it ends everything
	conn net.Conn // raw, or the TLS connection over it
	// records sits between TLS and raw: it can gather the TLS records of
	// one large write into one system call (nil before TLS).
	records *coalescingConn
	br      *bufio.Reader
	bw      *bufio.Writer
	stop    func() bool // stops the context watcher

	greeting string
	caps     *Capabilities
	tlsInfo  *TLSInfo
	// lastRaw is the last reply's Lines as the server sent them, before
	// read masked the secrets that run over from one line to the next:
	// for the engine's own decisions (the EHLO flags), never handed out.
	lastRaw []string

	stepStart time.Time
	timings   []StepTiming
}

func newSession(ctx context.Context, cfg *Config, onEvent func(Event)) *session {
	s := &session{ctx: ctx, cfg: cfg, onEvent: onEvent}
	for _, sec := range cfg.secrets() {
		s.addSecret(sec)
	}
	return s
}

// addSecret makes scrub mask sec in every form SecretForms lists (the
// forms scripts/secret-forms.go searches test output for). The forms are
// kept longest first, so that masking a short one never leaves the rest of a
// longer one behind.
func (s *session) addSecret(sec string) {
	added := false
	for _, f := range SecretForms(sec) {
		if !slices.Contains(s.secrets, f.Text) {
			s.secrets = append(s.secrets, f.Text)
			added = true
		}
	}
	if added {
		slices.SortStableFunc(s.secrets, func(a, b string) int { return len(b) - len(a) })
	}
}

// emit hands an event to the caller. Everything in it that came from the
// server or holds text goes through clean: secrets masked (a last line of
// defence; AUTH lines are already masked), then made Printable.
func (s *session) emit(ev Event) {
	if s.onEvent == nil {
		return
	}
	ev.Time = time.Now()
	ev.Text = s.clean(ev.Text)
	ev.Reply = s.cleanReply(ev.Reply)
	if ev.Err != nil {
		e := *ev.Err
		e.Message = s.clean(e.Message)
		e.Note = s.clean(e.Note)
		ev.Err = &e
	}
	s.onEvent(ev)
}

func (s *session) scrub(t string) string {
	for _, sec := range s.secrets {
		if strings.Contains(t, sec) {
			t = strings.ReplaceAll(t, sec, Mask)
		}
	}
	return t
}

// clean is the engine boundary for text: secrets are masked first, in
// every form scrub knows, and only then is the text made Printable, so that
// no escaping can hide a secret from the mask. Masking again afterwards
// catches a secret that the escapes themselves complete (a byte 0xfc shown
// as \xfc before "zNj…" spells a base64 form). Protocol decisions are made
// on the raw bytes before this.
func (s *session) clean(t string) string { return s.scrub(Printable(s.scrub(t))) }

// cleanReply is a copy of r with clean lines, for handing out (events,
// Result); r itself stays raw for the engine's decisions.
func (s *session) cleanReply(r *Reply) *Reply {
	if r == nil {
		return nil
	}
	c := *r
	c.Enhanced = s.clean(r.Enhanced)
	c.Lines = make([]string, len(r.Lines))
	for i, l := range r.Lines {
		c.Lines[i] = s.clean(l)
	}
	return &c
}

func (s *session) line(step Step, dir Direction, text string) {
	s.emit(Event{Kind: EventLine, Step: step, Direction: dir, Text: text})
}

// note writes one of Stamp's own lines (already in the person's language)
// to the transcript.
func (s *session) note(step Step, text string) {
	s.line(step, Local, text)
}

func (s *session) begin(step Step, text string) {
	s.stepStart = time.Now()
	s.emit(Event{Kind: EventStepStarted, Step: step, Text: text})
}

func (s *session) finish(step Step) {
	s.timings = append(s.timings, StepTiming{step, time.Since(s.stepStart)})
	s.emit(Event{Kind: EventStepFinished, Step: step})
}

// fail reports err as the end of step and returns it as an *Error with the
// step filled in. Its Message and its Err's text are clean (secrets masked,
// then Printable); errors.As still reaches the original Err.
func (s *session) fail(step Step, err error) *Error {
	e := netError(s.ctx, step, err)
	if e.Step == "" {
		e.Step = step
	}
	e.Message = s.clean(e.Message)
	e.Note = s.clean(e.Note)
	if _, done := e.Err.(*cleanError); e.Err != nil && !done {
		e.Err = &cleanError{s.clean(e.Err.Error()), e.Err}
	}
	s.timings = append(s.timings, StepTiming{step, time.Since(s.stepStart)})
	s.emit(Event{Kind: EventStepFailed, Step: step, Text: e.Error(), Err: e})
	return e
}

// dial opens the TCP connection and starts watching the context: a cancel
// closes the connection at once, which unblocks any read or write.
func (s *session) dial() error {
	addr := s.cfg.Address()
	s.begin(StepConnect, i18n.T("smtp.transcript.connect", "connect {{.Address}}", map[string]any{"Address": addr}))
	dial := s.cfg.Dialer
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	dctx, cancel := context.WithTimeout(s.ctx, s.cfg.timeout())
	defer cancel()
	c, err := dial(dctx, "tcp", addr)
	if err != nil {
		if s.ctx.Err() == nil && dctx.Err() != nil {
			err = os.ErrDeadlineExceeded
		}
		return s.fail(StepConnect, err)
	}
	s.raw, s.conn = c, c
	s.br = bufio.NewReaderSize(c, MaxReplyLineLength)
	s.bw = bufio.NewWriterSize(c, 4096)
	s.stop = context.AfterFunc(s.ctx, func() {
		c.SetDeadline(time.Unix(1, 0))
		c.Close()
	})
	s.note(StepConnect, i18n.T("smtp.transcript.connected", "connected to {{.Remote}} from {{.Local}}", map[string]any{"Remote": c.RemoteAddr().String(), "Local": c.LocalAddr().String()}))
	s.finish(StepConnect)
	return nil
}

// close ends the connection and the context watcher.
func (s *session) close() {
	if s.stop != nil {
		s.stop()
	}
	if s.raw != nil {
		s.raw.Close()
	}
}

// write queues one command line; show is what the transcript displays
// (the line itself, or a masked form). flush sends what was queued.
func (s *session) write(step Step, line, show string) error {
	if strings.ContainsAny(line, "\r\n") {
		// Never reached with validated input; a guard against injection.
		return &Error{Step: step, Kind: ErrorInput, Message: i18n.T("smtp.input.line_break", "command contains a line break")}
	}
	s.bw.WriteString(line)
	s.bw.WriteString("\r\n")
	s.line(step, Client, show)
	return nil
}

func (s *session) flush(step Step) error {
	// Between our command and its reply a server has nothing to say; bytes
	// waiting here were sent unasked (a desynchronised or hostile server).
	if n := s.br.Buffered(); n > 0 {
		return &Error{Step: step, Kind: ErrorProtocol, Message: i18n.T("smtp.detail.bytes_before_command", "the server sent {{.Bytes}} bytes before our command", map[string]any{"Bytes": n})}
	}
	s.conn.SetWriteDeadline(time.Now().Add(s.cfg.timeout()))
	return s.bw.Flush()
}

// read reads one reply under the step timeout (or d when d > 0). Its lines
// reach the transcript once the reply is complete (or broken off), with any
// secret that runs over from one line to the next masked (a server that
// wraps a long line, or quotes a password over two lines); the reply it
// returns has those pieces masked too, so no text built from it can join
// them again. Everything else in it stays raw for the engine's decisions.
func (s *session) read(step Step, d time.Duration) (*Reply, error) {
	if d <= 0 {
		d = s.cfg.timeout()
	}
	s.conn.SetReadDeadline(time.Now().Add(d))
	var raws []string
	// A malformed line is quoted in the error with the pieces masked.
	cleanLast := func(l string) string {
		if n := len(raws); n > 0 && l == raws[n-1] {
			l = s.maskAcrossLines(raws)[n-1]
		}
		return s.clean(l)
	}
	r, err := readReply(s.br, func(l string) { raws = append(raws, l) }, cleanLast)
	lines := s.maskAcrossLines(raws)
	for _, l := range lines {
		s.line(step, Server, l)
	}
	if err != nil {
		return nil, err
	}
	s.lastRaw = append([]string(nil), r.Lines...)
	if len(r.Lines) == len(lines) {
		_, offs := replyTexts(raws) // masking keeps each line's prefix
		for i, l := range lines {
			r.Lines[i] = l[offs[i]:]
		}
	}
	return r, nil
}

// minSpanMask is the shortest secret form maskAcrossLines looks for.
const minSpanMask = 4

// maskAcrossLines returns the raw lines of one reply with every secret
// (in any form scrub knows) that runs over a line boundary of the reply's
// texts (the lines without code and enhanced code, joined as they are)
// replaced by Mask in each line it touches. A secret inside one line is
// left for clean. Forms shorter than minSpanMask bytes are left too: the
// reply's lines stay what the engine reads (EHLO keywords), and so short a
// text runs over a line boundary of ordinary replies by chance.
func (s *session) maskAcrossLines(raws []string) []string {
	if len(raws) < 2 || len(s.secrets) == 0 {
		return raws
	}
	texts, offs := replyTexts(raws)
	var covered [][]bool // covered[k][p]: byte p of text k is part of a secret
	// The lines as the engine joins them (nothing between) and as
	// Reply.Text joins them (a space: a server that wraps at a space drops it).
	for _, sep := range []string{"", " "} {
		joined := strings.Join(texts, sep)
		starts := make([]int, len(texts))
		n := 0
		for k, t := range texts {
			starts[k] = n
			n += len(t) + len(sep)
		}
		for _, sec := range s.secrets {
			if len(sec) < minSpanMask {
				break // s.secrets is longest first
			}
			for i := 0; i < len(joined); {
				j := strings.Index(joined[i:], sec)
				if j < 0 {
					break
				}
				a, b := i+j, i+j+len(sec)
				var touched []int
				for k, t := range texts {
					if a < starts[k]+len(t) && b > starts[k] {
						touched = append(touched, k)
					}
				}
				if len(touched) > 1 {
					if covered == nil {
						covered = make([][]bool, len(texts))
						for k, t := range texts {
							covered[k] = make([]bool, len(t))
						}
					}
					for _, k := range touched {
						for p := max(a, starts[k]); p < min(b, starts[k]+len(texts[k])); p++ {
							covered[k][p-starts[k]] = true
						}
					}
				}
				i = a + 1
			}
		}
	}
	if covered == nil {
		return raws
	}
	out := make([]string, len(raws))
	for k, t := range texts {
		var m strings.Builder
		m.WriteString(raws[k][:offs[k]])
		for p := 0; p < len(t); p++ {
			switch {
			case !covered[k][p]:
				m.WriteByte(t[p])
			case p == 0 || !covered[k][p-1]:
				m.WriteString(Mask)
			}
		}
		out[k] = m.String()
	}
	return out
}

// cmd writes one command and reads its reply.
func (s *session) cmd(step Step, line, show string) (*Reply, error) {
	if err := s.write(step, line, show); err != nil {
		return nil, err
	}
	if err := s.flush(step); err != nil {
		return nil, err
	}
	return s.read(step, 0)
}

// tlsConfig trusts the system roots plus the account's CA, checks the host
// name, and refuses anything older than TLS 1.2; with a pin it trusts
// exactly the pinned certificate instead. There is no way to skip
// verification.
func (s *session) tlsConfig() (*tls.Config, error) {
	if s.cfg.PinnedSHA256 != "" {
		// The pin alone decides: CAFile and CAPEM are not consulted, so a
		// CA file that was moved or deleted since does not matter.
		pin, err := parseFingerprint(s.cfg.PinnedSHA256)
		if err != nil {
			return nil, err
		}
		return pinnedTLSConfig(s.cfg.Host, pin), nil
	}
	var extra [][]byte // the account's CA certificates, PEM
	accountCA := x509.NewCertPool()
	if s.cfg.CAFile != "" {
		// A FIFO or a device would hang or fill memory here, before any
		// deadline: only a small regular file is read.
		pem, err := boundedfile.Read(s.cfg.CAFile, boundedfile.DefaultLimit)
		if err != nil {
			return nil, &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.ca_unreadable", "read CA file {{.Path}}: {{.Error}}",
				map[string]any{"Path": s.cfg.CAFile, "Error": fileProblem(err)}), Err: err}
		}
		if !accountCA.AppendCertsFromPEM(pem) {
			return nil, &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.ca_no_pem", "no PEM certificate in CA file {{.Path}}", map[string]any{"Path": s.cfg.CAFile})}
		}
		extra = append(extra, pem)
	}
	if len(s.cfg.CAPEM) > 0 {
		if !accountCA.AppendCertsFromPEM(s.cfg.CAPEM) {
			return nil, &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.ca_pem_no_pem", "no PEM certificate in the given CA")}
		}
		extra = append(extra, s.cfg.CAPEM)
	}
	allRoots := func() *x509.CertPool {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		for _, pem := range extra {
			pool.AppendCertsFromPEM(pem)
		}
		return pool
	}
	tc := &tls.Config{
		ServerName: s.cfg.Host,
		MinVersion: tls.VersionTLS12,
		// Full-size records from the start: a message is bulk data, and
		// small first records only add work for both ends.
		DynamicRecordSizingDisabled: true,
	}
	if len(extra) == 0 {
		tc.RootCAs = allRoots()
	} else {
		// The same verification as crypto/tls's own, done in two steps: a
		// chain that the account's CA completes is completed by the system
		// roots plus that CA as well, so trying the account's CA alone first
		// gives the same answer without parsing the system roots (7–8 ms of
		// CPU on Debian, more than a whole 1 MiB send to a local server).
		// Only when it fails are the system roots loaded and tried too.
		tc.InsecureSkipVerify = true
		tc.VerifyConnection = func(cs tls.ConnectionState) error {
			return verifyChain(cs.PeerCertificates, s.cfg.Host, accountCA, allRoots)
		}
	}
	return tc, nil
}

// pinnedTLSConfig trusts exactly the certificate whose SHA-256 is pin. The
// chain check is replaced by a stricter one, not dropped: the server must
// present exactly the pinned certificate (and the handshake proves it
// holds the key).
func pinnedTLSConfig(host string, pin [32]byte) *tls.Config {
	return &tls.Config{
		ServerName:                  host,
		MinVersion:                  tls.VersionTLS12,
		DynamicRecordSizingDisabled: true,
		InsecureSkipVerify:          true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errNoCertificate
			}
			if got := sha256.Sum256(cs.PeerCertificates[0].Raw); got != pin {
				return &pinError{got: hex.EncodeToString(got[:])}
			}
			return nil
		},
	}
}

// verifyChain checks certs (the server's, leaf first) for host as
// crypto/tls does, against first, then against all() when first does not
// complete the chain. Failures are *tls.CertificateVerificationError, as
// from crypto/tls.
func verifyChain(certs []*x509.Certificate, host string, first *x509.CertPool, all func() *x509.CertPool) error {
	if len(certs) == 0 {
		return errNoCertificate
	}
	opts := x509.VerifyOptions{DNSName: host, Roots: first, Intermediates: x509.NewCertPool()}
	for _, c := range certs[1:] {
		opts.Intermediates.AddCert(c)
	}
	if _, err := certs[0].Verify(opts); err == nil {
		return nil
	}
	opts.Roots = all()
	if _, err := certs[0].Verify(opts); err != nil {
		return &tls.CertificateVerificationError{UnverifiedCertificates: certs, Err: err}
	}
	return nil
}

// errNoCertificate: the handshake ended without a certificate to check.
var errNoCertificate = errors.New("tls: the server sent no certificate")

// pinError: the certificate is not the pinned one.
type pinError struct{ got string }

func (e *pinError) Error() string {
	return "tls: the server's certificate (SHA-256 " + e.got + ") is not the pinned one"
}

func parseFingerprint(s string) ([32]byte, error) {
	var pin [32]byte
	h := strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(s))
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != len(pin) {
		return pin, &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_pin", "the pinned certificate fingerprint is not 64 hex digits (SHA-256)")}
	}
	copy(pin[:], b)
	return pin, nil
}

// ColonHex writes a hex fingerprint (such as Error.CertificateSHA256) as
// upper-case pairs of hex digits joined by colons, the way certificate
// viewers, browsers and openssl show it; parsing a pin accepts this form.
func ColonHex(fp string) string {
	fp = strings.ToUpper(fp)
	var b strings.Builder
	for i := 0; i+2 <= len(fp); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(fp[i : i+2])
	}
	return b.String()
}

// fingerprint is the SHA-256 of a certificate's DER bytes, in hex.
func fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

// handshake runs the TLS handshake over the raw connection and from then on
// reads and writes through TLS, with fresh buffers: nothing read before the
// handshake survives it.
func (s *session) handshake(step Step, starttls bool) error {
	tc, err := s.tlsConfig()
	if err != nil {
		return err
	}
	s.records = &coalescingConn{Conn: s.raw}
	conn := tls.Client(s.records, tc)
	conn.SetDeadline(time.Now().Add(s.cfg.timeout()))
	if err := conn.HandshakeContext(s.ctx); err != nil {
		e := netError(s.ctx, step, err)
		if e.Kind == ErrorConnection && !transportError(err) {
			e.Kind = ErrorTLS // only the connection failing stays a connection failure
		}
		e.CertificateSHA256 = unverifiedFingerprint(err)
		return e
	}
	conn.SetDeadline(time.Time{})
	st := conn.ConnectionState()
	info := &TLSInfo{
		Version:     tls.VersionName(st.Version),
		CipherSuite: tls.CipherSuiteName(st.CipherSuite),
		ServerName:  s.cfg.Host,
		STARTTLS:    starttls,
	}
	if len(st.PeerCertificates) > 0 {
		leaf := st.PeerCertificates[0]
		// Names a server chose: shown, never acted on.
		info.Subject = Printable(leaf.Subject.String())
		info.Issuer = Printable(leaf.Issuer.String())
		info.NotAfter = leaf.NotAfter
		info.SHA256 = fingerprint(leaf)
	}
	s.tlsInfo = info
	s.conn = conn
	s.br = bufio.NewReaderSize(conn, MaxReplyLineLength)
	s.bw = bufio.NewWriterSize(conn, 4096)
	s.note(step, i18n.T("smtp.transcript.tls_established", "{{.Version}} established, {{.Cipher}}, certificate \"{{.Subject}}\" issued by \"{{.Issuer}}\", valid until {{.Until}}, SHA-256 {{.SHA256}}",
		map[string]any{"Version": info.Version, "Cipher": info.CipherSuite, "Subject": info.Subject, "Issuer": info.Issuer,
			"Until": info.NotAfter.UTC().Format("2006-01-02"), "SHA256": info.SHA256}))
	return nil
}

// unverifiedFingerprint is the fingerprint of the certificate a failed
// verification was about, so a person can compare it and pin it.
func unverifiedFingerprint(err error) string {
	var ve *tls.CertificateVerificationError
	if errors.As(err, &ve) && len(ve.UnverifiedCertificates) > 0 {
		return fingerprint(ve.UnverifiedCertificates[0])
	}
	var pe *pinError
	if errors.As(err, &pe) {
		return pe.got
	}
	return ""
}

// heloName is the EHLO argument: the configured name, this machine's fully
// qualified name, or the local address as a literal (RFC 5321 §4.1.4).
func (s *session) heloName() string {
	if s.cfg.HeloName != "" {
		return s.cfg.HeloName
	}
	if h, err := os.Hostname(); err == nil && strings.Contains(h, ".") && validDomain(h) {
		return h
	}
	if a, ok := s.raw.LocalAddr().(*net.TCPAddr); ok {
		if ip4 := a.IP.To4(); ip4 != nil {
			return "[" + ip4.String() + "]"
		}
		return "[IPv6:" + a.IP.String() + "]"
	}
	return "[127.0.0.1]"
}

// validDomain accepts letters, digits, hyphens and dots (RFC 5321 Domain).
func validDomain(h string) bool {
	if h == "" || len(h) > 253 || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// remoteIsLoopback reports whether the connected peer is this machine: the
// only place a password may go without TLS (the sandbox). A connection
// through Config.Dialer never counts: a local proxy may relay it further.
func (s *session) remoteIsLoopback() bool {
	a, ok := s.raw.RemoteAddr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback() && s.cfg.Dialer == nil
}
