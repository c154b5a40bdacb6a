package account

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const helperEnv = "STAMP_ACCOUNT_TEST_HELPER"

// runHelper is the body of a subprocess started by a test (the test binary
// runs itself with helperEnv set).
func runHelper(kind string) int {
	dir := os.Getenv("STAMP_HELPER_DIR")
	s, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	switch kind {
	case "put":
		// Many writers at once: each adds its own accounts.
		prefix := os.Getenv("STAMP_HELPER_PREFIX")
		n, _ := strconv.Atoi(os.Getenv("STAMP_HELPER_COUNT"))
		for i := range n {
			if err := s.Put(testAccount(fmt.Sprintf("%s-%d", prefix, i))); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		return 0
	case "crash":
		// Die the hard way between writing the new file and renaming it.
		beforeRename = func(string) error { os.Exit(3); return nil }
		s.Put(testAccount("written-by-the-crashing-process"))
		return 1 // not reached
	}
	fmt.Fprintln(os.Stderr, "unknown helper", kind)
	return 2
}

func runHelperProcess(t *testing.T, kind, dir string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append([]string{helperEnv + "=" + kind, "STAMP_HELPER_DIR=" + dir}, env...)...)
	cmd.Stderr = os.Stderr
	return cmd
}

func ids(accounts []Account) []string {
	out := make([]string, len(accounts))
	for i, a := range accounts {
		out[i] = a.ID
	}
	return out
}

func mustList(t *testing.T, s *Store) []Account {
	t.Helper()
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestStoreRoundTrip(t *testing.T) {
	s := openTestStore(t)
	if list := mustList(t, s); len(list) != 0 {
		t.Fatalf("a new store lists %v, want nothing", ids(list))
	}
	work := testAccount("work")
	work.Username = "login-name"
	work.CAFile = ""
	work.Signature = "Ann\n-- not a delimiter\n+1 555 0100"
	home := testAccount("home")
	home.Security, home.Port, home.Auth = SecuritySTARTTLS, 587, AuthLogin
	for _, a := range []Account{work, home} {
		if err := s.Put(a); err != nil {
			t.Fatalf("Put(%s): %v", a.ID, err)
		}
	}

	// A second Store on the same folder (another window, stamp-send) sees it all.
	other, err := Open(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	got := mustList(t, other)
	work.Default = true // the first account becomes the default
	want := []Account{work, home}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}

	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Schema  int    `json:"schema"`
		Default string `json:"default"`
	}
	if err := json.Unmarshal(raw, &file); err != nil || file.Schema != 1 || file.Default != "work" {
		t.Errorf("file has schema %d, default %q (err %v); want 1 (no OAuth account), \"work\"", file.Schema, file.Default, err)
	}
}

func TestStoreDefaultAccount(t *testing.T) {
	tests := []struct {
		name        string
		change      func(*Store) error
		wantDefault string
	}{
		{"the first account added becomes the default", func(*Store) error { return nil }, "a"},
		{"SetDefault moves the default", func(s *Store) error { return s.SetDefault("c") }, "c"},
		{"putting an account marked default makes it the default", func(s *Store) error {
			b := testAccount("b")
			b.Default = true
			return s.Put(b)
		}, "b"},
		{"removing the default promotes the first remaining account", func(s *Store) error {
			return s.Remove(context.Background(), "a", nil)
		}, "b"},
		{"removing another account keeps the default", func(s *Store) error {
			return s.Remove(context.Background(), "c", nil)
		}, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			for _, id := range []string{"a", "b", "c"} {
				if err := s.Put(testAccount(id)); err != nil {
					t.Fatal(err)
				}
			}
			if err := tt.change(s); err != nil {
				t.Fatal(err)
			}
			d, err := s.Default()
			if err != nil || d.ID != tt.wantDefault {
				t.Fatalf("Default() = %q, %v; want %q", d.ID, err, tt.wantDefault)
			}
			n := 0
			for _, a := range mustList(t, s) {
				if a.Default {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d accounts are marked default, want exactly 1", n)
			}
		})
	}
}

