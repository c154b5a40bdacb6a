package smtpclient

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"stamp/i18n"
	"stamp/internal/i18ntest"
	"stamp/smtpclient/sandbox"
)

// rawKey is a translation key shown instead of its text.
var rawKey = regexp.MustCompile(`smtp\.[a-z_]+\.[a-z_0-9]+`)

// engineFailure is one failure the engine words itself, made by a real
// server on 127.0.0.1 (or, for the checks before connecting, with one
// waiting), and how it reads in English and in Chinese.
type engineFailure struct {
	name string
	// setup returns the settings and envelope that meet the failure.
	setup func(t *testing.T) (Config, Envelope)
	kind  ErrorKind
	step  Step
	// inNote: Stamp's words are the Note (Message is someone else's text:
	// crypto/tls's); otherwise they are the Message.
	inNote bool
	en, zh string
	// server is what the server (or the person) wrote, kept as it was in
	// both languages; "" when none.
	server string
}

// withLogin adds a user name and password to cfg (sent over plain text to
// a scripted server: allowed on loopback only).
func withLogin(cfg Config) Config {
	cfg.Username, cfg.Password = testUser, testPassword
	return cfg
}

var oneRecipient = Envelope{From: "alice@sandbox.test", To: []string{"bob@example.test"}}

func engineFailures(t *testing.T) []engineFailure {
	plain := startSandbox(t, sandbox.Options{})
	tlsSrv := startSandbox(t, sandbox.Options{Security: sandbox.TLS})
	untrusted := func() Config { c := configFor(tlsSrv); c.CAPEM = nil; return c }
	return []engineFailure{
		{name: "recipient without @", kind: ErrorInput, step: StepConnect, server: `"bob"`,
			setup: func(t *testing.T) (Config, Envelope) {
				return configFor(plain), Envelope{From: "alice@sandbox.test", To: []string{"bob"}}
			},
			en: `invalid recipient address "bob": no @`, zh: `收件人地址 "bob" 无效：缺少 @`},
		{name: "sender with a space", kind: ErrorInput, step: StepConnect, server: `"al ice@sandbox.test"`,
			setup: func(t *testing.T) (Config, Envelope) {
				return configFor(plain), Envelope{From: "al ice@sandbox.test", To: []string{"bob@example.test"}}
			},
			en: `invalid sender address "al ice@sandbox.test": it contains a space, control character or angle bracket`,
			zh: `发件人地址 "al ice@sandbox.test" 无效：其中含有空格、控制字符或尖括号`},
		{name: "no recipients", kind: ErrorInput, step: StepConnect,
			setup: func(t *testing.T) (Config, Envelope) { return configFor(plain), Envelope{From: "alice@sandbox.test"} },
			en:    "no recipients", zh: "没有收件人"},
		{name: "port out of range", kind: ErrorInput, step: StepConnect,
			setup: func(t *testing.T) (Config, Envelope) { c := configFor(plain); c.Port = 70000; return c, oneRecipient },
			en:    "invalid port 70000", zh: "端口 70000 无效"},
		{name: "user without password", kind: ErrorInput, step: StepConnect,
			setup: func(t *testing.T) (Config, Envelope) {
				c := configFor(plain)
				c.Username = testUser
				return c, oneRecipient
			},
			en: "a user name is set but no password or token", zh: "已设置用户名，但没有密码或令牌"},
		{name: "unknown login method", kind: ErrorInput, step: StepConnect, server: `"bogus"`,
			setup: func(t *testing.T) (Config, Envelope) { c := configFor(plain); c.Auth = "bogus"; return c, oneRecipient },
			en:    `unknown auth mechanism "bogus" (want auto, plain, login, cram-md5, xoauth2 or oauthbearer)`,
			zh:    `未知的登录方式 "bogus"（可选：auto, plain, login, cram-md5, xoauth2 或 oauthbearer）`},
		{name: "pin without TLS", kind: ErrorInput, step: StepConnect,
			setup: func(t *testing.T) (Config, Envelope) {
				c := configFor(plain)
				c.PinnedSHA256 = strings.Repeat("ab", 32)
				return c, oneRecipient
			},
			en: "a pinned certificate needs an encrypted connection", zh: "固定证书需要加密连接"},
		{name: "pin not hex", kind: ErrorInput, step: StepConnect,
			setup: func(t *testing.T) (Config, Envelope) {
				c := configFor(tlsSrv)
				c.PinnedSHA256 = "not-a-fingerprint"
				return c, oneRecipient
			},
			en: "the pinned certificate fingerprint is not 64 hex digits (SHA-256)", zh: "固定的证书指纹不是 64 位十六进制数"},
		{name: "CA file missing", kind: ErrorInput, step: StepTLS,
			setup: func(t *testing.T) (Config, Envelope) {
				c := untrusted()
				c.CAFile = t.TempDir() + "/missing-ca.pem"
				return c, oneRecipient
			},
			en: "missing-ca.pem: no such file", zh: "missing-ca.pem：文件不存在"},
		{name: "greeting without a code", kind: ErrorProtocol, step: StepGreeting, server: "hello there stranger",
			setup: func(t *testing.T) (Config, Envelope) {
				return scriptServer(t, func(c *scripted) { c.send("hello there stranger"); c.waitClose() }), oneRecipient
			},
			en: `reply does not start with a three-digit code: "hello there stranger"`, zh: `回复没有以三位数字的回复码开头："hello there stranger"`},
		{name: "codes differ in one reply", kind: ErrorProtocol, step: StepGreeting, server: "250 another code said here",
			setup: func(t *testing.T) (Config, Envelope) {
				return scriptServer(t, func(c *scripted) { c.send("220-welcome", "250 another code said here"); c.waitClose() }), oneRecipient
			},
			en: "reply codes differ inside one multi-line reply", zh: "同一条多行回复中的回复码前后不一致"},
		{name: "a reply line too long", kind: ErrorProtocol, step: StepGreeting,
			setup: func(t *testing.T) (Config, Envelope) {
				return scriptServer(t, func(c *scripted) { c.send("220 " + strings.Repeat("x", 5000)); c.waitClose() }), oneRecipient
			},
			en: "reply line longer than 4096 bytes", zh: "回复行超过 4096 字节"},
		{name: "bytes before our command", kind: ErrorProtocol, step: StepEHLO,
			setup: func(t *testing.T) (Config, Envelope) {
				return scriptServer(t, func(c *scripted) { c.Write([]byte("220 hi\r\n250 unasked\r\n")); c.waitClose() }), oneRecipient
			},
			en: "the server sent 13 bytes before our command", zh: "服务器在 Stamp 发出命令之前就发送了 13 字节"},
		{name: "bytes after 354", kind: ErrorProtocol, step: StepMessage,
			setup: func(t *testing.T) (Config, Envelope) {
				return scriptServer(t, func(c *scripted) {
					c.acceptEnvelope()
					c.expect("DATA")
					c.Write([]byte("354 go ahead\r\n250 too early\r\n"))
					c.waitClose()
				}), oneRecipient
			},
			en: "the server sent 15 bytes after 354, before the message", zh: "服务器在 354 回复之后、邮件内容之前多发送了 15 字节"},
		{name: "LOGIN asked a third time", kind: ErrorProtocol, step: StepAuth,
			setup: func(t *testing.T) (Config, Envelope) {
				return withLogin(scriptServer(t, func(c *scripted) {
					c.ehloOK("AUTH LOGIN")
					c.expect("AUTH LOGIN")
					for range 2 { // the user name, then the password
						c.send("334 UGFzc3dvcmQ6")
						c.expect("")
					}
					c.send("334 UGFzc3dvcmQ6")
					c.waitClose()
				})), oneRecipient
			},
			en: "the server asked for more AUTH data than LOGIN has (asked for the password twice?)", zh: "服务器索要的 AUTH 数据比 LOGIN 能提供的多"},
		{name: "CRAM-MD5 challenge not base64", kind: ErrorProtocol, step: StepAuth,
			setup: func(t *testing.T) (Config, Envelope) {
				return withLogin(scriptServer(t, func(c *scripted) {
					c.ehloOK("AUTH CRAM-MD5")
					c.expect("AUTH CRAM-MD5")
					c.send("334 !!not base64!!")
					c.waitClose()
				})), oneRecipient
			},
			en: "the server's CRAM-MD5 challenge is not valid base64", zh: "服务器的 CRAM-MD5 质询不是有效的 base64"},
		{name: "CRAM-MD5 second challenge", kind: ErrorProtocol, step: StepAuth,
			setup: func(t *testing.T) (Config, Envelope) {
				return withLogin(scriptServer(t, func(c *scripted) {
					c.ehloOK("AUTH CRAM-MD5")
					c.expect("AUTH CRAM-MD5")
					ch := base64.StdEncoding.EncodeToString([]byte("<1.2@script.test>"))
					c.send("334 " + ch)
					c.expect("")
					c.send("334 " + ch)
					c.waitClose()
				})), oneRecipient
			},
			en: "CRAM-MD5: the server sent a second challenge", zh: "CRAM-MD5：服务器发出了第二次质询"},
		{name: "certificate from an unknown CA", kind: ErrorTLS, step: StepTLS, inNote: true,
			setup: func(t *testing.T) (Config, Envelope) { return untrusted(), oneRecipient },
			en:    "The certificate was not issued by an authority this computer trusts", zh: "该证书不是由本机信任的机构签发的"},
		{name: "certificate for another name", kind: ErrorTLS, step: StepTLS, inNote: true,
			setup: func(t *testing.T) (Config, Envelope) {
				c := configFor(tlsSrv)
				c.Host = "mail.wrong-name.test" // the sandbox's certificate names 127.0.0.1 and localhost
				c.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
					return (&net.Dialer{}).DialContext(ctx, network, tlsSrv.Addr())
				}
				return c, oneRecipient
			},
			en: "The certificate is not for this server name.", zh: "该证书与服务器名称不符。"},
		{name: "certificate not the pinned one", kind: ErrorTLS, step: StepTLS, inNote: true,
			setup: func(t *testing.T) (Config, Envelope) {
				c := untrusted()
				c.PinnedSHA256 = strings.Repeat("0", 64)
				return c, oneRecipient
			},
			en: "The server's certificate is not the one pinned for this account.", zh: "服务器的证书不是此账户固定的那一个。"},
		{name: "TLS to a plain-text port", kind: ErrorTLS, step: StepTLS, inNote: true,
			setup: func(t *testing.T) (Config, Envelope) {
				c := scriptServer(t, func(c *scripted) { c.send("220 plain text only here"); c.waitClose() })
				c.Security = SecurityTLS
				return c, oneRecipient
			},
			en: "The server did not answer in TLS", zh: "服务器没有用 TLS 应答"},
	}
}

