package smtpclient

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"stamp/i18n"
)

// progressInterval is the least time between two progress events; they are
// also at most one per chunk written (dataChunk).
const progressInterval = 50 * time.Millisecond

// quitTimeout bounds QUIT after the message was accepted: the send is done,
// so a slow goodbye should not keep the user waiting.
const quitTimeout = 5 * time.Second

// Send delivers msg to the envelope's recipients through the server in cfg,
// calling onEvent (which may be nil) for every step and line, in order, on
// the calling goroutine (also with cfg.Background; onEvent is never called
// after Send returns). Cancelling ctx closes the connection at once.
//
// The returned Result is never nil: it says how far the session got, which
// recipients were accepted and refused, and the final reply. A non-nil error
// is always an *Error. With cfg.ContinueOnRejected, a send where some (not
// all) recipients were refused returns no error; Result.Refused lists them.
func Send(ctx context.Context, cfg Config, env Envelope, msg Message, onEvent func(Event)) (*Result, error) {
	start := time.Now()
	res := &Result{}
	for _, to := range env.To {
		res.Recipients = append(res.Recipients, RecipientResult{Address: to})
	}
	if msg != nil {
		res.MessageBytes = msg.Size()
	}
	s := newSession(ctx, &cfg, onEvent)
	defer func() {
		s.close()
		res.Timings = s.timings
		res.Total = time.Since(start)
		res.Capabilities = s.caps
		res.TLS = s.tlsInfo
	}()
	if err := checkEnvelope(&cfg, env, msg); err != nil {
		return res, s.fail(StepConnect, err)
	}
	if err := s.open(); err != nil {
		return res, err
	}
	if err := s.envelope(env, res); err != nil {
		return res, err
	}
	if err := s.data(msg, res); err != nil {
		return res, err
	}
	s.quit()
	return res, nil
}

// Probe tests an account: connect, TLS, EHLO, AUTH when a user name is set,
// QUIT. It returns what the server offers.
func Probe(ctx context.Context, cfg Config, onEvent func(Event)) (*Capabilities, error) {
	s := newSession(ctx, &cfg, onEvent)
	defer s.close()
	if err := checkConfig(&cfg); err != nil {
		return nil, s.fail(StepConnect, err)
	}
	if err := s.open(); err != nil {
		return s.caps, err
	}
	s.quit()
	return s.caps, nil
}

// open runs everything up to a logged-in, ready session: connect, implicit
// TLS, greeting, EHLO, STARTTLS and EHLO again, AUTH.
func (s *session) open() error {
	if err := s.dial(); err != nil {
		return err
	}
	if s.cfg.Security == SecurityTLS {
		s.begin(StepTLS, i18n.T("smtp.transcript.tls_handshake", "TLS handshake with {{.Host}}", map[string]any{"Host": s.cfg.Host}))
		if err := s.handshake(StepTLS, false); err != nil {
			return s.fail(StepTLS, err)
		}
		s.finish(StepTLS)
	}
	s.begin(StepGreeting, i18n.T("smtp.transcript.wait_greeting", "wait for the greeting"))
	r, err := s.read(StepGreeting, 0)
	if err != nil {
		return s.fail(StepGreeting, err)
	}
	if r.Code != 220 {
		// RFC 5321 §3.1: after a 554 greeting the client should QUIT.
		return s.failAndQuit(StepGreeting, replyError(StepGreeting, r))
	}
	s.greeting = s.clean(r.Text())
	s.finish(StepGreeting)

	if err := s.hello(StepEHLO); err != nil {
		return err
	}
	if s.cfg.Security == SecuritySTARTTLS {
		if err := s.startTLS(); err != nil {
			return err
		}
		if err := s.hello(StepEHLOAgain); err != nil {
			return err
		}
	}
	s.caps.TLS = s.tlsInfo
	return s.auth()
}

