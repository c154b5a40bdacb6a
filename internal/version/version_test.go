package version

import "testing"

func TestString(t *testing.T) {
	defer func(v, c string) { Version, Commit = v, c }(Version, Commit)
	for _, tc := range []struct {
		name, version, commit, want string
	}{
		{"a build without ldflags says dev", "dev", "", "dev"},
		{"a Makefile build names the version and the commit", "0.1.0", "926f095-dirty", "0.1.0 (commit 926f095-dirty)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			Version, Commit = tc.version, tc.commit
			if got := String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}
