//go:build linux

package account

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// realKeyringEnv enables the tests that use the desktop's real Secret
// Service; scripts/test-keyring.sh sets it inside a private D-Bus session
// with a throw-away GNOME Keyring.
const realKeyringEnv = "STAMP_REAL_KEYRING"

func requireRealKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv(realKeyringEnv) != "1" {
		t.Skipf("uses the real Secret Service; run scripts/test-keyring.sh (or set %s=1 inside a D-Bus session with an unlocked keyring)", realKeyringEnv)
	}
}

// secretToolLookup reads an entry with libsecret's secret-tool: a reader
// that shares no code with go-keyring.
func secretToolLookup(t *testing.T, id string) (string, bool) {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", KeyringService, "username", id).Output()
	if err != nil {
		return "", false
	}
	return string(out), true
}

func TestKeyringRealSecretService(t *testing.T) {
	requireRealKeyring(t)
	ctx := context.Background()
	s := NewSecrets()
	s.Timeout = 10 * time.Second
	id := fmt.Sprintf("stamp-test-%d", time.Now().UnixNano())
	pw := testPassword(t, 1)
	t.Cleanup(func() { s.Delete(context.Background(), id) })

	t.Run("a saved password is in the keyring under service Stamp and the account ID", func(t *testing.T) {
		loc, err := s.SavePassword(ctx, id, pw)
		if err != nil || loc != LocationKeyring {
			t.Fatalf("SavePassword = %v, %v (problem: %v)", loc, err, s.Problem())
		}
		raw, ok := secretToolLookup(t, id)
		if !ok || !strings.Contains(raw, `"kind":"password"`) || !strings.Contains(raw, pw) {
			t.Fatalf("secret-tool does not find the entry with the password (found %v)", ok)
		}
	})
	t.Run("a new run reads it back from the keyring", func(t *testing.T) {
		got, loc, err := NewSecrets().Password(ctx, id)
		if err != nil || loc != LocationKeyring || got != pw {
			t.Fatalf("Password = (match %v), %v, %v", got == pw, loc, err)
		}
	})
	t.Run("saving again replaces the password", func(t *testing.T) {
		pw2 := testPassword(t, 2)
		if _, err := s.SavePassword(ctx, id, pw2); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := NewSecrets().Password(ctx, id); got != pw2 {
			t.Fatal("the keyring still returns the old password")
		}
	})
	t.Run("an OAuth 2 token fits in the same entry", func(t *testing.T) {
		tok := &OAuth2Token{AccessToken: testPassword(t, 3), RefreshToken: testPassword(t, 4), Provider: "google"}
		if _, err := s.Save(ctx, id, Credential{Kind: KindOAuth2, OAuth2: tok}); err != nil {
			t.Fatal(err)
		}
		c, _, err := NewSecrets().Get(ctx, id)
		if err != nil || c.Kind != KindOAuth2 || c.OAuth2.RefreshToken != tok.RefreshToken {
			t.Fatalf("Get = %v, %v; want the token back", c, err)
		}
	})
	t.Run("removing the account deletes its keyring entry", func(t *testing.T) {
		st := openTestStore(t)
		a := testAccount(id)
		if err := st.Put(a); err != nil {
			t.Fatal(err)
		}
		if err := st.Remove(ctx, id, s); err != nil {
			t.Fatal(err)
		}
		if _, ok := secretToolLookup(t, id); ok {
			t.Fatal("secret-tool still finds the entry after the account was removed")
		}
		if loc, err := NewSecrets().Location(ctx, id); loc != LocationNone || err != nil {
			t.Fatalf("Location = %v, %v; want nothing saved", loc, err)
		}
	})
	t.Run("a password stored by another program is read", func(t *testing.T) {
		other := id + "-other"
		cmd := exec.Command("secret-tool", "store", "--label=Stamp test", "service", KeyringService, "username", other)
		cmd.Stdin = strings.NewReader(pw)
		if err := cmd.Run(); err != nil {
			t.Fatalf("secret-tool store: %v", err)
		}
		defer s.Delete(ctx, other)
		if got, _, err := NewSecrets().Password(ctx, other); err != nil || got != pw {
			t.Fatalf("Password = (match %v), %v", got == pw, err)
		}
	})
}

// expectUnavailable saves a password with the system keyring under the
// current environment and checks the typed error, its reason and the time
// it took.
func expectUnavailable(t *testing.T, timeout time.Duration, want Reason) *KeyringUnavailableError {
	t.Helper()
	s := NewSecrets()
	s.Timeout = timeout
	start := time.Now()
	loc, err := s.SavePassword(context.Background(), "work", testPassword(t, 1))
	took := time.Since(start)
	if err != nil || loc != LocationSession {
		t.Fatalf("SavePassword = %v, %v; want the session fallback", loc, err)
	}
	p := s.Problem()
	if p == nil || p.Reason != want {
		t.Fatalf("Problem() = %v, want reason %q", p, want)
	}
	if took > timeout+2*time.Second {
		t.Fatalf("it took %s to learn the keyring is unavailable (timeout %s)", took, timeout)
	}
	// The direct read reports the same typed error.
	next := NewSecretsWith(s.backend)
	next.Timeout = timeout
	start = time.Now()
	_, _, err = next.Get(context.Background(), "work")
	if took := time.Since(start); took > timeout+2*time.Second {
		t.Fatalf("reading took %s (timeout %s)", took, timeout)
	}
	var ku *KeyringUnavailableError
	if !errors.As(err, &ku) {
		t.Fatalf("Get = %v, want a *KeyringUnavailableError", err)
	}
	return p
}