// hello sends EHLO, falling back to HELO only when the server refuses EHLO
// and nothing the account needs (STARTTLS, AUTH) depends on extensions.
func (s *session) hello(step Step) error {
	name := s.heloName()
	s.begin(step, "EHLO "+name)
	r, err := s.cmd(step, "EHLO "+name, "EHLO "+name)
	if err != nil {
		return s.fail(step, err)
	}
	if r.Code == 250 {
		s.caps = parseEHLO(r) // the words handed out: secrets across lines masked
		s.caps.takeFlags(parseEHLO(&Reply{Code: r.Code, Lines: s.lastRaw}))
		s.caps.Greeting = s.greeting
		s.cleanCaps()
		s.finish(step)
		return nil
	}
	if r.Code/100 != 5 {
		return s.fail(step, replyError(step, r))
	}
	if step != StepEHLO || s.cfg.Security == SecuritySTARTTLS || s.cfg.Username != "" {
		need := "STARTTLS"
		if s.cfg.Security != SecuritySTARTTLS {
			need = "AUTH"
		}
		return s.fail(step, &Error{Kind: ErrorPolicy, Code: r.Code, EnhancedCode: r.Enhanced,
			Message: i18n.T("smtp.detail.helo_cannot", "the server refused EHLO ({{.Reply}}); HELO cannot do {{.Need}}, which this account needs", map[string]any{"Reply": r.String(), "Need": need})})
	}
	r, err = s.cmd(step, "HELO "+name, "HELO "+name)
	if err != nil {
		return s.fail(step, err)
	}
	if r.Code != 250 {
		return s.fail(step, replyError(step, r))
	}
	s.caps = &Capabilities{Greeting: s.greeting, Extensions: map[string]string{}}
	s.finish(step)
	return nil
}

// startTLS upgrades the connection. It never falls back to plain text, and
// it aborts when the server sent anything after its 220 and before the
// handshake: such bytes would be read as if they came over TLS (STARTTLS
// command injection, CVE-2011-0411 and kin).
func (s *session) startTLS() error {
	s.begin(StepSTARTTLS, i18n.T("smtp.transcript.upgrade_tls", "upgrade to TLS"))
	if !s.caps.StartTLS {
		return s.fail(StepSTARTTLS, &Error{Kind: ErrorPolicy, Message: i18n.T("smtp.detail.no_starttls", "the server does not offer STARTTLS; refusing to continue without TLS")})
	}
	r, err := s.cmd(StepSTARTTLS, "STARTTLS", "STARTTLS")
	if err != nil {
		return s.fail(StepSTARTTLS, err)
	}
	if r.Code != 220 {
		e := replyError(StepSTARTTLS, r)
		e.Kind = ErrorTLS
		// Message stays the server's reply; Stamp's words are the Note.
		e.Note = i18n.T("smtp.note.starttls_refused", "The server refused STARTTLS; Stamp never falls back to plain text.")
		return s.fail(StepSTARTTLS, e)
	}
	if n := s.br.Buffered(); n > 0 {
		return s.fail(StepSTARTTLS, &Error{Kind: ErrorProtocol,
			Message: i18n.T("smtp.detail.starttls_injection", "the server sent {{.Bytes}} bytes after its STARTTLS reply, before the TLS handshake (possible command injection); aborting", map[string]any{"Bytes": n})})
	}
	if err := s.handshake(StepSTARTTLS, true); err != nil {
		return s.fail(StepSTARTTLS, err)
	}
	// RFC 3207 §4.2: forget everything learnt before TLS.
	s.caps = nil
	s.finish(StepSTARTTLS)
	return nil
}

// mailParams builds the MAIL FROM parameters and checks the envelope
// against what the server offers, before anything is sent.
func (s *session) mailParams(env Envelope, size int64) (string, error) {
	var p []string
	if s.caps.MaxSize > 0 && size > s.caps.MaxSize {
		return "", &Error{Kind: ErrorPolicy, Message: i18n.T("smtp.detail.too_big",
			"the message is {{.Size}} bytes but the server accepts at most {{.Max}} bytes", map[string]any{"Size": thousands(size), "Max": thousands(s.caps.MaxSize)})}
	}
	if s.caps.SizeOffered {
		p = append(p, "SIZE="+strconv.FormatInt(size, 10))
	}
	if env.EightBitMIME {
		if !s.caps.EightBitMIME {
			return "", &Error{Kind: ErrorPolicy, Message: i18n.T("smtp.detail.no_8bitmime", "the message has 8-bit content but the server does not offer 8BITMIME")}
		}
		p = append(p, "BODY=8BITMIME")
	}
	if needsUTF8(env) {
		if !s.caps.SMTPUTF8 {
			return "", &Error{Kind: ErrorPolicy, Message: i18n.T("smtp.detail.no_smtputf8", "an address or header needs UTF-8 but the server does not offer SMTPUTF8")}
		}
		p = append(p, "SMTPUTF8")
	}
	if len(p) == 0 {
		return "", nil
	}
	return " " + strings.Join(p, " "), nil
}

