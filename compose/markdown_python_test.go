package compose

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pythonTree prints a message's structure as Python's email package reads
// it: each part's content type indented by depth, the text of the text
// parts in order, and any defects.
const pythonTree = `
import email, email.policy, json, sys
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
tree, bodies = [], []
def walk(p, depth):
    tree.append(' ' * depth + p.get_content_type())
    if p.is_multipart():
        for c in p.iter_parts():
            walk(c, depth + 1)
    elif p.get_content_maintype() == 'text':
        bodies.append(p.get_content())
walk(m, 0)
json.dump({'tree': tree, 'bodies': bodies,
           'defects': [str(d) for p in m.walk() for d in p.defects]}, sys.stdout)
`

func TestPythonEmailReadsMarkdownMessages(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	typed := "Grüße **Bob**,\n\n- [Plan](https://example.com/p)\n- <script>alert(1)</script>\n\n-- \nAnn"
	m := &Message{
		From: Address{Addr: "ann@example.com"}, To: []Address{{Addr: "bob@example.com"}},
		Subject: "Plan", Text: typed, Markdown: true,
		Attachments: []Attachment{{Name: "notes.txt", Data: []byte("notes\n")}},
	}
	path := filepath.Join(t.TempDir(), "m.eml")
	if err := SaveEML(path, m, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(python, "-c", pythonTree, path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	var got struct {
		Tree    []string `json:"tree"`
		Bodies  []string `json:"bodies"`
		Defects []string `json:"defects"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("python output %q: %v", stdout.String(), err)
	}
	want := "multipart/mixed\n multipart/alternative\n  text/plain\n  text/html\n text/plain"
	if tree := strings.Join(got.Tree, "\n"); tree != want {
		t.Errorf("python sees\n%s\nwant\n%s", tree, want)
	}
	if len(got.Bodies) != 3 {
		t.Fatalf("python read %d text parts, want 3", len(got.Bodies))
	}
	if got.Bodies[0] != typed+"\n" && got.Bodies[0] != typed {
		t.Errorf("python's text part %q, want what was typed %q", got.Bodies[0], typed)
	}
	hrefs, text := checkSafeHTML(t, got.Bodies[1])
	if strings.Join(hrefs, " ") != "https://example.com/p" || !strings.Contains(text, "Grüße") || !strings.Contains(text, "<script>alert(1)</script>") {
		t.Errorf("python's HTML: links %q, text %q", hrefs, text)
	}
	if got.Bodies[2] != "notes\n" {
		t.Errorf("python's attachment %q", got.Bodies[2])
	}
	if len(got.Defects) > 0 {
		t.Errorf("python found defects: %q", got.Defects)
	}
}
