package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"golang.org/x/text/language"

	"stamp/internal/atomicfile"
	"stamp/internal/boundedfile"
)

// SettingsFile is the name of the small settings file in the data folder
// that remembers the person's language choice.
const SettingsFile = "settings.json"

// settings is what SettingsFile holds. Other small app settings may join it;
// fields this version does not know are kept when it is written back.
type settings struct {
	Language string `json:"language,omitempty"`
}

// Choice is the language the person chose in the app: empty for "follow the
// system", else a supported tag ("en", "zh-Hans").
type Choice string

// Resolve returns the language a start with this choice speaks: the chosen
// one, or the system's (Detect) when the choice is empty or unknown (no
// language, or one Stamp does not speak, e.g. written by a later version).
func (c Choice) Resolve() language.Tag {
	if c != "" {
		if t, err := language.Parse(cleanLocale(string(c))); err == nil {
			if m, ok := matchSupported(t); ok {
				return m
			}
		}
	}
	return Detect()
}

// LoadChoice reads the language choice from SettingsFile in dir. A missing
// file is no choice (follow the system); a broken one, or a language that is
// no language tag at all, is an error and no choice. A well-formed tag Stamp
// does not speak is returned as it is (Resolve follows the system for it).
func LoadChoice(dir string) (Choice, error) {
	path, err := settingsPath(dir)
	if err != nil {
		return "", err
	}
	raw, err := readSettings(path)
	if err != nil || raw == nil {
		return "", err
	}
	var s settings
	if b, ok := raw["language"]; ok {
		if err := json.Unmarshal(b, &s.Language); err != nil {
			return "", fmt.Errorf("%s: language: %w", SettingsFile, err)
		}
	}
	if s.Language != "" {
		if _, err := language.Parse(s.Language); err != nil {
			return "", fmt.Errorf("%s: language %q is not a language tag (such as en or zh-Hans)", SettingsFile, s.Language)
		}
	}
	return Choice(s.Language), nil
}

// SaveChoice writes the language choice into SettingsFile in dir atomically,
// keeping the file's other settings. A SettingsFile that is a symbolic link
// is written through (the link stays); one that leads nowhere is an error.
// A damaged file (a regular file that is not JSON settings) is kept aside
// (settings.json.broken-TIME) and a new one written; any other reason the
// file cannot be read (a folder or something else that is no file, a file
// Stamp may not read, one far too large) is an error and nothing is moved
// or written.
func SaveChoice(dir string, c Choice) error {
	path, err := settingsPath(dir)
	if err != nil {
		return err
	}
	raw, err := readSettings(path)
	var damaged *damagedSettingsError
	if err != nil && !errors.As(err, &damaged) {
		return fmt.Errorf("%s: %s: %w", path, T("settings.unreadable",
			"it cannot be read as a settings file, so the language was not saved (Stamp changed nothing)"), err)
	}
	if err != nil {
		aside := path + ".broken-" + time.Now().Format("20060102-150405")
		if rerr := os.Rename(path, aside); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return fmt.Errorf("%s is damaged and could not be kept aside: %w", SettingsFile, rerr)
		}
		raw = nil
	}
	if raw == nil {
		raw = map[string]json.RawMessage{}
	}
	if c == "" {
		delete(raw, "language")
	} else {
		b, _ := json.Marshal(string(c))
		raw["language"] = b
	}
	data, err := json.MarshalIndent(raw, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, 0o600, append(data, '\n'))
}

// readSettings reads the settings file at path (settingsPath); nil when
// there is none.
func readSettings(path string) (map[string]json.RawMessage, error) {
	data, err := boundedfile.Read(path, 64<<10)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, &damagedSettingsError{err}
	}
	return raw, nil
}

// damagedSettingsError is a settings file that was read but is not JSON
// settings: the only case SaveChoice may keep aside and replace.
type damagedSettingsError struct{ err error }

func (e *damagedSettingsError) Error() string { return SettingsFile + ": " + e.err.Error() }
func (e *damagedSettingsError) Unwrap() error { return e.err }