// pipelineBatch is how many RCPT TO go in one pipelined write. Batches keep
// the replies waiting in the socket small: a client that writes thousands
// of commands without reading can deadlock with a server whose output
// buffer is full (RFC 2920 §3.1).
const pipelineBatch = 100

// envelope sends MAIL FROM and every RCPT TO — with PIPELINING (RFC 2920)
// MAIL and the first batch of RCPTs in one write, replies read in order —
// and applies the recipient policy. DATA is never pipelined: under the
// all-or-nothing policy we must be able to stop before the server waits
// for message bytes.
func (s *session) envelope(env Envelope, res *Result) error {
	pipe := s.caps.Pipelining && !s.cfg.DisablePipelining
	mailReply, err := s.mailFrom(env, res.MessageBytes, pipe)
	if err != nil {
		return err
	}
	batch := 1
	how := i18n.N("smtp.transcript.recipients", "{{.Count}} recipient", "{{.Count}} recipients", len(env.To))
	if pipe {
		batch = pipelineBatch
		how = i18n.N("smtp.transcript.recipients_pipelined", "{{.Count}} recipient, pipelined", "{{.Count}} recipients, pipelined", len(env.To))
	}
	s.emit(Event{Kind: EventStepStarted, Step: StepRcpt, Text: how})
	rcptStart := time.Now()
	ref := rcptRefusals{allTemp: true}
	for lo := 0; lo < len(env.To); lo += batch {
		if mailReply, err = s.rcptBatch(env, res, lo, min(lo+batch, len(env.To)), mailReply, &ref); err != nil {
			return err
		}
	}
	s.stepStart = rcptStart
	return s.applyRefusals(env, ref)
}

// mailFrom checks the envelope against the server's limits and sends MAIL
// FROM. Without pipelining it reads and judges the reply at once; pipelined,
// it returns nil and the reply is read with the first RCPT batch.
func (s *session) mailFrom(env Envelope, size int64, pipe bool) (*Reply, error) {
	params, err := s.mailParams(env, size)
	if err != nil {
		s.begin(StepMail, i18n.T("smtp.transcript.check_limits", "check the message against the server's limits"))
		return nil, s.fail(StepMail, err)
	}
	mail := "MAIL FROM:<" + env.From + ">" + params
	s.begin(StepMail, "MAIL FROM:<"+env.From+">")
	if err := s.write(StepMail, mail, mail); err != nil {
		return nil, s.fail(StepMail, err)
	}
	if pipe {
		return nil, nil
	}
	r, err := s.flushRead(StepMail)
	if err != nil {
		return nil, s.fail(StepMail, err)
	}
	if r.Code/100 != 2 {
		return nil, s.failAndQuit(StepMail, replyError(StepMail, r))
	}
	s.finish(StepMail)
	return r, nil
}

// rcptRefusals gathers the recipients the server refused.
type rcptRefusals struct {
	list    []string // "address: reply" for each
	first   *Reply   // the first refusal
	allTemp bool     // every refusal so far was 4xx
}

