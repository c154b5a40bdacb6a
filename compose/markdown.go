package compose

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	gtext "github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The HTML part of a Markdown message carries its look in inline style=
// attributes, not in a <style> element: Gmail drops <style> blocks in some
// cases (messages it forwards, Gmail apps showing other accounts, a head
// it finds too large), and several webmail readers rewrite or strip them,
// while inline styles are what every mail reader keeps. The styles are few
// and plain, so a reader that drops them still shows clean HTML.
const (
	styleBody       = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5;color:#1f2328"
	styleParagraph  = "margin:0 0 12px 0"
	styleHeading    = "margin:16px 0 8px 0;line-height:1.25"
	styleBlockquote = "margin:0 0 12px 0;padding:0 0 0 12px;border-left:3px solid #d0d7de;color:#59636e"
	styleList       = "margin:0 0 12px 0;padding-left:24px"
	styleCode       = "font-family:Consolas,Menlo,'Courier New',monospace;font-size:90%;background:#f2f4f6;padding:1px 4px;border-radius:3px"
	stylePre        = "font-family:Consolas,Menlo,'Courier New',monospace;font-size:13px;background:#f2f4f6;padding:8px 12px;border-radius:4px;white-space:pre-wrap;margin:0 0 12px 0"
	styleTable      = "border-collapse:collapse;margin:0 0 12px 0"
	styleCell       = "border:1px solid #d0d7de;padding:4px 8px"
	styleRule       = "border:0;border-top:1px solid #d0d7de;margin:16px 0"
	styleLink       = "color:#0969da"
	styleSignature  = "color:#59636e"
)

// markdown is the one Markdown engine of the mail HTML: CommonMark with
// GitHub's tables, strikethrough, autolinks and task lists; a line break
// typed in the text stays a line break (mail is written that way); raw HTML
// is never passed through (html.WithUnsafe is not set, and mailRenderer
// writes it as visible text).
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(mailStyles{}, 1000))),
	goldmark.WithRendererOptions(
		html.WithHardWraps(),
		renderer.WithNodeRenderers(util.Prioritized(mailRenderer{}, 1)),
	),
)

// MarkdownHTML renders a Markdown body as the HTML document of its
// text/html alternative. Raw HTML in the text is shown as text, never
// passed through; links and images keep only http:, https: and mailto:
// targets (any other target, javascript: or data: among them, leaves the
// link's text as plain text); images become links, so nothing is loaded
// from the network when the message is opened. A signature under the RFC
// 3676 "-- " line is not Markdown: it is shown line for line as written.
func MarkdownHTML(body string) string {
	body = lfNewlines(body)
	text, sig, hasSig := SplitSignature(body)
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n</head>\n")
	b.WriteString("<body>\n<div style=\"" + styleBody + "\">\n")
	src := []byte(text)
	var doc ast.Node
	if !MarkdownTooNested(text) {
		doc = markdown.Parser().Parse(gtext.NewReader(src))
	}
	if doc == nil || astDepth(doc) > maxHTMLDepth {
		b.WriteString(`<p style="` + styleParagraph + `">`)
		writeLines(&b, text)
		b.WriteString("</p>\n")
	} else if err := markdown.Renderer().Render(&b, src, doc); err != nil {
		// goldmark reports only the writer's errors; a bytes.Buffer has none.
		panic("compose: markdown: " + err.Error())
	}
	if hasSig {
		b.WriteString("<div style=\"" + styleSignature + "\">")
		writeLines(&b, SignatureDelimiter+"\n"+sig)
		b.WriteString("</div>\n")
	}
	b.WriteString("</div>\n</body>\n</html>\n")
	return b.String()
}

// writeLines writes text escaped, its line breaks as <br>.
func writeLines(b *bytes.Buffer, text string) {
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("<br>\n")
		}
		b.Write(util.EscapeHTML([]byte(line)))
	}
}

// maxMarkdownNesting is how many block containers (quotes, list items) one
// line may open. goldmark's time grows with the square of the nesting
// (100,000 nested list items take most of a minute), and no letter nests
// deeper than a handful of levels.
const maxMarkdownNesting = 32

// MarkdownTooNested reports whether a line of text opens more nested
// quotes and list items than a message needs (more than 32, or indented
// by more than 128 columns before its text). Such text
// is not rendered as Markdown: MarkdownHTML shows it as plain lines, and
// a preview should do the same, so hostile input stays fast.
func MarkdownTooNested(text string) bool {
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if containerDepth(line) > maxMarkdownNesting {
			return true
		}
	}
	return false
}

// containerDepth counts the block container markers at the start of a
// line: ">", "-", "*", "+" or "1." / "1)" followed by a blank.
func containerDepth(line string) int {
	depth, i, indent := 0, 0, 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			// Indentation nests lists too: four columns a level at most.
			if indent++; c == '\t' {
				indent += 3
			}
			if indent > 4*maxMarkdownNesting {
				return maxMarkdownNesting + 1
			}
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			depth++
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 10 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				depth++
				i = j + 2
				continue
			}
			return depth
		default:
			return depth
		}
		if depth > maxMarkdownNesting {
			return depth
		}
	}
	return depth
}