func TestStoreErrors(t *testing.T) {
	s := openTestStore(t)
	if err := s.Put(testAccount("work")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"getting a missing account says there is no such account", func() error { _, err := s.Get("nope"); return err }(), ErrNoAccount},
		{"adding an existing name is refused", s.Add(testAccount("work")), ErrAccountExists},
		{"removing a missing account says there is no such account", s.Remove(context.Background(), "nope", nil), ErrNoAccount},
		{"making a missing account the default is refused", s.SetDefault("nope"), ErrNoAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) {
				t.Errorf("got %v, want %v", tt.err, tt.want)
			}
		})
	}
	t.Run("an invalid account is not saved and the error names the field", func(t *testing.T) {
		bad := testAccount("bad")
		bad.Host = ""
		err := s.Put(bad)
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field("host") == nil {
			t.Fatalf("Put(no host) = %v, want a ValidationError on host", err)
		}
		if _, err := s.Get("bad"); !errors.Is(err, ErrNoAccount) {
			t.Errorf("the invalid account was saved anyway")
		}
	})
}

func TestStoreFind(t *testing.T) {
	s := openTestStore(t)
	a := testAccount("me@example.org")
	a.Label = "Work"
	b := testAccount("home")
	b.Address = "home@example.net"
	for _, acc := range []Account{a, b} {
		if err := s.Put(acc); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, query, want string
	}{
		{"the exact ID finds the account", "home", "home"},
		{"the ID in another case finds the account", "ME@EXAMPLE.ORG", "me@example.org"},
		{"the label in any case finds the account", "work", "me@example.org"},
		{"the sender address finds the account", "Home@Example.net", "home"},
		{"an unknown name finds nothing", "elsewhere", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Find(tt.query)
			if tt.want == "" {
				if !errors.Is(err, ErrNoAccount) {
					t.Fatalf("Find(%q) = %q, %v; want ErrNoAccount", tt.query, got.ID, err)
				}
				return
			}
			if err != nil || got.ID != tt.want {
				t.Fatalf("Find(%q) = %q, %v; want %q", tt.query, got.ID, err, tt.want)
			}
		})
	}
}

func TestStoreSuggestID(t *testing.T) {
	s := openTestStore(t)
	if id, _ := s.SuggestID("Me@Example.org"); id != "me@example.org" {
		t.Fatalf("SuggestID = %q, want the address in lower case", id)
	}
	if err := s.Put(testAccount("me@example.org")); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.SuggestID("me@example.org"); id != "me@example.org-2" {
		t.Fatalf("SuggestID for a taken address = %q, want me@example.org-2", id)
	}
}

func TestStorePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows protects %AppData% with ACLs, not mode bits")
	}
	dir := testDir(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(testAccount("work")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		path string
		want os.FileMode
	}{
		{"the settings folder is private even when it existed with 0755", s.Dir(), 0o700},
		{"the settings file is readable by its owner only", s.Path(), 0o600},
		{"the lock file is readable by its owner only", s.Path() + ".lock", 0o600},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, err := os.Stat(c.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := info.Mode().Perm(); got != c.want {
				t.Errorf("%s has mode %o, want %o", c.path, got, c.want)
			}
		})
	}
	t.Run("a folder of another name, chosen by the person, keeps its mode", func(t *testing.T) {
		custom := filepath.Join(filepath.Dir(testDir(t)), "shared")
		if err := os.MkdirAll(custom, 0o755); err != nil {
			t.Fatal(err)
		}
		os.Chmod(custom, 0o755)
		s, err := Open(custom)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Put(testAccount("work")); err != nil {
			t.Fatal(err)
		}
		if info, _ := os.Stat(custom); info.Mode().Perm() != 0o755 {
			t.Errorf("the folder's mode changed to %o", info.Mode().Perm())
		}
		if info, _ := os.Stat(s.Path()); info.Mode().Perm() != 0o600 {
			t.Errorf("the file has mode %o, want 600", info.Mode().Perm())
		}
	})
}

