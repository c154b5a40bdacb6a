package compose

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"stamp/internal/chromiumtest"
)

// TestMarkdownHTMLInARealBrowser opens the text/html part of a written
// Markdown message (read back by go-message) in headless Chromium: the
// words a recipient reads are on the page, the links go where the text
// said, and nothing hostile ran or loaded.
func TestMarkdownHTMLInARealBrowser(t *testing.T) {
	bctx := chromiumtest.Start(t, "the Markdown HTML in a real browser", time.Minute)
	typed := "# Quarterly plan\n\n" +
		"Hello **Bob**, the ~~old~~ new [budget sheet](https://example.com/budget?q=1&r=2) is ready.\n" +
		"Write to <ann@example.com> or see www.example.org.\n\n" +
		"| Item | Cost |\n|---|---:|\n| Rent | 100 |\n\n" +
		"- [ ] call Bob\n- [x] book room\n\n" +
		"[click me](javascript:window.pwned=1) <script>window.pwned=2</script>\n\n" +
		"<img src=x onerror=\"window.pwned=3\">\n\n" +
		"![tracker](https://example.com/pixel.gif) [d](data:text/html,<script>x</script>)\n\n" +
		"-- \nAnn Example\n**not bold**"
	m := &Message{From: Address{Addr: "ann@example.com"}, To: []Address{{Addr: "bob@example.com"}}, Text: typed, Markdown: true}
	p, _ := writeMessage(t, m, WriteOptions{})
	if p.html == "" {
		t.Fatal("go-message found no text/html part")
	}
	file := filepath.Join(t.TempDir(), "part.html")
	if err := os.WriteFile(file, []byte(p.html), 0o600); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(bctx, chromedp.Navigate((&url.URL{Scheme: "file", Path: file}).String())); err != nil {
		t.Fatalf("open the HTML part in Chromium: %v", err)
	}
	text, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Quarterly plan", "Hello Bob, the old new budget sheet is ready.", "Write to ann@example.com or see www.example.org.",
		"Rent", "100", "☐ call Bob", "☑ book room",
		"click me <script>window.pwned=2</script>", `<img src=x onerror="window.pwned=3">`, "tracker d",
		"--\nAnn Example\n**not bold**", // innerText drops the space before a line break
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q; it shows:\n%s", want, text)
		}
	}
	links, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`Array.from(document.links, a => a.href)`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://example.com/budget?q=1&r=2", "mailto:ann@example.com", "http://www.example.org/", "https://example.com/pixel.gif"}
	if strings.Join(links, " ") != strings.Join(want, " ") {
		t.Errorf("links on the page %q, want %q", links, want)
	}
	state, err := chromedp.Run(bctx, chromedp.Evaluate[string](
		`[typeof window.pwned, document.scripts.length, document.images.length, document.querySelectorAll('iframe,style,input,object,embed').length,
		  getComputedStyle(document.querySelector('th')).borderTopStyle, getComputedStyle(document.querySelector('h1')).fontWeight].join(' ')`))
	if err != nil {
		t.Fatal(err)
	}
	// Nothing ran or loaded; the inline styles reached the table.
	if state != "undefined 0 0 0 solid 700" {
		t.Errorf("pwned, scripts, images, other active elements, th border, h1 weight = %q; want \"undefined 0 0 0 solid 700\"", state)
	}
}
