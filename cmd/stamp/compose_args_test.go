package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stamp/instance"
	"stamp/mailto"
)

func TestStartArgs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		files []string
		link  *mailto.Link // nil: no message
		warns string
	}{
		{"files alone open no message", []string{"a.pdf", "b.txt"}, []string{"a.pdf", "b.txt"}, nil, ""},
		{"a link and a file", []string{"mailto:ann@example.com?subject=Hi&attach=/etc/passwd", "a.pdf"}, []string{"a.pdf"},
			&mailto.Link{To: []string{"ann@example.com"}, Subject: "Hi"}, ""},
		{"file URLs from the desktop entry's %U are files", []string{"file:///home/ann/My%20report.pdf", "FILE://localhost/tmp/a.txt"},
			[]string{"/home/ann/My report.pdf", "/tmp/a.txt"}, nil, ""},
		{"--compose alone opens an empty message", []string{"--compose"}, nil, &mailto.Link{}, ""},
		{"--compose with every field", []string{"--compose", "--to", "a@x.example", "--to", "b@x.example", "--cc", "c@x.example",
			"--bcc", "d@x.example", "--subject", "1+1 = 2 & café", "--body", "line one\nline two", "notes.txt"}, []string{"notes.txt"},
			&mailto.Link{To: []string{"a@x.example", "b@x.example"}, Cc: []string{"c@x.example"}, Bcc: []string{"d@x.example"},
				Subject: "1+1 = 2 & café", Body: "line one\nline two"}, ""},
		{"--to without --compose still writes a message", []string{"--to", "a@x.example"}, nil, &mailto.Link{To: []string{"a@x.example"}}, ""},
		{"a link's addresses come before the flags'", []string{"--cc", "c@x.example", "MAILTO:a@x.example?cc=b@x.example&attach=x"}, nil,
			&mailto.Link{To: []string{"a@x.example"}, Cc: []string{"b@x.example", "c@x.example"}}, `"attach" field`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			s, err := parseStartArgs(tc.args, &stderr)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(s.files, "|") != strings.Join(tc.files, "|") {
				t.Errorf("files = %q, want %q", s.files, tc.files)
			}
			if (s.link != "") != (tc.link != nil) {
				t.Fatalf("link = %q, want a message: %v", s.link, tc.link != nil)
			}
			if tc.link != nil {
				l, err := mailto.Parse(s.link)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Join(l.To, "|") != strings.Join(tc.link.To, "|") || strings.Join(l.Cc, "|") != strings.Join(tc.link.Cc, "|") ||
					strings.Join(l.Bcc, "|") != strings.Join(tc.link.Bcc, "|") || l.Subject != tc.link.Subject || l.Body != tc.link.Body {
					t.Errorf("the message handed on = %+v, want %+v", l, tc.link)
				}
			}
			if !strings.Contains(stderr.String(), tc.warns) || (tc.warns == "" && stderr.Len() > 0) {
				t.Errorf("stderr = %q, want %q", stderr.String(), tc.warns)
			}
		})
	}
}

func TestStartArgsRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"two links", []string{"mailto:a@x.example", "mailto:b@x.example"}, "one mailto: link"},
		{"a 1 MB link", []string{"mailto:a@x.example?body=" + strings.Repeat("A", 1<<20)}, "too long"},
		{"a body over the limit from --body", []string{"--compose", "--body", strings.Repeat("é", 200<<10)}, "too long to hand to Stamp"},
		{"invalid UTF-8 in a link", []string{"mailto:?subject=%C3%28"}, "not UTF-8"},
		{"a file URL of another host", []string{"file://server/share/a.txt"}, "not a file on this computer"},
		{"a subject twice", []string{"--subject", "x", "mailto:a@x.example?subject=y"}, "give one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseStartArgs(tc.args, new(bytes.Buffer))
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("err = %v, want one saying %q", err, tc.says)
			}
		})
	}
}

// A second start with a link and a file hands both over, in one message,
// the file made absolute, and exits 0 saying so.
func TestASecondStampHandsItsLinkAndFileToTheRunningOne(t *testing.T) {
	tmp := xdgTemp(t)
	runDir := filepath.Join(tmp, "run")
	os.MkdirAll(runDir, 0o700)
	t.Setenv("XDG_RUNTIME_DIR", runDir)
	t.Setenv("XDG_DATA_HOME", filepath.Join(tmp, "data"))
	data, _ := dataDir()
	dir, _ := instanceDir()
	p, err := instance.Start(context.Background(), data, dir, nil)
	if err != nil || p == nil {
		t.Fatalf("primary: %v %v", p, err)
	}
	defer p.Close()
	got := make(chan []instance.Arg, 1)
	p.Serve(func(a []instance.Arg) error { got <- a; return nil })

	work := t.TempDir()
	link := "mailto:ann@example.com?subject=Hello%20there&body=Hi"
	cmd := exec.Command(os.Args[0], "-test.run=^$", "--", link, "notes.txt")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "STAMP_RUN_MAIN=1", "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "asked to open the new message with the file attached") {
		t.Fatalf("the second stamp: %v\n%s", err, out)
	}
	select {
	case a := <-got:
		if len(a) != 2 || a[0].Kind != instance.Mailto || a[1].Kind != instance.File || a[1].Value != filepath.Join(work, "notes.txt") {
			t.Fatalf("the running Stamp got %v", a)
		}
		if a[0].Value != link {
			t.Errorf("the link was handed over as %q, want it as given", a[0].Value)
		}
		l, err := mailto.Parse(a[0].Value)
		if err != nil || len(l.To) != 1 || l.To[0] != "ann@example.com" || l.Subject != "Hello there" || l.Body != "Hi" {
			t.Fatalf("the link handed over reads %+v, %v", l, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("nothing reached the running Stamp")
	}
}