// Every failure the engine puts into its own words reaches a Chinese
// person in Chinese — the Message (or, beside crypto/tls's text, the Note)
// and the whole explanation, with no key shown raw and no English sentence
// left — and an English person in the same English as before; what the
// server (or the person) wrote stays as it was in both.
func TestEngineFailuresSpeakThePersonsLanguage(t *testing.T) {
	defer i18n.SetLanguage(i18n.English)
	for _, tc := range engineFailures(t) {
		t.Run(tc.name, func(t *testing.T) {
			cfg, env := tc.setup(t)
			for _, lang := range []string{"en", "zh"} {
				if lang == "en" {
					i18n.SetLanguage(i18n.English)
				} else {
					i18n.SetLanguage(i18n.SimplifiedChinese)
				}
				var rec recorder
				_, err := Send(context.Background(), cfg, env, testMessage("i18n", "body"), rec.on)
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("%s: Send returned %v, want an *Error", lang, err)
				}
				if e.Kind != tc.kind || e.Step != tc.step {
					t.Fatalf("%s: %s at %s, want %s at %s: %v\n%s", lang, e.Kind, e.Step, tc.kind, tc.step, e, rec.transcript())
				}
				words := e.Message
				if tc.inNote {
					words = e.Note
				}
				want := map[string]string{"en": tc.en, "zh": tc.zh}[lang]
				if !strings.Contains(words, want) {
					t.Errorf("%s: the engine says %q, want it to say %q", lang, words, want)
				}
				if tc.server != "" && !strings.Contains(e.Message, tc.server) {
					t.Errorf("%s: the server's (or person's) words %q are not kept in %q", lang, tc.server, e.Message)
				}
				explained := e.Explain()
				if !strings.Contains(explained, words) {
					t.Errorf("%s: the explanation does not show the engine's words %q: %q", lang, words, explained)
				}
				if lang == "en" {
					continue
				}
				if !hasHan(words) {
					t.Errorf("the Chinese engine words have no Chinese: %q", words)
				}
				if k := rawKey.FindString(explained); k != "" || strings.Contains(explained, "{{") {
					t.Errorf("a raw key or template (%q) is shown: %q", k, explained)
				}
				ours := explained
				for _, theirs := range []string{tc.server, cfg.CAFile} {
					if theirs != "" {
						ours = strings.ReplaceAll(ours, theirs, "")
					}
				}
				if tc.inNote {
					ours = strings.ReplaceAll(ours, e.Message, "") // crypto/tls's own text, kept as the detail
				}
				// The choices' own names (auto, plain, tls, …) are names,
				// not English.
				for _, m := range loginMethods {
					ours = strings.ReplaceAll(ours, m.Name, "")
				}
				for _, m := range securityModes {
					ours = strings.ReplaceAll(ours, m.Name, "")
				}
				if m := i18ntest.EnglishRun(ours); m != "" {
					t.Errorf("English (%q) left in the Chinese explanation: %q", m, explained)
				}
				if strings.Contains(explained, tc.en) {
					t.Errorf("the English text is in the Chinese explanation: %q", explained)
				}
			}
		})
	}
}

