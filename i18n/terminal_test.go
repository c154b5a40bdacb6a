package i18n

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestTheLocaleNamesTheTerminalsCodeset(t *testing.T) {
	noCharmap := func(string) string { return "" }
	gb2312 := func(string) string { return "GB2312" }
	tests := []struct {
		name    string
		env     map[string]string
		charmap func(string) string
		want    string
	}{
		{"GB18030 in LANG", map[string]string{"LANG": "zh_CN.GB18030"}, noCharmap, "GB18030"},
		{"LC_ALL wins", map[string]string{"LC_ALL": "zh_CN.GBK", "LC_CTYPE": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, noCharmap, "GBK"},
		{"LC_CTYPE before LANG", map[string]string{"LC_CTYPE": "zh_CN.gb2312", "LANG": "en_US.UTF-8"}, noCharmap, "gb2312"},
		{"LC_MESSAGES does not decide it", map[string]string{"LC_MESSAGES": "zh_CN.GBK", "LANG": "zh_CN.UTF-8"}, noCharmap, "UTF-8"},
		{"a modifier after the codeset", map[string]string{"LANG": "en_US.ISO-8859-15@euro"}, noCharmap, "ISO-8859-15"},
		{"no codeset: the system's charmap", map[string]string{"LANG": "zh_CN"}, gb2312, "GB2312"},
		{"no codeset, not installed", map[string]string{"LANG": "zh_CN"}, noCharmap, ""},
		{"C", map[string]string{"LANG": "C"}, gb2312, ""},
		{"nothing set", map[string]string{}, gb2312, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := localeCodeset(func(k string) string { return tt.env[k] }, tt.charmap); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// glibc's zh_CN without a codeset is GB2312: build that locale with
// localedef into a folder of our own (LOCPATH) and ask the C library.
func TestAChineseLocaleWithoutCodesetIsGB2312OnGlibc(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("glibc's locales")
	}
	if _, err := os.Stat("/usr/share/i18n/locales/zh_CN"); err != nil {
		t.Skip("no glibc locale sources:", err)
	}
	loc := t.TempDir()
	if out, err := exec.Command("localedef", "-i", "zh_CN", "-f", "GB2312", filepath.Join(loc, "zh_CN")).CombinedOutput(); err != nil {
		t.Skipf("localedef: %v\n%s", err, out)
	}
	t.Setenv("LOCPATH", loc)
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_CTYPE", "")
	t.Setenv("LANG", "zh_CN")
	if got := localeCodeset(getenv, localeCharmap); got != "GB2312" {
		t.Fatalf("the codeset of zh_CN is %q, want GB2312", got)
	}
	var out bytes.Buffer
	terminalWriterFor(&out, "GB2312").Write([]byte("发送失败\n"))
	if got, _ := simplifiedchinese.GB18030.NewDecoder().String(out.String()); got != "发送失败\n" {
		t.Errorf("decoded as GB: %q", got)
	}
}

func TestTextIsWrittenInTheTerminalsCodeset(t *testing.T) {
	const text = "发送失败：服务器说 550 — café ★\n"
	decode := func(t *testing.T, codeset string, b []byte) string {
		switch codeset {
		case "GB18030", "GBK", "gb2312", "GB2312":
			s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
			if err != nil {
				t.Fatal(err)
			}
			return string(s)
		case "ISO-8859-1", "iso88591":
			s, _ := charmap.ISO8859_1.NewDecoder().Bytes(b)
			return string(s)
		}
		return string(b)
	}
	tests := []struct {
		codeset, want string
	}{
		{"UTF-8", text},
		{"utf8", text},
		{"", text},
		{"GB18030", text}, // GB18030 holds all of Unicode
		{"GBK", text},
		{"gb2312", text},
		{"ISO-8859-1", "????????? 550 ? café ?\n"},
		{"iso88591", "????????? 550 ? café ?\n"},
		{"ANSI_X3.4-1968", "????????? 550 ? caf? ?\n"},
		{"EUC-TW", "????????? 550 ? caf? ?\n"}, // no encoder: ASCII
	}
	for _, tt := range tests {
		t.Run(tt.codeset, func(t *testing.T) {
			var out bytes.Buffer
			w := terminalWriterFor(&out, tt.codeset)
			n, err := w.Write([]byte(text))
			if err != nil || n != len(text) {
				t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(text))
			}
			if got := decode(t, tt.codeset, out.Bytes()); got != tt.want {
				t.Errorf("the terminal shows %q, want %q", got, tt.want)
			}
			if tt.codeset != "" && !strings.HasPrefix(strings.ToLower(tt.codeset), "utf") && bytes.Contains(out.Bytes(), []byte("发")) {
				t.Errorf("UTF-8 bytes reached a %s terminal", tt.codeset)
			}
		})
	}
	var out bytes.Buffer
	terminalWriterFor(&out, "GB18030").Write([]byte("a\xffb"))
	if got := decode(t, "GB18030", out.Bytes()); got != "a\uFFFDb" {
		t.Errorf("invalid UTF-8 became %q, want it replaced: a\uFFFDb", got)
	}
	out.Reset()
	terminalWriterFor(&out, "ISO-8859-1").Write([]byte("a\xffb"))
	if out.String() != "a?b" {
		t.Errorf("invalid UTF-8 became %q on Latin-1, want a?b", out.String())
	}
}
