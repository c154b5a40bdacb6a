package account

import "stamp/i18n"

// textError is an error whose text is looked up in the person's language
// each time it is shown: the package's sentinels are made when the program
// starts, before the language is chosen. errors.Is compares the pointer, so
// a sentinel made with newTextError stays one error whatever the language.
type textError struct{ m i18n.Message }

func (e *textError) Error() string { return e.m.String() }

// newTextError returns an error whose text is m in the current language.
func newTextError(m i18n.Message) error { return &textError{m: m} }
