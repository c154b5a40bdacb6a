package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"
)

// runCmd runs stamp-send in-process.
func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	keepTranscript(t, out.String(), errOut.String())
	return code, out.String(), errOut.String()
}

// keepTranscript appends what one run printed to a file named after the
// test in $STAMP_TEST_TRANSCRIPTS, for scripts/secret-audit.sh.
// The arguments are left out: tests pass refused passwords as flag values.
func keepTranscript(t *testing.T, stdout, stderr string) {
	dir := os.Getenv("STAMP_TEST_TRANSCRIPTS")
	if dir == "" {
		return
	}
	dir = filepath.Join(dir, "stamp-send")
	os.MkdirAll(dir, 0o700)
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	if len(name) > 100 { // file names have a limit; test names do not
		name = fmt.Sprintf("%s-%x", name[:80], sha256.Sum256([]byte(name)))[:100]
	}
	f, err := os.OpenFile(filepath.Join(dir, name+".txt"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Errorf("keep the transcript: %v", err)
		return
	}
	defer f.Close()
	if len(stdout) > 1<<20 {
		stdout = stdout[:1<<20] + "…"
	}
	fmt.Fprintf(f, "$ stamp-send …\n%s%s\n", stderr, stdout)
}

// readMessage parses a written message with an independent parser and
// returns its header, its text and its attachments by file name.
func readMessage(t *testing.T, raw string) (mail.Header, string, map[string][]byte) {
	t.Helper()
	mr, err := mail.CreateReader(strings.NewReader(raw))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, raw)
	}
	var text string
	atts := map[string][]byte{}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *mail.InlineHeader:
			text = string(b)
		case *mail.AttachmentHeader:
			name, _ := h.Filename()
			atts[name] = b
		}
	}
	return mr.Header, text, atts
}

func TestDryRunWritesMessageAndEnvelope(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "Quarterly report.pdf")
	pdf := []byte("%PDF-1.4 not really\x00\xff")
	os.WriteFile(report, pdf, 0o644)

	code, stdout, stderr := runCmd(t, "",
		"--dry-run",
		"--from", "Ann Sender <ann@example.com>",
		"--to", `bob@example.com, "Last, First" <lf@example.com>`,
		"--to", "carol@example.com",
		"--cc", "dan@example.com;erin@example.com",
		"--bcc", "secret@example.com",
		"--subject", "Zahlen für März 📈",
		"--body", "Hello\nall",
		"--attach", report,
	)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	h, text, atts := readMessage(t, stdout)
	to, _ := h.AddressList("To")
	if len(to) != 3 || to[1].Name != "Last, First" || to[2].Address != "carol@example.com" {
		t.Errorf("To = %v", to)
	}
	if cc, _ := h.AddressList("Cc"); len(cc) != 2 {
		t.Errorf("Cc = %v", cc)
	}
	if subj, _ := h.Subject(); subj != "Zahlen für März 📈" {
		t.Errorf("Subject = %q", subj)
	}
	if strings.TrimSuffix(text, "\r\n") != "Hello\r\nall" {
		t.Errorf("text = %q", text)
	}
	if !bytes.Equal(atts["Quarterly report.pdf"], pdf) {
		t.Errorf("attachment bytes differ: %q", atts)
	}
	if strings.Contains(stdout, "secret@example.com") {
		t.Errorf("the Bcc recipient is in the message")
	}
	wantEnv := "MAIL FROM:<ann@example.com>\n" +
		"RCPT TO:<bob@example.com>\nRCPT TO:<lf@example.com>\nRCPT TO:<carol@example.com>\n" +
		"RCPT TO:<dan@example.com>\nRCPT TO:<erin@example.com>\nRCPT TO:<secret@example.com>\n"
	if !strings.HasSuffix(stderr, wantEnv) {
		t.Errorf("stderr =\n%s\nwant it to end with\n%s", stderr, wantEnv)
	}
	if !strings.Contains(stderr, "nothing sent") {
		t.Errorf("stderr does not say nothing was sent: %q", stderr)
	}
}

func TestDryRunOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "msg.eml")
	code, stdout, stderr := runCmd(t, "", "--dry-run", "--out", out, "--from", "a@example.com", "--to", "b@example.com", "--subject", "s")
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ := readMessage(t, string(raw))
	if s, _ := h.Subject(); s != "s" {
		t.Errorf("Subject = %q", s)
	}
}

func TestDryRunRefusesInvalidInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string // the one-line error contains this
	}{
		{"a bad Cc address names the flag and the entry", []string{"--to", "a@example.com", "--cc", "bob@"}, `--cc: "bob@" is not a valid address`},
		{"a missing sender is reported", []string{"--from", "", "--to", "a@example.com"}, "--from: is required"},
		{"no recipient at all is reported", []string{"--to", " , "}, "--to: needs at least one recipient"},
		{"a missing attachment names the file", []string{"--to", "a@example.com", "--attach", filepath.Join(dir, "nope.pdf")}, `--attach: "` + filepath.Join(dir, "nope.pdf") + `" does not exist`},
		{"a folder as attachment is refused", []string{"--to", "a@example.com", "--attach", dir}, "is a folder"},
		{"a line break in the subject is refused", []string{"--to", "a@example.com", "--subject", "hi\nBcc: x@example.com"}, "--subject: contains a line break"},
		{"a missing body file is reported", []string{"--to", "a@example.com", "--body-file", filepath.Join(dir, "none.txt")}, "--body-file:"},
		{"a body that is not UTF-8 is reported", []string{"--to", "a@example.com", "--body", "caf\xe9"}, "--body: is not valid UTF-8 text"},
		{"--body and --body-file together are refused", []string{"--to", "a@example.com", "--body", "x", "--body-file", "y"}, "--body and --body-file"},
		{"an unknown flag is reported", []string{"--to", "a@example.com", "--colour"}, "flag provided but not defined: -colour"},
		{"a stray argument is reported", []string{"--to", "a@example.com", "extra"}, `unexpected argument "extra"`},
		{"--eml with --subject is refused", []string{"--to", "a@example.com", "--eml", "x.eml", "--subject", "s"}, "--eml sends a finished message as is"},
		{"a password flag is refused with advice", []string{"--to", "a@example.com", "--password", "hunter2"}, "use --password-env VAR or --password-stdin"},
		{"an unknown security mode is reported", []string{"--to", "a@example.com", "--security", "ssl"}, `--security "ssl"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "out.eml")
			args := append([]string{"--dry-run", "--out", out, "--from", "me@example.com"}, tt.args...)
			code, stdout, stderr := runCmd(t, "", args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want one line containing %q", stderr, tt.want)
			}
			if strings.Contains(stderr, "hunter2") {
				t.Errorf("the password shows in the error")
			}
			if stdout != "" {
				t.Errorf("stdout = %q", stdout)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("--out was created")
			}
		})
	}
}

func TestDryRunEML(t *testing.T) {
	dir := t.TempDir()
	eml := filepath.Join(dir, "in.eml")
	raw := "From: a@example.com\r\nTo: b@example.com\r\nSubject: as is\r\n\r\nbody\r\n"
	os.WriteFile(eml, []byte(raw), 0o644)
	code, stdout, stderr := runCmd(t, "", "--dry-run", "--eml", eml, "--from", "a@example.com", "--to", "b@example.com", "--bcc", "c@example.com")
	if code != 0 || stdout != raw {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "RCPT TO:<c@example.com>") {
		t.Errorf("stderr = %q", stderr)
	}
	code, _, stderr = runCmd(t, "", "--dry-run", "--eml", filepath.Join(dir, "missing.eml"), "--from", "a@example.com", "--to", "b@example.com")
	if code != 2 || !strings.Contains(stderr, "--eml:") {
		t.Errorf("a missing --eml file: exit %d, %q", code, stderr)
	}
}

func TestDryRunJSONAndQuiet(t *testing.T) {
	code, _, stderr := runCmd(t, "", "--dry-run", "--json", "--from", "a@example.com", "--to", "用户@例子.中国")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ev struct {
		Kind     string   `json:"kind"`
		MailFrom string   `json:"mail_from"`
		RcptTo   []string `json:"rcpt_to"`
		SMTPUTF8 bool     `json:"smtputf8"`
		Size     int64    `json:"size"`
	}
	if err := json.Unmarshal([]byte(stderr), &ev); err != nil {
		t.Fatalf("stderr is not one JSON event: %q", stderr)
	}
	if ev.Kind != "envelope" || ev.MailFrom != "a@example.com" || len(ev.RcptTo) != 1 || !ev.SMTPUTF8 || ev.Size == 0 {
		t.Errorf("event = %+v", ev)
	}
	code, _, stderr = runCmd(t, "", "--dry-run", "--quiet", "--from", "a@example.com", "--to", "b@example.com")
	if code != 0 || stderr != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, stderr)
	}
}

func TestDryRunBodyFromStdin(t *testing.T) {
	code, stdout, stderr := runCmd(t, "from stdin\n", "--dry-run", "--from", "a@example.com", "--to", "b@example.com", "--body-file", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, text, _ := readMessage(t, stdout); text != "from stdin\r\n" {
		t.Errorf("text = %q", text)
	}
}

func TestHelp(t *testing.T) {
	code, _, stderr := runCmd(t, "", "--help")
	if code != 0 || !strings.Contains(stderr, "usage: stamp-send") || !strings.Contains(stderr, "-dry-run") {
		t.Errorf("--help: exit %d, %q", code, stderr)
	}
}