// maxHTMLDepth bounds the elements nested in the HTML of a message:
// browsers and HTML parsers flatten a tree deeper than 512 elements, and
// a list indented hundreds of levels deep is not a letter.
const maxHTMLDepth = 128

// astDepth returns how deeply the nodes of a Markdown tree nest.
func astDepth(doc ast.Node) int {
	depth, deepest := 0, 0
	ast.Walk(doc, func(_ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			depth++
			deepest = max(deepest, depth)
		} else {
			depth--
		}
		return ast.WalkContinue, nil
	})
	return deepest
}

// SafeLink reports whether a link target may become a link in the HTML of
// a message: only http://, https:// and mailto: (any case). Everything else
// (javascript:, vbscript:, data:, file:, relative paths, a scheme hidden
// behind spaces or controls) stays text. The target must start with the
// scheme itself, so browsers' tolerance of leading blanks cannot smuggle
// one in.
func SafeLink(dest []byte) bool {
	d := strings.ToLower(string(dest))
	return strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "mailto:")
}

// elementStyles is the inline style of each element goldmark writes
// attributes for.
var elementStyles = map[ast.NodeKind]string{
	ast.KindParagraph:     styleParagraph,
	ast.KindHeading:       styleHeading,
	ast.KindBlockquote:    styleBlockquote,
	ast.KindList:          styleList,
	ast.KindCodeSpan:      styleCode,
	ast.KindThematicBreak: styleRule,
	east.KindTable:        styleTable,
	east.KindTableCell:    styleCell,
}

// mailStyles is the AST transformer that gives the elements their inline
// style (elementStyles).
type mailStyles struct{}

func (mailStyles) Transform(doc *ast.Document, _ gtext.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if style, ok := elementStyles[n.Kind()]; ok && entering {
			n.SetAttributeString("style", []byte(style))
		}
		return ast.WalkContinue, nil
	})
}

// mailRenderer replaces goldmark's HTML for the nodes where mail needs
// more care: links (safe schemes only, also for autolinks, which goldmark
// does not check), images (links instead), raw HTML (shown as text), code
// blocks (styled) and task boxes (characters).
type mailRenderer struct{}

func (mailRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindImage, renderLink)
	reg.Register(ast.KindAutoLink, renderAutoLink)
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindCodeBlock, renderCodeBlock)
	reg.Register(ast.KindFencedCodeBlock, renderCodeBlock)
	reg.Register(east.KindTaskCheckBox, renderTaskCheckBox)
}

// renderTaskCheckBox writes a task list's box as a character: mail readers
// drop form controls such as <input>.
func renderTaskCheckBox(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		if node.(*east.TaskCheckBox).IsChecked {
			w.WriteString("\u2611 ")
		} else {
			w.WriteString("\u2610 ")
		}
	}
	return ast.WalkContinue, nil
}

// openLink writes <a href="dest" …>.
func openLink(w util.BufWriter, dest, title []byte) {
	w.WriteString(`<a href="`)
	w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	w.WriteString(`"`)
	if len(title) > 0 {
		w.WriteString(` title="`)
		html.DefaultWriter.Write(w, title)
		w.WriteString(`"`)
	}
	w.WriteString(` style="` + styleLink + `">`)
}

// renderLink writes a link or an image as a link around its text, or only
// its text when the target is not safe.
func renderLink(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	var dest, title []byte
	switch n := n.(type) {
	case *ast.Link:
		dest, title = n.Destination, n.Title
	case *ast.Image:
		dest, title = n.Destination, n.Title
	}
	if !SafeLink(dest) {
		return ast.WalkContinue, nil
	}
	if entering {
		openLink(w, dest, title)
	} else {
		w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

// renderAutoLink writes <https://…>, a bare www. or address found by the
// linkifier, or <user@host>: a link when safe, else the text.
func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	url, label := n.URL(source), n.Label(source)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) {
		url = append([]byte("mailto:"), url...)
	}
	if SafeLink(url) {
		openLink(w, url, nil)
		w.Write(util.EscapeHTML(label))
		w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	w.Write(util.EscapeHTML(label))
	return ast.WalkContinue, nil
}

// renderRawHTML writes inline HTML as the text that was typed.
func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		w.Write(util.EscapeHTML(seg.Value(source)))
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock writes a block of HTML as a paragraph of the text that
// was typed, line for line.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var lines [][]byte
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		lines = append(lines, seg.Value(source))
	}
	if n.HasClosure() {
		lines = append(lines, n.ClosureLine.Value(source))
	}
	w.WriteString(`<p style="` + styleParagraph + `">`)
	for i, l := range lines {
		if i > 0 {
			w.WriteString("<br>\n")
		}
		w.Write(util.EscapeHTML(bytes.TrimRight(l, "\r\n")))
	}
	w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

// renderCodeBlock writes an indented or fenced code block in a styled
// <pre>; the fence's language is not written (mail readers ignore it).
func renderCodeBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		w.WriteString("</code></pre>\n")
		return ast.WalkContinue, nil
	}
	w.WriteString(`<pre style="` + stylePre + `"><code>`)
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		html.DefaultWriter.RawWrite(w, seg.Value(source))
	}
	return ast.WalkSkipChildren, nil
}
