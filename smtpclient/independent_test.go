package smtpclient

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// independentServer is the SMTP server from Debian's packages that
// scripts/test-server.sh starts (python3-aiosmtpd: STARTTLS required, AUTH
// PLAIN and LOGIN after TLS, every message saved to a spool folder).
type independentServer struct {
	cfg   Config
	spool string
}

// startedIndependentServer returns the server described by the STAMP_INDEPENDENT_*
// variables, or skips the test when they are not set.
func startedIndependentServer(t *testing.T) independentServer {
	addr, ca, spool := os.Getenv("STAMP_INDEPENDENT_SMTP"), os.Getenv("STAMP_INDEPENDENT_CA"), os.Getenv("STAMP_INDEPENDENT_SPOOL")
	if addr == "" || ca == "" || spool == "" {
		t.Skip("no independent SMTP server: run scripts/test-server.sh (make test does) to start one from Debian's python3-aiosmtpd and set STAMP_INDEPENDENT_SMTP, _CA, _SPOOL, _USER, _PASSWORD")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("STAMP_INDEPENDENT_SMTP=%q: %v", addr, err)
	}
	p, _ := strconv.Atoi(port)
	return independentServer{spool: spool, cfg: Config{
		Host: host, Port: p, Security: SecuritySTARTTLS, CAFile: ca, Timeout: 10 * time.Second,
		Username: os.Getenv("STAMP_INDEPENDENT_USER"), Password: os.Getenv("STAMP_INDEPENDENT_PASSWORD"),
	}}
}

// spooled is one message as the independent server saved it.
type spooled struct {
	MailFrom      string   `json:"mail_from"`
	RcptTos       []string `json:"rcpt_tos"`
	TLS           bool     `json:"tls"`
	Authenticated bool     `json:"authenticated"`
	Data          []byte   `json:"-"`
}

// waitSpooled finds the message whose Message-ID is id in the spool.
func (s independentServer) waitSpooled(t *testing.T, id string) spooled {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		envs, _ := filepath.Glob(filepath.Join(s.spool, "*.json"))
		for _, e := range envs {
			data, err := os.ReadFile(strings.TrimSuffix(e, ".json") + ".eml")
			if err != nil || !bytes.Contains(data, []byte(id)) {
				continue
			}
			var sp spooled
			raw, _ := os.ReadFile(e)
			if err := json.Unmarshal(raw, &sp); err != nil {
				t.Fatal(err)
			}
			sp.Data = data
			return sp
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("message %s never reached the independent server's spool %s", id, s.spool)
	return spooled{}
}

func TestIndependentServerSTARTTLSAuthToCcBccAttachment(t *testing.T) {
	srv := startedIndependentServer(t)
	attachment := make([]byte, 300<<10)
	for i := range attachment {
		attachment[i] = byte(i*7 + i>>8)
	}
	env := Envelope{From: "alice@stamp.test", To: []string{"bob@example.test", "carol@example.test", "hidden@example.test"}}

	for _, mech := range []AuthMechanism{AuthPlain, AuthLogin} {
		t.Run(string(mech), func(t *testing.T) {
			cfg := srv.cfg
			cfg.Auth = mech
			id := "<independent-" + strings.ToLower(string(mech)) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@stamp.test>"
			msg := mimeMessage(id, attachment)
			var rec recorder
			res, err := Send(context.Background(), cfg, env, msg, rec.on)
			if err != nil {
				t.Fatalf("Send: %v\n%s", err, rec.transcript())
			}
			if res.TLS == nil || res.Capabilities.AuthUsed != mech || len(res.Accepted()) != 3 {
				t.Errorf("result %+v", res)
			}
			assertNoSecrets(t, rec.all(), cfg.Password)

			got := srv.waitSpooled(t, id)
			if !got.TLS || !got.Authenticated || got.MailFrom != env.From || strings.Join(got.RcptTos, ",") != strings.Join(env.To, ",") {
				t.Errorf("server's envelope %+v", got)
			}
			m, err := mail.ReadMessage(bytes.NewReader(got.Data))
			if err != nil {
				t.Fatal(err)
			}
			if m.Header.Get("Bcc") != "" || bytes.Contains(got.Data, []byte("hidden@example.test")) {
				t.Error("the Bcc recipient is visible in the delivered message")
			}
			if cc := m.Header.Get("Cc"); cc != "carol@example.test" {
				t.Errorf("Cc = %q", cc)
			}
			if a := attachmentOf(t, m); !bytes.Equal(a, attachment) {
				t.Errorf("the attachment arrived with %d bytes, different from the %d sent", len(a), len(attachment))
			}
		})
	}
}

// mimeMessage is a multipart message with To, Cc (no Bcc header: Bcc is
// envelope only) and a base64 attachment, built by the standard library
// so this test does not depend on compose.
func mimeMessage(id string, attachment []byte) Bytes {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	b.WriteString("From: Alice <alice@stamp.test>\r\nTo: bob@example.test\r\nCc: carol@example.test\r\n" +
		"Subject: independent server\r\nMessage-ID: " + id + "\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=" + mw.Boundary() + "\r\n\r\n")
	tp, _ := mw.CreatePart(map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}})
	tp.Write([]byte("Hello,\r\n.\r\nA line with only a dot is above.\r\n"))
	ap, _ := mw.CreatePart(map[string][]string{
		"Content-Type":              {"application/octet-stream"},
		"Content-Transfer-Encoding": {"base64"},
		"Content-Disposition":       {`attachment; filename="data.bin"`},
	})
	enc := base64.StdEncoding.EncodeToString(attachment)
	for len(enc) > 76 {
		ap.Write([]byte(enc[:76] + "\r\n"))
		enc = enc[76:]
	}
	ap.Write([]byte(enc + "\r\n"))
	mw.Close()
	return Bytes(b.Bytes())
}

func attachmentOf(t *testing.T, m *mail.Message) []byte {
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no attachment: %v", err)
		}
		if p.FileName() == "data.bin" {
			b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}
