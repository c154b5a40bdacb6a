package compose

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/emersion/go-message"
	"golang.org/x/net/html"
)

// safeTags are the elements the HTML of a Markdown message may contain;
// voidTags have no end tag.
var (
	safeTags = map[string]bool{
		"html": true, "head": true, "meta": true, "body": true, "div": true, "p": true, "br": true,
		"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"em": true, "strong": true, "del": true, "a": true, "ul": true, "ol": true, "li": true,
		"blockquote": true, "pre": true, "code": true, "hr": true,
		"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	}
	voidTags  = map[string]bool{"meta": true, "br": true, "hr": true}
	safeAttrs = map[string]bool{"href": true, "style": true, "title": true, "charset": true, "name": true, "content": true, "start": true}
)

// checkSafeHTML checks a rendered document with golang.org/x/net/html's
// tokenizer: only known elements and attributes, every element closed in
// order (well formed), every link http, https or mailto, nothing that
// runs or loads (no script, no event handler, no src). It returns the
// hrefs and the text, as a reader would see them.
func checkSafeHTML(t testing.TB, doc string) (hrefs []string, text string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(doc))
	var open []string
	var sb strings.Builder
	for {
		tt := z.Next()
		tok := z.Token()
		switch tt {
		case html.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatalf("tokenizer: %v", z.Err())
			}
			if len(open) > 0 {
				t.Fatalf("elements left open: %v", open)
			}
			return hrefs, sb.String()
		case html.CommentToken:
			t.Fatalf("a comment in the HTML: %q", tok.Data)
		case html.SelfClosingTagToken:
			t.Fatalf("a self-closing tag: %s", tok)
		case html.StartTagToken:
			if !safeTags[tok.Data] {
				t.Fatalf("element <%s> in the HTML", tok.Data)
			}
			for _, a := range tok.Attr {
				if !safeAttrs[a.Key] || a.Namespace != "" {
					t.Fatalf("attribute %s=%q on <%s>", a.Key, a.Val, tok.Data)
				}
				if a.Key == "href" {
					if !SafeLink([]byte(a.Val)) {
						t.Fatalf("unsafe link %q", a.Val)
					}
					hrefs = append(hrefs, a.Val)
				}
				if strings.Contains(strings.ToLower(a.Val), "javascript:") || strings.Contains(a.Val, "url(") {
					t.Fatalf("attribute %s=%q on <%s>", a.Key, a.Val, tok.Data)
				}
			}
			if !voidTags[tok.Data] {
				open = append(open, tok.Data)
			}
		case html.EndTagToken:
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				t.Fatalf("</%s> closes %v", tok.Data, open)
			}
			open = open[:len(open)-1]
		case html.TextToken:
			sb.WriteString(tok.Data)
		}
	}
}

// markdownCase is one Markdown body and what a recipient must see.
type markdownCase struct {
	name  string
	md    string
	words []string // in the visible text
	hrefs []string // exactly these links, in order
}

// deepList is a list nested level by level through indentation, about 1 MB.
func deepList() string {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString(strings.Repeat("  ", i%700) + "- item\n")
	}
	return b.String()
}

