package i18n

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

// A dotfiles manager keeps settings.json elsewhere and links it into the
// data folder: saving writes through the link and keeps it.
func TestSavingWritesThroughALinkedSettingsFile(t *testing.T) {
	for _, relative := range []bool{false, true} {
		name := map[bool]string{false: "absolute link", true: "relative link"}[relative]
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			data, dotfiles := filepath.Join(root, "data"), filepath.Join(root, "dotfiles", "stamp")
			for _, d := range []string{data, dotfiles} {
				if err := os.MkdirAll(d, 0o700); err != nil {
					t.Fatal(err)
				}
			}
			target := filepath.Join(dotfiles, "settings.json")
			if err := os.WriteFile(target, []byte(`{"language": "en", "theme": "dark"}`), 0o600); err != nil {
				t.Fatal(err)
			}
			linkTo := target
			if relative {
				linkTo = filepath.Join("..", "dotfiles", "stamp", "settings.json")
			}
			link := filepath.Join(data, SettingsFile)
			symlink(t, linkTo, link)

			if err := SaveChoice(data, "zh-Hans"); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Lstat(link)
			if err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("settings.json is no longer a link after saving (%v, %v)", fi.Mode(), err)
			}
			if got, _ := os.Readlink(link); got != linkTo {
				t.Errorf("the link now points to %q, want %q", got, linkTo)
			}
			got, err := os.ReadFile(target)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), `"zh-Hans"`) || !strings.Contains(string(got), `"dark"`) {
				t.Errorf("the link's target holds %s; want the new language and the kept theme", got)
			}
			if c, err := LoadChoice(data); err != nil || c != "zh-Hans" {
				t.Errorf("read back through the link: %q, %v", c, err)
			}
			for _, d := range []string{data, dotfiles} {
				entries, _ := os.ReadDir(d)
				if len(entries) != 1 {
					t.Errorf("%s holds %d entries after saving, want only settings.json: %v", d, len(entries), entries)
				}
			}
		})
	}
}

// A link that leads nowhere, or round in a loop, is said clearly and left
// as it is: nothing is written in its place.
func TestABrokenSettingsLinkIsAnErrorAndKept(t *testing.T) {
	tests := []struct {
		name  string
		links func(data string) (link, linkTo string)
		say   string
	}{
		{"dangling", func(data string) (string, string) {
			link, to := filepath.Join(data, SettingsFile), filepath.Join(data, "gone", "settings.json")
			symlink(t, to, link)
			return link, to
		}, "does not exist"},
		{"looping", func(data string) (string, string) {
			link, other := filepath.Join(data, SettingsFile), filepath.Join(data, "other.json")
			symlink(t, other, link)
			symlink(t, link, other)
			return link, other
		}, "link"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			link, linkTo := tt.links(data)
			before, _ := os.ReadDir(data)
			err := SaveChoice(data, "zh-Hans")
			if err == nil {
				t.Fatal("saving through a broken link gave no error")
			}
			if !strings.Contains(err.Error(), tt.say) || !strings.Contains(err.Error(), linkTo) {
				t.Errorf("the error %q does not say where the link leads (%s) and why (%q)", err, linkTo, tt.say)
			}
			if got, _ := os.Readlink(link); got != linkTo {
				t.Errorf("the link now points to %q, want it kept pointing to %q", got, linkTo)
			}
			after, _ := os.ReadDir(data)
			if len(after) != len(before) {
				t.Errorf("the folder held %v, now %v", before, after)
			}
			if _, err := LoadChoice(data); err == nil || !strings.Contains(err.Error(), tt.say) {
				t.Errorf("loading through the broken link: %v; want an error that says %q", err, tt.say)
			}
		})
	}
}
