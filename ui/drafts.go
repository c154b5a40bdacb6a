package ui

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// legacyDraftID names the one draft file of Stamp before several composers
// (Drafts/current.json). A composer given no DraftID keeps using it, so a
// draft left by the previous version is restored as one composer and goes
// on being saved where it was.
const legacyDraftID = "current"

// draftsFolder is where every composer keeps its draft, one file each.
func draftsFolder(dataDir string) string { return filepath.Join(dataDir, "Drafts") }

// newDraftID returns a fresh id for a new composer's draft file: random,
// so two composers (or a composer and a draft restored later) never share
// a file.
func newDraftID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("ui: no randomness for a draft id: %v", err)) // crypto/rand does not fail on supported systems
	}
	return "draft-" + hex.EncodeToString(b[:])
}

// savedDraftIDs lists the ids of the drafts saved in dataDir's drafts
// folder, oldest saved first (the last one restored ends up in front). It
// skips what is not a draft file: atomicfile's temporary files (".name.tmp-…")
// and damaged drafts kept aside ("….json.broken-…").
func savedDraftIDs(dataDir string) ([]string, error) {
	entries, err := os.ReadDir(draftsFolder(dataDir))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.X("drafts.list_failed", "list the saved drafts"), err)
	}
	type saved struct {
		id  string
		mod int64
	}
	var list []saved
	for _, e := range entries {
		name := e.Name()
		// Anything but a folder: a file that is not a readable draft (a
		// FIFO, a damaged file) gets the composer's clear error, not silence.
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		var mod int64
		if info, err := e.Info(); err == nil {
			mod = info.ModTime().UnixNano()
		}
		list = append(list, saved{strings.TrimSuffix(name, ".json"), mod})
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].mod != list[j].mod {
			return list[i].mod < list[j].mod
		}
		return list[i].id < list[j].id
	})
	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.id
	}
	return ids, nil
}