// The transcript's own lines (not the commands and replies) follow the
// language too; the protocol lines stay the protocol's.
func TestTheTranscriptsOwnLinesSpeakChinese(t *testing.T) {
	defer i18n.SetLanguage(i18n.English)
	srv := startSandbox(t, sandbox.Options{Security: sandbox.TLS})
	for _, tc := range []struct {
		lang language
		want []string
	}{
		{english, []string{"connect 127.0.0.1:", "connected to 127.0.0.1:", "TLS handshake with 127.0.0.1", "established", "1 recipient, pipelined", "<message, ", "MAIL FROM:<alice@sandbox.test>", "EHLO "}},
		{chinese, []string{"连接 127.0.0.1:", "已连接到 127.0.0.1:", "与 127.0.0.1 进行 TLS 握手", "已建立 TLS", "1 位收件人，使用流水线", "<邮件内容，", "MAIL FROM:<alice@sandbox.test>", "EHLO "}},
	} {
		tc.lang.set()
		var rec recorder
		if _, err := Send(context.Background(), configFor(srv), oneRecipient, testMessage("i18n", "body"), rec.on); err != nil {
			t.Fatalf("%v: %v", tc.lang, err)
		}
		got := rec.transcript()
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%v: the transcript lacks %q:\n%s", tc.lang, w, got)
			}
		}
		if tc.lang == chinese && strings.Contains(got, "established") {
			t.Errorf("English left in the Chinese transcript:\n%s", got)
		}
	}
}

