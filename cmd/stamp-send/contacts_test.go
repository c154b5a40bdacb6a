package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stamp/account"
	"stamp/contacts"
	"stamp/smtpclient/sandbox"
)

func TestContactsCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(account.ConfigDirEnv, dir)
	code, stdout, stderr := runCmd(t, "", "contacts", "import", filepath.Join("..", "..", "contacts", "testdata", "malformed.vcf"))
	if code != exitOK || !strings.Contains(stdout, "3 new") || !strings.Contains(stderr, `contacts import: card 2 "No End" (line 6): no END:VCARD`) {
		t.Fatalf("import: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runCmd(t, "", "contacts", "import", filepath.Join("..", "..", "contacts", "testdata", "apple.vcf"))
	if code != exitOK || !strings.Contains(stdout, "3 new, 0 updated") {
		t.Fatalf("import: exit %d %s", code, stdout)
	}
	code, stdout, _ = runCmd(t, "", "contacts", "list", "gra")
	if code != exitOK || stdout != "Grace Brewster Hopper <amazing.grace@cobol.example>\nGrace Brewster Hopper <grace@example.com>\n" {
		t.Fatalf("list gra: exit %d\n%q", code, stdout)
	}
	code, stdout, _ = runCmd(t, "", "contacts", "list", "--json")
	var list []struct {
		Address string
		Name    string
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || code != exitOK || len(list) != 6 {
		t.Fatalf("list --json: exit %d, %v\n%s", code, err, stdout)
	}
	if code, _, stderr = runCmd(t, "", "contacts", "remove", "GRACE@example.com"); code != exitOK {
		t.Fatalf("remove: %d %s", code, stderr)
	}
	if code, _, _ = runCmd(t, "", "contacts", "remove", "grace@example.com"); code != exitUsage {
		t.Fatalf("removing an unknown address: exit %d, want %d", code, exitUsage)
	}
	out := filepath.Join(t.TempDir(), "out.vcf")
	if code, _, stderr = runCmd(t, "", "contacts", "export", out); code != exitOK {
		t.Fatalf("export: %d %s", code, stderr)
	}
	data, _ := os.ReadFile(out)
	if n := strings.Count(string(data), "BEGIN:VCARD"); n != 5 || strings.Contains(string(data), "<grace@example.com>") || strings.Contains(string(data), ":grace@example.com") {
		t.Fatalf("export has %d cards:\n%s", n, data)
	}
	if code, _, _ = runCmd(t, "", "contacts", "frobnicate"); code != exitUsage {
		t.Fatalf("unknown command: exit %d", code)
	}
}

func TestSendLearnsContactsWithBcc(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(account.ConfigDirEnv, dir)
	_, args := sandboxArgs(t, sandbox.Options{Security: sandbox.None})
	code, _, stderr := runCmd(t, "", append(args, "--from", "me@example.com", "--to", "Bob Example <bob@example.com>",
		"--cc", "carol@example.com", "--bcc", "Dave <dave@example.com>", "--subject", "s", "--body", "b")...)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	store, err := contacts.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	bob, ok := store.Get("bob@example.com")
	if !ok || bob.Name != "Bob Example" || bob.Uses != 1 {
		t.Fatalf("bob after the send: %+v %v", bob, ok)
	}
	if dave, ok := store.Get("dave@example.com"); !ok || dave.Name != "Dave" {
		t.Fatalf("the Bcc address was not learned: %+v", dave)
	}
	if with := store.SentWith("bob@example.com"); len(with) != 1 || with[0] != "carol@example.com" {
		t.Fatalf("bob sent with %v, want carol only", with)
	}
	if _, ok := store.Get("me@example.com"); ok {
		t.Fatal("the sender was learned as a recipient")
	}
	// A failed send teaches nothing.
	code, _, _ = runCmd(t, "", "--server", "127.0.0.1:1", "--security", "none", "--timeout", "2s",
		"--from", "me@example.com", "--to", "erin@example.com", "--subject", "s", "--body", "b")
	if code == exitOK {
		t.Fatal("a send to a closed port succeeded")
	}
	store, _ = contacts.Open(dir)
	if _, ok := store.Get("erin@example.com"); ok {
		t.Fatal("a failed send was learned")
	}
}