// rcptBatch sends RCPT TO for env.To[lo:hi] in one write and reads their
// replies, after MAIL's when mailReply is nil (pipelined: it comes first),
// recording each verdict in res and ref. It returns MAIL's reply.
func (s *session) rcptBatch(env Envelope, res *Result, lo, hi int, mailReply *Reply, ref *rcptRefusals) (*Reply, error) {
	for _, to := range env.To[lo:hi] {
		line := "RCPT TO:<" + to + ">"
		s.write(StepRcpt, line, line)
	}
	if err := s.flush(StepRcpt); err != nil {
		return nil, s.fail(StepRcpt, err)
	}
	if mailReply == nil {
		var err error
		if mailReply, err = s.read(StepMail, 0); err != nil {
			return nil, s.fail(StepMail, err)
		}
		if mailReply.Code/100 == 2 {
			s.finish(StepMail)
		}
	}
	for i := lo; i < hi; i++ {
		r, err := s.read(StepRcpt, 0)
		if err != nil {
			return nil, s.fail(StepRcpt, err)
		}
		ok := r.Code/100 == 2
		res.Recipients[i].Accepted = ok
		res.Recipients[i].Reply = s.cleanReply(r)
		s.emit(Event{Kind: EventRecipient, Step: StepRcpt, Recipient: env.To[i], Accepted: ok, Reply: r, Text: r.String()})
		if !ok {
			if ref.first == nil {
				ref.first = r
			}
			ref.allTemp = ref.allTemp && r.Code/100 == 4
			ref.list = append(ref.list, env.To[i]+": "+r.String())
		}
	}
	if mailReply.Code/100 != 2 {
		// Pipelined: this batch's RCPT replies were read to stay in step;
		// the sender's refusal is what matters.
		return nil, s.failAndReset(StepMail, replyError(StepMail, mailReply))
	}
	return mailReply, nil
}

// applyRefusals is the recipient policy: by default one refusal stops the
// send; with ContinueOnRejected only a refusal of every recipient does.
func (s *session) applyRefusals(env Envelope, ref rcptRefusals) error {
	n := len(ref.list)
	if n > 0 && (!s.cfg.ContinueOnRejected || n == len(env.To)) {
		e := replyError(StepRcpt, ref.first)
		e.Temporary = ref.allTemp
		// Message stays the server's reply to the first refused recipient;
		// Stamp's own sentence, with every refusal, is the Note.
		list := strings.Join(ref.list, "; ")
		if n == len(env.To) {
			e.Note = i18n.T("smtp.note.all_refused", "Every recipient was refused: {{.List}}.", map[string]any{"List": list})
		} else {
			e.Note = i18n.T("smtp.note.some_refused", "{{.Refused}} of {{.All}} recipients were refused, so nothing was sent: {{.List}}.",
				map[string]any{"Refused": n, "All": len(env.To), "List": list})
		}
		return s.failAndReset(StepRcpt, e)
	}
	if n > 0 {
		s.note(StepRcpt, i18n.T("smtp.transcript.some_refused", "{{.Refused}} of {{.All}} recipients refused; sending to the {{.Accepted}} accepted",
			map[string]any{"Refused": n, "All": len(env.To), "Accepted": len(env.To) - n}))
	}
	s.finish(StepRcpt)
	return nil
}

func (s *session) flushRead(step Step) (*Reply, error) {
	if err := s.flush(step); err != nil {
		return nil, err
	}
	return s.read(step, 0)
}