func TestKeyringWithoutSecretService(t *testing.T) {
	t.Run("no session bus address and no /run/user bus says no Secret Service at once", func(t *testing.T) {
		if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err == nil {
			t.Skip("this machine has a user bus at /run/user; the case cannot be set up")
		}
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
		p := expectUnavailable(t, 5*time.Second, ReasonNoService)
		if !strings.Contains(p.Error(), "DBUS_SESSION_BUS_ADDRESS") {
			t.Errorf("the error does not say what is missing: %v", p)
		}
	})
	t.Run("a bus address that leads nowhere says no Secret Service", func(t *testing.T) {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus-here"))
		expectUnavailable(t, 5*time.Second, ReasonNoService)
	})
	t.Run("a session bus without a Secret Service says so", func(t *testing.T) {
		addr := startBareBus(t)
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
		p := expectUnavailable(t, 5*time.Second, ReasonNoService)
		if !strings.Contains(p.Error(), "org.freedesktop.secrets") {
			t.Errorf("the error does not name the missing service: %v", p)
		}
	})
	t.Run("a bus that never answers times out instead of hanging", func(t *testing.T) {
		sock := filepath.Join(t.TempDir(), "silent-bus")
		ln, err := net.Listen("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		var conns []net.Conn
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				conns = append(conns, c) // accept, then say nothing at all
			}
		}()
		t.Cleanup(func() {
			ln.Close()
			for _, c := range conns {
				c.Close()
			}
		})
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+sock)
		expectUnavailable(t, 300*time.Millisecond, ReasonTimedOut)
	})
}

// startBareBus runs a private dbus-daemon with no services at all and
// returns its address.
func startBareBus(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("dbus-daemon is not installed (Debian package dbus)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon did not print its address: %v", err)
	}
	return strings.TrimSpace(line)
}

func TestKeyringErrorsAreClassified(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Reason
	}{
		{"no owner for org.freedesktop.secrets means no Secret Service",
			dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown", Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, ReasonNoService},
		{"a missing default collection means no usable keyring",
			dbus.Error{Name: "org.freedesktop.DBus.Error.UnknownObject", Body: []any{"Object does not exist at path"}}, ReasonNoService},
		{"a locked collection means locked", dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"}, ReasonLocked},
		{"a dismissed unlock prompt means locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), ReasonLocked},
		{"a D-Bus access denial means denied", dbus.Error{Name: "org.freedesktop.DBus.Error.AccessDenied"}, ReasonDenied},
		{"a D-Bus no-reply means timed out", dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply"}, ReasonTimedOut},
		{"anything else is reported as a keyring error", errors.New("something odd"), ReasonFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify("read", tt.err)
			if got.Reason != tt.want || got.Op != "read" || got.Unwrap() == nil || got.Unwrap().Error() != tt.err.Error() {
				t.Errorf("classify(%v) = %v (reason %d), want reason %d wrapping the error", tt.err, got, got.Reason, tt.want)
			}
		})
	}
}

// lockTestEnv allows the test that locks the keyring. A locked GNOME
// Keyring can only be unlocked by a person (or its login password), so
// scripts/test-keyring.sh runs this test alone, in a D-Bus session and
// keyring of its own, with no display for an unlock prompt.
const lockTestEnv = "STAMP_KEYRING_MAY_LOCK"

func TestKeyringLockedCollection(t *testing.T) {
	requireRealKeyring(t)
	if os.Getenv(lockTestEnv) != "1" {
		t.Skipf("locks the keyring for good; scripts/test-keyring.sh runs it in a session of its own (%s=1)", lockTestEnv)
	}
	ctx := context.Background()
	id := fmt.Sprintf("stamp-lock-test-%d", time.Now().UnixNano())
	if loc, err := NewSecrets().SavePassword(ctx, id, testPassword(t, 1)); loc != LocationKeyring || err != nil {
		t.Fatalf("SavePassword before locking = %v, %v", loc, err)
	}

	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatal(err)
	}
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err = conn.Object(secretServiceName, "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{"/org/freedesktop/secrets/aliases/default"}).
		Store(&locked, &prompt)
	if err != nil || len(locked) != 1 {
		t.Fatalf("locking the keyring: %v (locked %v)", err, locked)
	}

	const timeout = 5 * time.Second
	s := NewSecrets()
	s.Timeout = timeout
	start := time.Now()
	_, loc, err := s.Get(ctx, id)
	var ku *KeyringUnavailableError
	if !errors.As(err, &ku) || ku.Reason != ReasonLocked || loc != LocationUnknown {
		t.Fatalf("Get from a locked keyring = %v, %v; want a KeyringUnavailableError (locked)", loc, err)
	}
	if took := time.Since(start); took > timeout+2*time.Second {
		t.Fatalf("it took %s to learn the keyring is locked", took)
	}
	if loc, err := s.SavePassword(ctx, id, testPassword(t, 2)); loc != LocationSession || err != nil {
		t.Fatalf("SavePassword to a locked keyring = %v, %v; want the session fallback", loc, err)
	}
	if p := s.Problem(); p == nil || p.Reason != ReasonLocked || !strings.Contains(p.Error(), "Unlock the keyring") {
		t.Errorf("Problem() = %v, want locked with advice", p)
	}
}
