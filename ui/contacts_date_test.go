package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"stamp/i18n"
)

// dayAsWritten is how a person of the language writes the day d, made here
// independently of i18n.Date: 2026年12月5日, 5 Dec 2026.
func dayAsWritten(lang i18n.Choice, d time.Time) string {
	if lang == "zh-Hans" {
		return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
	}
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	return fmt.Sprintf("%d %s %d", d.Day(), months[d.Month()-1], d.Year())
}

// The contact's last use is written as the language writes a date.
func TestContactsLastUseDateFollowsTheLanguage(t *testing.T) {
	for _, lang := range []i18n.Choice{"zh-Hans", "en"} {
		t.Run(string(lang), func(t *testing.T) {
			speak(t, lang)
			a := test.NewTempApp(t)
			book := testBook(t)
			w := ShowContacts(a, book)
			w.List.Select(0)
			c, _ := book.Get(w.shown[0].Address)
			if want := dayAsWritten(lang, c.LastUsed.Local()); !strings.Contains(w.Info.Text, want) {
				t.Errorf("the last use reads %q, want the day written %q", w.Info.Text, want)
			}
		})
	}
}