type language int

const (
	english language = iota
	chinese
)

func (l language) set() {
	if l == chinese {
		i18n.SetLanguage(i18n.SimplifiedChinese)
	} else {
		i18n.SetLanguage(i18n.English)
	}
}

func (l language) String() string { return [...]string{"English", "Chinese"}[l] }

// A name that does not resolve and a network that cannot reach the server
// are told in the person's language, not as the resolver's English. Tests
// never ask a real resolver: the Dialer returns what net.Dialer returns.
func TestDialFailuresSpeakThePersonsLanguage(t *testing.T) {
	defer i18n.SetLanguage(i18n.English)
	for _, tc := range []struct {
		name   string
		err    error
		en, zh string
	}{
		{"no such host", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "smtp.example.invalid", IsNotFound: true}},
			"the server name smtp.example.invalid does not exist (check its spelling)", "服务器名称 smtp.example.invalid 不存在（请检查拼写）"},
		{"resolver unreachable", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "server misbehaving", Name: "smtp.example.invalid", IsTemporary: true}},
			"the server name smtp.example.invalid could not be looked up", "无法解析服务器名称 smtp.example.invalid"},
		{"network unreachable", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)},
			"the server cannot be reached from this network", "从当前网络无法访问该服务器"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Host: "smtp.example.invalid", Port: 587, Security: SecuritySTARTTLS,
				Dialer: func(context.Context, string, string) (net.Conn, error) { return nil, tc.err }}
			for _, l := range []language{english, chinese} {
				l.set()
				_, err := Send(context.Background(), cfg, oneRecipient, testMessage("i18n", "body"), nil)
				var e *Error
				if !errors.As(err, &e) || e.Kind != ErrorConnection || e.Step != StepConnect {
					t.Fatalf("%v: %v, want a connection failure at connect", l, err)
				}
				want := map[language]string{english: tc.en, chinese: tc.zh}[l]
				if !strings.Contains(e.Message, want) || !strings.Contains(e.Explain(), want) {
					t.Errorf("%v: %q (explained %q), want %q", l, e.Message, e.Explain(), want)
				}
				if l == chinese && (i18ntest.EnglishRun(e.Explain()) != "") {
					t.Errorf("English left in %q", e.Explain())
				}
			}
		})
	}
}

// A cancel names the step as people call it, in their language.
func TestACancelIsToldInThePersonsLanguage(t *testing.T) {
	defer i18n.SetLanguage(i18n.English)
	cfg := scriptServer(t, func(c *scripted) { c.waitClose() }) // never greets
	for _, tc := range []struct {
		lang language
		want string
	}{{english, "cancelled at the greeting"}, {chinese, "已在“服务器问候”这一步取消"}} {
		tc.lang.set()
		ctx, cancel := context.WithCancel(context.Background())
		_, err := Send(ctx, cfg, oneRecipient, testMessage("i18n", "body"), func(ev Event) {
			if ev.Kind == EventStepStarted && ev.Step == StepGreeting {
				cancel()
			}
		})
		cancel()
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrorCanceled || e.Message != tc.want {
			t.Errorf("%v: %v, want a cancel saying %q", tc.lang, err, tc.want)
		}
	}
}