var markdownCases = []markdownCase{
	{name: "plain words are a paragraph", md: "Hello Ann,\nsee you at 5.", words: []string{"Hello Ann,", "see you at 5."}},
	{name: "emphasis, strong, strikethrough and headings", md: "# Plan\n\n*one* **two** ~~three~~", words: []string{"Plan", "one", "two", "three"}},
	{name: "safe links keep their targets", md: "[site](https://example.com/a?b=1&c=2) [mail](mailto:ann@example.com) <http://example.org> www.example.net bob@example.com",
		words: []string{"site", "mail", "http://example.org", "www.example.net", "bob@example.com"},
		hrefs: []string{"https://example.com/a?b=1&c=2", "mailto:ann@example.com", "http://example.org", "http://www.example.net", "mailto:bob@example.com"}},
	{name: "javascript link is text", md: "[click](javascript:alert(1))", words: []string{"click"}},
	{name: "javascript link with mixed case and entities is text", md: "[a](JaVaScRiPt:alert(1)) [b](&#106;avascript:alert(1)) [c](java\tscript:x) [d]( javascript:x)", words: []string{"a", "b", "c", "d"}},
	{name: "javascript autolink is text", md: "<javascript:alert(1)>", words: []string{"javascript:alert(1)"}},
	{name: "data, vbscript and file links are text", md: "[d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox) [f](file:///etc/passwd) <vbscript:x> [r](relative/path) [h](#top)", words: []string{"d", "v", "f", "vbscript:x", "r", "h"}},
	{name: "reference links are checked too", md: "[x][1]\n\n[1]: javascript:alert(1)", words: []string{"x"}},
	{name: "script element is shown as text", md: "<script>alert('x')</script>\n\nafter", words: []string{"<script>alert('x')</script>", "after"}},
	{name: "inline html is shown as text", md: "a <b onclick=\"x()\">bold</b> <img src=x onerror=alert(1)> z", words: []string{`<b onclick="x()">bold</b>`, "<img src=x onerror=alert(1)>"}},
	{name: "html block with img onerror is text", md: "<img src=x onerror=alert(1)>\n<iframe src=\"https://evil\"></iframe>", words: []string{"<img src=x onerror=alert(1)>", "<iframe"}},
	{name: "image becomes a link and loads nothing", md: "![logo](https://example.com/logo.png) ![x](data:image/png;base64,AAAA)", words: []string{"logo", "x"}, hrefs: []string{"https://example.com/logo.png"}},
	{name: "image with onerror in the title is escaped", md: `![a](https://e.com/i.png "x\" onerror=\"alert(1)")`, words: []string{"a"}, hrefs: []string{"https://e.com/i.png"}},
	{name: "style and html comment are text", md: "<style>body{display:none}</style>\n\n<!-- secret -->", words: []string{"<style>body{display:none}</style>", "<!-- secret -->"}},
	{name: "table, code and quote", md: "| a | b |\n|---|--:|\n| 1 | 2 |\n\n```html\n<script>x</script>\n```\n\n> quoted `<i>`",
		words: []string{"a", "1", "<script>x</script>", "quoted", "<i>"}},
	{name: "task list boxes are characters", md: "- [x] done\n- [ ] todo", words: []string{"☑ done", "☐ todo"}},
	{name: "signature lines are kept as typed", md: "Hi\n\n-- \nAnn *Example*\n# 555 1234", words: []string{"Hi", "-- ", "Ann *Example*", "# 555 1234"}},
	{name: "unicode text", md: "Grüße 会议 😀 **fett**", words: []string{"Grüße 会议 😀", "fett"}},
	{name: "100000 nested quotes stay fast", md: strings.Repeat(">", 100000) + " deep", words: []string{"deep"}},
	{name: "100000 nested list items stay fast", md: strings.Repeat("- ", 100000) + "deep", words: []string{"deep"}},
	{name: "deep brackets and emphasis", md: strings.Repeat("[", 50000) + strings.Repeat("*", 50000) + "x", words: []string{"x"}},
	{name: "a 1 MB list nested by indentation", md: deepList(), words: []string{"item"}},
	{name: "a 1 MB body", md: strings.Repeat("Some **text** with [a link](https://example.com) and <b>tags</b>.\n", 1<<20/64), words: []string{"Some", "text", "<b>tags</b>"}},
}

func TestMarkdownHTMLIsSafe(t *testing.T) {
	for _, c := range markdownCases {
		t.Run(c.name, func(t *testing.T) {
			doc := MarkdownHTML(c.md)
			hrefs, text := checkSafeHTML(t, doc)
			for _, w := range c.words {
				if !strings.Contains(text, w) {
					t.Errorf("the text does not contain %q:\n%.2000s", w, text)
				}
			}
			if len(c.md) < 4096 && (len(hrefs) != len(c.hrefs) || strings.Join(hrefs, " ") != strings.Join(c.hrefs, " ")) {
				t.Errorf("links %q, want %q\n%s", hrefs, c.hrefs, doc)
			}
			// Also as the reader's parser builds the tree: no script and
			// no event handler anywhere.
			root, err := html.Parse(strings.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			for n := range root.Descendants() {
				if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "img" || n.Data == "iframe" || n.Data == "style") {
					t.Fatalf("<%s> in the parsed document", n.Data)
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "on") || a.Key == "src" {
						t.Fatalf("%s=%q in the parsed document", a.Key, a.Val)
					}
				}
			}
		})
	}
}

