package main

import (
	"bytes"
	"strings"
	"testing"

	"stamp/i18n"
)

// The flag package's own refusals (an unknown option, an option without
// its value, a malformed one) reach the person in Stamp's language, on the
// line it writes and in the error main prints, with the usage still after
// them.
func TestFlagRefusalsAreTranslated(t *testing.T) {
	i18n.SetLanguage(i18n.SimplifiedChinese)
	defer i18n.SetLanguage(i18n.English)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--nope"}, "没有 -nope 这个选项"},
		{[]string{"--compose", "--to"}, "选项 -to 后面需要跟一个值"},
		{[]string{"---x"}, "---x 不是正确的选项写法"},
		{[]string{"--accounts=maybe"}, `选项 -accounts 不接受 "maybe"`},
	} {
		var stderr bytes.Buffer
		_, err := parseStartArgs(c.args, &stderr)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("stamp %s: error %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
		out := stderr.String()
		if !strings.HasPrefix(out, c.want) || !strings.Contains(out, "用法：") {
			t.Errorf("stamp %s wrote %q: want %q first, then the usage", strings.Join(c.args, " "), out, c.want)
		}
		if strings.Contains(out, "flag provided") || strings.Contains(out, "needs an argument") || strings.Contains(out, "bad flag syntax") || strings.Contains(out, "parse error") {
			t.Errorf("stamp %s: the flag package's English is still there: %q", strings.Join(c.args, " "), out)
		}
	}
}