// data sends DATA, streams the message and waits for the final reply.
func (s *session) data(msg Message, res *Result) error {
	s.begin(StepData, "DATA")
	if err := s.ctx.Err(); err != nil {
		// Cancelled from the DATA event (the outbox could not record the
		// stage): the close runs on another goroutine, so look here too.
		return s.fail(StepData, netError(s.ctx, StepData, err))
	}
	r, err := s.cmd(StepData, "DATA", "DATA")
	if err != nil {
		return s.fail(StepData, err)
	}
	if r.Code != 354 {
		return s.failAndQuit(StepData, replyError(StepData, r))
	}
	s.finish(StepData)

	total := res.MessageBytes
	s.begin(StepMessage, i18n.T("smtp.transcript.send_bytes", "send {{.Size}} bytes", map[string]any{"Size": thousands(total)}))
	s.line(StepMessage, Client, i18n.T("smtp.transcript.message_placeholder", "<message, {{.Size}} bytes>", map[string]any{"Size": thousands(total)}))
	if n := s.br.Buffered(); n > 0 {
		return s.fail(StepMessage, &Error{Kind: ErrorProtocol, Message: i18n.T("smtp.detail.bytes_after_354",
			"the server sent {{.Bytes}} bytes after 354, before the message", map[string]any{"Bytes": n})})
	}
	var last time.Time
	progress := func(sent int64) {
		if now := time.Now(); now.Sub(last) >= progressInterval || sent >= total {
			last = now
			s.emit(Event{Kind: EventProgress, Step: StepMessage, Sent: min(sent, total), Total: total})
		}
	}
	progress(0)
	var out io.Writer = deadlineWriter{s.conn, s.cfg.timeout()}
	if s.records != nil {
		out = gatheredWriter{out, s.records}
	}
	st := streamData(msg, out, progress, s.cfg.Background)
	res.WireBytes = st.wire
	if st.connErr != nil {
		// The connection failed; classify its own error.
		return s.fail(StepMessage, st.connErr)
	}
	if st.srcErr != nil {
		// The message source failed, not the connection. Ending the data
		// now would deliver a truncated message: close instead, and the
		// server discards what it got.
		s.raw.Close()
		return s.fail(StepMessage, &Error{Kind: ErrorSource, Message: i18n.T("smtp.detail.source", "reading the message failed: {{.Error}}", map[string]any{"Error": st.srcErr.Error()}), Err: st.srcErr})
	}
	if st.consumed != total {
		s.note(StepMessage, i18n.T("smtp.transcript.size_mismatch", "the message wrote {{.Wrote}} bytes, not the {{.Announced}} it announced",
			map[string]any{"Wrote": thousands(st.consumed), "Announced": thousands(total)}))
	}
	s.line(StepMessage, Client, ".")
	// RFC 5321 §4.5.3.2.6: wait up to 10 minutes for the final reply.
	r, err = s.read(StepMessage, s.cfg.finalReplyTimeout())
	if err != nil {
		e := s.fail(StepMessage, mayHaveBeenDelivered(netError(s.ctx, StepMessage, err)))
		return e
	}
	res.Final = s.cleanReply(r)
	if r.Code/100 != 2 {
		return s.failAndQuit(StepMessage, replyError(StepMessage, r))
	}
	res.Sent = true
	// From the clean reply: a server that names the message after the
	// password gets the mask, and a pattern that stops inside the raw
	// password cannot capture a piece of it.
	res.QueueID = queueID(res.Final)
	if res.QueueID != "" {
		s.note(StepMessage, i18n.T("smtp.transcript.queue_id", "accepted, queue id {{.ID}}", map[string]any{"ID": res.QueueID}))
	}
	s.finish(StepMessage)
	return nil
}

// mayHaveBeenDelivered marks e as a failure after the whole message was
// sent: the flag says it, and each caller (the send panel, stamp-send's
// warning, Error) puts it in its own words, once; Message stays the
// failure itself.
func mayHaveBeenDelivered(e *Error) *Error {
	e.MayHaveBeenDelivered = true
	return e
}

// failAndQuit reports the failure of step, then says goodbye politely:
// the server answered, so the session is still in step.
func (s *session) failAndQuit(step Step, err error) *Error {
	e := s.fail(step, err)
	if e.Code != 421 { // 421: the server is closing the connection itself
		s.quit()
	}
	return e
}

// failAndReset is failAndQuit with RSET first, for a transaction that the
// server has begun (MAIL accepted, recipients pending).
func (s *session) failAndReset(step Step, err error) *Error {
	e := s.fail(step, err)
	if e.Code != 421 {
		s.reset()
		s.quit()
	}
	return e
}

// reset sends RSET so the server forgets the transaction; its failure does
// not matter, QUIT follows.
func (s *session) reset() {
	s.begin(StepReset, "RSET")
	if _, err := s.cmd(StepReset, "RSET", "RSET"); err != nil {
		s.fail(StepReset, err)
		return
	}
	s.finish(StepReset)
}

// quit says goodbye. Its failure never changes the outcome of a send.
func (s *session) quit() {
	if s.ctx.Err() != nil {
		return
	}
	s.begin(StepQuit, "QUIT")
	if err := s.write(StepQuit, "QUIT", "QUIT"); err == nil {
		if err = s.flush(StepQuit); err == nil {
			_, err = s.read(StepQuit, min(quitTimeout, s.cfg.timeout()))
		}
		if err != nil {
			s.fail(StepQuit, err)
			return
		}
	}
	s.finish(StepQuit)
}

// deadlineWriter gives every write to the connection its own deadline.
type deadlineWriter struct {
	c interface {
		Write([]byte) (int, error)
		SetWriteDeadline(time.Time) error
	}
	d time.Duration
}