func TestMarkdownTooNested(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"- a\n  - b\n    > c", false},
		{strings.Repeat("> ", 32) + "x", false},
		{strings.Repeat("> ", 33) + "x", true},
		{"ok\n" + strings.Repeat("1. ", 40) + "x", true},
		{strings.Repeat("-", 1000), false}, // a rule, not a list
		{strings.Repeat("*", 1000) + "x", false},
		{strings.Repeat(" ", 128) + "x", false},
		{strings.Repeat(" ", 129) + "x", true},
		{strings.Repeat("\t", 33) + "x", true},
	} {
		if got := MarkdownTooNested(c.text); got != c.want {
			t.Errorf("MarkdownTooNested(%.40q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// partTree is a message's MIME structure as go-message reads it: one
// "content-type" per entity, indented by depth, and the leaf bodies.
func partTree(t testing.TB, raw []byte) (tree []string, bodies map[string]string) {
	t.Helper()
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("go-message: %v", err)
	}
	bodies = map[string]string{}
	err = e.Walk(func(path []int, part *message.Entity, err error) error {
		if err != nil {
			return err
		}
		ct, _, _ := part.Header.ContentType()
		tree = append(tree, strings.Repeat(" ", len(path))+ct)
		if !strings.HasPrefix(ct, "multipart/") {
			b, err := io.ReadAll(part.Body)
			if err != nil {
				return err
			}
			bodies[ct] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("go-message walk: %v", err)
	}
	return tree, bodies
}

func TestMarkdownMessageParts(t *testing.T) {
	typed := "# Agenda\n\n1. **Budget** — see [the sheet](https://example.com/s)\n2. Lunch <script>x</script>\n\n-- \nAnn"
	for _, c := range []struct {
		name string
		msg  Message
		want []string
	}{
		{"a Markdown body is plain text then HTML in multipart/alternative",
			Message{Text: typed, Markdown: true},
			[]string{"multipart/alternative", " text/plain", " text/html"}},
		{"attachments put multipart/mixed around the alternative",
			Message{Text: typed, Markdown: true, Attachments: []Attachment{{Name: "a.pdf", Data: []byte("%PDF")}}},
			[]string{"multipart/mixed", " multipart/alternative", "  text/plain", "  text/html", " application/pdf"}},
		{"plain text stays a single part",
			Message{Text: typed},
			[]string{"text/plain"}},
		{"an empty Markdown body has no HTML",
			Message{Markdown: true},
			[]string{"text/plain"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := c.msg
			m.From = Address{Addr: "ann@example.com"}
			m.To = []Address{{Addr: "bob@example.com"}}
			p, _ := writeMessage(t, &m, WriteOptions{}) // exact Size(), CRLF, line lengths, go-message
			tree, bodies := partTree(t, p.raw)
			if strings.Join(tree, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("parts:\n%s\nwant:\n%s", strings.Join(tree, "\n"), strings.Join(c.want, "\n"))
			}
			if got := bodies["text/plain"]; got != bodyText(m.Text) && got != bodyText(m.Text)+"\r\n" {
				t.Errorf("text part %q, want what was typed %q", got, m.Text)
			}
			if h, ok := bodies["text/html"]; ok {
				hrefs, text := checkSafeHTML(t, strings.ReplaceAll(h, "\r\n", "\n"))
				if strings.Join(hrefs, " ") != "https://example.com/s" {
					t.Errorf("links %q", hrefs)
				}
				for _, w := range []string{"Agenda", "Budget", "the sheet", "<script>x</script>", "Ann"} {
					if !strings.Contains(text, w) {
						t.Errorf("HTML text lacks %q: %q", w, text)
					}
				}
			}
		})
	}
}

func TestMarkdownWithHTMLIsRefused(t *testing.T) {
	m := &Message{From: Address{Addr: "a@example.com"}, To: []Address{{Addr: "b@example.com"}}, Text: "x", HTML: "<p>y</p>", Markdown: true}
	var v *ValidationError
	if err := m.Validate(); !errors.As(err, &v) || v.Problems[0].Field != "HTML" {
		t.Fatalf("Validate = %v, want a problem with HTML", err)
	}
}

// FuzzMarkdownHTML: whatever is typed, the HTML is well formed, links are
// http, https or mailto, and nothing runs or loads (checkSafeHTML).
func FuzzMarkdownHTML(f *testing.F) {
	for _, c := range markdownCases {
		if len(c.md) < 4096 {
			f.Add(c.md)
		}
	}
	f.Fuzz(func(t *testing.T, md string) {
		checkSafeHTML(t, MarkdownHTML(md))
	})
}
