package outbox

import (
	"os"
	"path/filepath"
	"strings"
)

// safeName reports whether name is a plain file name (no folder, no link
// tricks) ending in .eml: a Sent copy's name read back from a record.
func safeName(name string) bool {
	return name == filepath.Base(name) && !strings.ContainsAny(name, `/\:`) &&
		strings.HasSuffix(name, ".eml") && name != ".eml" && !strings.HasPrefix(name, ".")
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func readNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, nil
}

// cutExt returns the ID of an outbox file name (ID.eml, ID.lock, ID.draft).
func cutExt(name string) (string, bool) {
	for _, ext := range []string{".eml", ".lock", ".draft"} {
		if id, ok := strings.CutSuffix(name, ext); ok && ValidID(id) {
			return id, true
		}
	}
	return "", false
}

// lockOrphan locks an ID that may have no lock file left.
func (o *Outbox) lockOrphan(id string) (*claim, error) {
	f, err := os.OpenFile(o.path(id, ".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	return o.lock(id, false)
}
