// Package version holds Stamp's version and the git commit it was built
// from, for `stamp --version` and the About dialog.
//
// go build does not read FyneApp.toml, so the Makefile passes both in:
//
//	go build -ldflags "-X stamp/internal/version.Version=0.1.0 -X stamp/internal/version.Commit=1a2b3c4" ./cmd/stamp
//
// A plain go build or go run leaves Version at "dev" and Commit empty.
package version

// Version is the Version from FyneApp.toml, or "dev" for a build made
// without the Makefile.
var Version = "dev"

// Commit is the output of git describe --always --dirty at build time, or
// empty when it was not passed in.
var Commit = ""

// String is the one-line form shown by stamp --version and in the About
// dialog: "0.1.0 (commit 1a2b3c4)", or "dev" when nothing was passed in.
func String() string {
	if Commit == "" {
		return Version
	}
	return Version + " (commit " + Commit + ")"
}
