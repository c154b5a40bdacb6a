package outbox

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"stamp/internal/atomicfile"
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

// cutTemp returns the ID of atomicfile's temporary file of an entry
// (".ID.eml.tmp-N", ".ID.json.tmp-N", ".ID.draft.tmp-N"), left by a
// process killed while writing it.
func cutTemp(name string) (string, bool) {
	i := strings.LastIndex(name, ".tmp-")
	if !strings.HasPrefix(name, ".") || i < 1 {
		return "", false
	}
	inner := name[1:i]
	if id, ok := strings.CutSuffix(inner, ".json"); ok && ValidID(id) {
		return id, true
	}
	if id, ok := cutExt(inner); ok && !strings.HasSuffix(inner, ".lock") {
		return id, true
	}
	return "", false
}

// staleTemp is how old a temporary file must be before it is removed
// where its writer may still be alive (a record that exists, the Sent
// folder): a live writer keeps its file's time fresh.
const staleTemp = 10 * time.Minute

// removeTemps removes id's temporary files, all of them (no record: a
// killed Enqueue) or only stale ones. The caller holds id's lock.
func (o *Outbox) removeTemps(id string, all bool) {
	for _, ext := range []string{".eml", ".json", ".draft"} {
		age := staleTemp
		if all {
			age = -time.Hour
		}
		atomicfile.RemoveStaleTemps(o.path(id, ext), age)
	}
}

// cleanSentTemps removes stale temporary files of Sent copies whose
// writer was killed (".NAME.eml.tmp-N" in the Sent folder).
func (o *Outbox) cleanSentTemps() {
	entries, err := os.ReadDir(o.opts.SentDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, ".") || !strings.Contains(n, ".eml.tmp-") || !e.Type().IsRegular() {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp {
			os.Remove(filepath.Join(o.opts.SentDir, n))
		}
	}
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
