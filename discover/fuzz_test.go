package discover

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseConfig: whatever a server sends, the parser returns a
// ConfigError or servers whose usable ones really are usable; it never
// panics or hangs. The seed corpus in testdata/fuzz/FuzzParseConfig holds
// the fixture files and hostile shapes.
func FuzzParseConfig(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "me@example.test")
	}
	f.Fuzz(func(t *testing.T, data []byte, address string) {
		c, err := ParseConfig(data, address)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(c.Outgoing) == 0 || len(c.Outgoing) > MaxOutgoingServers {
			t.Fatalf("%d outgoing servers", len(c.Outgoing))
		}
		for _, s := range c.Outgoing {
			if s.NotUsable != "" {
				continue
			}
			if s.Port < 1 || s.Port > 65535 {
				t.Fatalf("usable server with port %d", s.Port)
			}
			if !validHost(s.Hostname) {
				t.Fatalf("usable server with host %q", s.Hostname)
			}
			switch s.SocketType {
			case SocketSSL, SocketSTARTTLS, SocketPlain:
			default:
				t.Fatalf("usable server with socket type %q", s.SocketType)
			}
			if _, ok := s.Auth(); !ok {
				t.Fatalf("usable server without a login Stamp speaks: %v", s.Methods)
			}
		}
	})
}