func TestStoreAtomicWrite(t *testing.T) {
	t.Run("a failure between writing and renaming leaves the old file and no temporary file", func(t *testing.T) {
		s := openTestStore(t)
		if err := s.Put(testAccount("old")); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(s.Path())
		boom := errors.New("disk pulled out")
		beforeRename = func(string) error { return boom }
		defer func() { beforeRename = func(string) error { return nil } }()
		if err := s.Put(testAccount("new")); !errors.Is(err, boom) {
			t.Fatalf("Put = %v, want the simulated failure", err)
		}
		after, _ := os.ReadFile(s.Path())
		if !bytes.Equal(before, after) {
			t.Fatalf("the settings file changed although the write failed")
		}
		if temps, _ := filepath.Glob(filepath.Join(s.Dir(), tempPrefix+"*")); len(temps) != 0 {
			t.Errorf("temporary files left behind: %v", temps)
		}
	})

	t.Run("a process killed between writing and renaming leaves the old file intact", func(t *testing.T) {
		s := openTestStore(t)
		if err := s.Put(testAccount("old")); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(s.Path())
		err := runHelperProcess(t, "crash", s.Dir()).Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 3 {
			t.Fatalf("the helper did not crash where planned: %v", err)
		}
		after, _ := os.ReadFile(s.Path())
		if !bytes.Equal(before, after) {
			t.Fatalf("the settings file changed although the writer died before renaming")
		}
		if got := ids(mustList(t, s)); len(got) != 1 || got[0] != "old" {
			t.Fatalf("after the crash the store lists %v, want [old]", got)
		}
		// The crashed writer's temporary file holds the half-done update; the
		// next writer clears it once it is clearly stale.
		temps, _ := filepath.Glob(filepath.Join(s.Dir(), tempPrefix+"*"))
		if len(temps) != 1 {
			t.Fatalf("want the crashed writer's temporary file, found %v", temps)
		}
		old := time.Now().Add(-time.Hour)
		os.Chtimes(temps[0], old, old)
		if err := s.Put(testAccount("next")); err != nil {
			t.Fatal(err)
		}
		if temps, _ := filepath.Glob(filepath.Join(s.Dir(), tempPrefix+"*")); len(temps) != 0 {
			t.Errorf("stale temporary file not cleared: %v", temps)
		}
	})
}

func TestStoreBrokenFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
		newer   bool
	}{
		{"a file that is not JSON is kept and reported", "{\"schema\": 1, \"accounts\": [", false},
		{"a file without a schema version is kept and reported", `{"accounts": []}`, false},
		{"a file with two accounts of the same name is kept and reported", `{"schema":1,"accounts":[{"id":"a"},{"id":"a"}]}`, false},
		{"a file from a newer Stamp is kept and reported", `{"schema": 99, "accounts": [], "future": true}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t)
			if err := os.WriteFile(s.Path(), []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := s.List()
			var broken *BrokenFileError
			var newer *NewerFileError
			if tt.newer && !errors.As(err, &newer) || !tt.newer && !errors.As(err, &broken) {
				t.Fatalf("List() = %v, want a typed error", err)
			}
			if !strings.Contains(err.Error(), s.Path()) {
				t.Errorf("the error does not say which file: %v", err)
			}
			if err := s.Put(testAccount("work")); err == nil {
				t.Fatal("Put on a broken file succeeded; it would have overwritten the file")
			}
			if got, _ := os.ReadFile(s.Path()); string(got) != tt.content {
				t.Fatalf("the broken file was changed to %q", got)
			}

			// Only an explicit Reset starts empty, keeping the old bytes aside.
			kept, err := s.Reset()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(filepath.Base(kept), FileName+".broken-") {
				t.Errorf("kept aside as %s, want %s.broken-<time>", kept, FileName)
			}
			if got, _ := os.ReadFile(kept); string(got) != tt.content {
				t.Errorf("the kept file holds %q, want the original bytes", got)
			}
			if list := mustList(t, s); len(list) != 0 {
				t.Errorf("after Reset the store lists %v", ids(list))
			}
			if err := s.Put(testAccount("work")); err != nil {
				t.Fatalf("Put after Reset: %v", err)
			}
		})
	}
	t.Run("resetting twice in the same second keeps both files", func(t *testing.T) {
		s := openTestStore(t)
		for i := range 2 {
			os.WriteFile(s.Path(), []byte("broken "+strconv.Itoa(i)), 0o600)
			if _, err := s.Reset(); err != nil {
				t.Fatal(err)
			}
		}
		if kept, _ := filepath.Glob(s.Path() + ".broken-*"); len(kept) != 2 {
			t.Errorf("kept files: %v, want 2", kept)
		}
	})
}

func TestStoreConcurrentWriters(t *testing.T) {
	t.Run("goroutines with their own Store lose no update", func(t *testing.T) {
		dir := testDir(t)
		const writers, each = 8, 5
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(dir)
				if err != nil {
					errs <- err
					return
				}
				for i := range each {
					errs <- s.Put(testAccount(fmt.Sprintf("g%d-%d", w, i)))
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		s, _ := Open(dir)
		if got := len(mustList(t, s)); got != writers*each {
			t.Fatalf("%d accounts saved, want %d: updates were lost", got, writers*each)
		}
	})

	t.Run("separate processes lose no update", func(t *testing.T) {
		dir := testDir(t)
		const procs, each = 4, 8
		var cmds []*exec.Cmd
		for p := range procs {
			cmd := runHelperProcess(t, "put", dir, "STAMP_HELPER_PREFIX=p"+strconv.Itoa(p), "STAMP_HELPER_COUNT="+strconv.Itoa(each))
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, cmd)
		}
		for _, cmd := range cmds {
			if err := cmd.Wait(); err != nil {
				t.Fatalf("writer process: %v", err)
			}
		}
		s, _ := Open(dir)
		if got := len(mustList(t, s)); got != procs*each {
			t.Fatalf("%d accounts saved, want %d: updates were lost", got, procs*each)
		}
	})

	t.Run("a writer that cannot get the lock gives up with a clear error", func(t *testing.T) {
		s := openTestStore(t)
		unlock, err := s.lock()
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		other, _ := Open(s.Dir())
		other.LockTimeout = 50 * time.Millisecond
		err = other.Put(testAccount("late"))
		if err == nil || !strings.Contains(err.Error(), "another Stamp") {
			t.Fatalf("Put while locked = %v, want a lock timeout", err)
		}
	})
}

func TestStoreRemoveDeletesTheSecret(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	kr := NewMemoryKeyring()
	sec := NewSecretsWith(kr)
	if err := s.Put(testAccount("work")); err != nil {
		t.Fatal(err)
	}
	if _, err := sec.SavePassword(ctx, "work", testPassword(t, 1)); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(ctx, "work", sec); err != nil {
		t.Fatal(err)
	}
	if kr.Len() != 0 {
		t.Fatalf("the keyring still holds %d entries after the account was removed", kr.Len())
	}
	if loc, err := sec.Location(ctx, "work"); loc != LocationNone || err != nil {
		t.Errorf("Location after removal = %v, %v; want nothing saved", loc, err)
	}
}

func TestStoreNeverHoldsASecret(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	sec := NewSecretsWith(NewMemoryKeyring())
	pw := testPassword(t, 1)
	a := testAccount("work")
	if err := s.Put(a); err != nil {
		t.Fatal(err)
	}
	sec.SavePassword(ctx, a.ID, pw)
	// A hand-edited file with a password field: Stamp drops it on the next write.
	raw, _ := os.ReadFile(s.Path())
	raw = bytes.Replace(raw, []byte(`"id": "work",`), []byte(`"id": "work", "password": "`+pw+`",`), 1)
	os.WriteFile(s.Path(), raw, 0o600)
	if err := s.Put(testAccount("other")); err != nil {
		t.Fatal(err)
	}
	if leaks := filesContaining(s.Dir(), testSecretMarker); len(leaks) != 0 {
		t.Fatalf("a password is in %v", leaks)
	}
}

func TestDefaultDir(t *testing.T) {
	t.Setenv(ConfigDirEnv, "/somewhere/else")
	if d, err := DefaultDir(); err != nil || d != "/somewhere/else" {
		t.Errorf("with %s set, DefaultDir() = %q, %v", ConfigDirEnv, d, err)
	}
	t.Setenv(ConfigDirEnv, "")
	base, err := os.UserConfigDir()
	if err != nil {
		t.Skip("no user config dir here:", err)
	}
	if d, _ := DefaultDir(); d != filepath.Join(base, "Stamp") {
		t.Errorf("DefaultDir() = %q, want %q", d, filepath.Join(base, "Stamp"))
	}
}
