package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"stamp/account"
	"stamp/oauth/oauthtest"
	"stamp/smtpclient/sandbox"
)

// fixtureMailbox is the address of the window test's account, and the
// login the sandbox wants.
const fixtureMailbox = "me@example.test"

// tokenSandbox is the window test's sandbox SMTP server that checks tokens
// with the provider, and what it reported so far.
type tokenSandbox struct {
	*sandbox.Server
	dir      string
	mu       sync.Mutex
	tokens   []string // every token a login offered
	logins   int      // XOAUTH2/OAUTHBEARER logins
	reported int      // messages written to DIR/received
}

// sandboxCheckingTokens starts a sandbox (TLS, its own CA) that accepts an
// XOAUTH2 or OAUTHBEARER login as fixtureMailbox only with a token srv's
// introspection calls active (as oauth/sandbox_test.go does).
func sandboxCheckingTokens(t *testing.T, srv *oauthtest.Server, dir string) *tokenSandbox {
	t.Helper()
	ts := &tokenSandbox{dir: dir}
	sb, err := sandbox.Start(context.Background(), sandbox.Options{Security: sandbox.TLS, Username: fixtureMailbox,
		Mechanisms: []string{"XOAUTH2", "OAUTHBEARER"},
		CheckToken: func(ctx context.Context, user, token string) error {
			ts.mu.Lock()
			ts.logins++
			ts.tokens = append(ts.tokens, token)
			ts.mu.Unlock()
			return srv.CheckBearer(ctx, fixtureMailbox, user, token)
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	ts.Server = sb
	return ts
}

// report appends each new message, parsed back with go-message, to
// DIR/received ("from=… to=… subject=… body=… user=… oauth-logins=N", one
// line each), and rewrites DIR/tokens: the access tokens the logins
// offered and the refresh token the keyring holds for the account (when
// the keyring can be read).
func (ts *tokenSandbox) report(ctx context.Context) {
	msgs := ts.Messages()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(msgs) == ts.reported {
		return
	}
	var lines strings.Builder
	for _, m := range msgs[ts.reported:] {
		fmt.Fprintf(&lines, "%s user=%s oauth-logins=%d\n", parsed(m.Data), m.User, ts.logins)
	}
	ts.reported = len(msgs)
	tokens := append([]string(nil), ts.tokens...)
	kctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	if rt, _, _, err := account.NewSecrets().RefreshToken(kctx, "signin"); err == nil {
		tokens = append(tokens, rt)
	}
	cancel()
	os.WriteFile(filepath.Join(ts.dir, "tokens"), []byte(strings.Join(tokens, "\n")+"\n"), 0o600)
	f, err := os.OpenFile(filepath.Join(ts.dir, "received"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	f.WriteString(lines.String())
	f.Close()
}

// parsed reads a message back with go-message: its From, To, Subject and
// the first line of its text, or why it cannot be read.
func parsed(data []byte) string {
	mr, err := gomail.CreateReader(bytes.NewReader(data))
	if err != nil {
		return "unparsable=" + strings.ReplaceAll(err.Error(), " ", "_")
	}
	from, _ := mr.Header.AddressList("From")
	to, _ := mr.Header.AddressList("To")
	subj, _ := mr.Header.Subject()
	body := ""
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		if _, ok := p.Header.(*gomail.InlineHeader); ok {
			var b bytes.Buffer
			b.ReadFrom(p.Body)
			body, _, _ = strings.Cut(strings.TrimSpace(b.String()), "\n")
			break
		}
	}
	addr := func(l []*gomail.Address) string {
		if len(l) == 0 {
			return ""
		}
		return l[0].Address
	}
	return fmt.Sprintf("from=%s to=%s subject=%q body=%q", addr(from), addr(to), subj, body)
}