func (w deadlineWriter) Write(p []byte) (int, error) {
	w.c.SetWriteDeadline(time.Now().Add(w.d))
	return w.c.Write(p)
}

// checkConfig rejects settings that cannot work, before connecting.
func checkConfig(cfg *Config) error {
	switch {
	case cfg.Host == "":
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.no_host", "no server host name")}
	case strings.ContainsAny(cfg.Host, " \r\n\t/"):
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_host", "invalid server host name {{.Host}}", map[string]any{"Host": strconv.Quote(cfg.Host)})}
	case cfg.Port < 0 || cfg.Port > 65535:
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_port", "invalid port {{.Port}}", map[string]any{"Port": strconv.Itoa(cfg.Port)})}
	case cfg.Security < SecurityTLS || cfg.Security > SecurityNone:
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_security", "invalid security mode")}
	case cfg.HeloName != "" && !validDomain(strings.Trim(cfg.HeloName, "[]")) && !strings.HasPrefix(cfg.HeloName, "[IPv6:"):
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_helo", "invalid EHLO name {{.Name}}", map[string]any{"Name": strconv.Quote(cfg.HeloName)})}
	case cfg.Username != "" && cfg.Password == "" && cfg.OAuth2Token == "":
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.no_secret", "a user name is set but no password or token")}
	case cfg.PinnedSHA256 != "" && cfg.Security == SecurityNone:
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.pin_without_tls", "a pinned certificate needs an encrypted connection (security tls or starttls): with security none there is no certificate to check and everything goes in clear text; choose TLS or STARTTLS, or stop trusting the pinned certificate"), Err: ErrPinWithoutTLS}
	}
	if cfg.PinnedSHA256 != "" {
		if _, err := parseFingerprint(cfg.PinnedSHA256); err != nil {
			return err
		}
	}
	if _, err := ParseAuthMechanism(string(cfg.Auth)); err != nil {
		return &Error{Kind: ErrorInput, Message: err.Error(), Err: err} // in the person's language (names.go)
	}
	// From here on the session dials, verifies and names the A-label form.
	host, err := ASCIIHost(cfg.Host)
	if err != nil {
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_idn", "{{.Host}} is not a valid international server name", map[string]any{"Host": strconv.Quote(cfg.Host)}), Err: err}
	}
	cfg.Host = host
	return nil
}

// checkEnvelope rejects an envelope that would inject commands or cannot be
// sent, before connecting.
func checkEnvelope(cfg *Config, env Envelope, msg Message) error {
	if err := checkConfig(cfg); err != nil {
		return err
	}
	if msg == nil {
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.no_message", "no message")}
	}
	if len(env.To) == 0 {
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.no_recipients", "no recipients")}
	}
	if err := checkAddress(i18n.T("smtp.input.role_sender", "sender"), env.From, true); err != nil {
		return err
	}
	for _, to := range env.To {
		if err := checkAddress(i18n.T("smtp.input.role_recipient", "recipient"), to, false); err != nil {
			return err
		}
	}
	return nil
}

// checkAddress checks one envelope address; role is "sender" or
// "recipient" in the current language.
func checkAddress(role, a string, emptyOK bool) error {
	if a == "" && emptyOK {
		return nil
	}
	data := map[string]any{"Role": role, "Address": strconv.Quote(a)}
	if a == "" || len(a) > 320 || !utf8.ValidString(a) {
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_address", "invalid {{.Role}} address {{.Address}}", data)}
	}
	for _, c := range a {
		if c < 0x21 || c == 0x7f || c == '<' || c == '>' {
			return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_address_chars",
				"invalid {{.Role}} address {{.Address}}: it contains a space, control character or angle bracket", data)}
		}
	}
	if !strings.Contains(a, "@") {
		return &Error{Kind: ErrorInput, Message: i18n.T("smtp.input.bad_address_no_at", "invalid {{.Role}} address {{.Address}}: no @", data)}
	}
	return nil
}

func needsUTF8(env Envelope) bool {
	if env.SMTPUTF8 {
		return true
	}
	for _, a := range append([]string{env.From}, env.To...) {
		for i := 0; i < len(a); i++ {
			if a[i] >= 0x80 {
				return true
			}
		}
	}
	return false
}

// thousands formats 35873144 as "35,873,144".
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
