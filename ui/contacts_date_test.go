package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"stamp/i18n"
)

// The contact's last use is written as the language writes a date.
func TestContactsLastUseDateFollowsTheLanguage(t *testing.T) {
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	for _, lang := range []i18n.Choice{"zh-Hans", "en"} {
		t.Run(string(lang), func(t *testing.T) {
			speak(t, lang)
			a := test.NewTempApp(t)
			book := testBook(t)
			w := ShowContacts(a, book)
			w.List.Select(0)
			c, _ := book.Get(w.shown[0].Address)
			d := c.LastUsed.Local()
			want := fmt.Sprintf("%d %s %d", d.Day(), months[d.Month()-1], d.Year())
			if lang == "zh-Hans" {
				want = fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
			}
			if !strings.Contains(w.Info.Text, want) {
				t.Errorf("the last use reads %q, want the day written %q", w.Info.Text, want)
			}
		})
	}
}
