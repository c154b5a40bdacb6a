package ui

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"stamp/compose"
)

// prefMarkdown remembers whether new messages start in Markdown mode.
const prefMarkdown = "composer.markdown"

// formatState is the composer's formatting: the Markdown toggle and the
// preview of what recipients will see.
type formatState struct {
	// MarkdownToggle sends the body as Markdown: as typed in text/plain and
	// rendered in text/html (compose.Message.Markdown).
	MarkdownToggle *widget.Check
	// PreviewButton shows the formatted message (Markdown mode only).
	PreviewButton *widget.Button
	// preview is the rich text the last preview showed (for tests).
	preview *widget.RichText
}

// initFormat makes the toggle and the preview button; the toggle starts as
// the person left it last time.
func (c *Composer) initFormat() {
	c.MarkdownToggle = widget.NewCheck(lang.X("composer.markdown", "Markdown"), func(on bool) {
		if !c.restoring {
			c.app.Preferences().SetBool(prefMarkdown, on)
		}
		c.updatePreviewButton()
		c.changed()
	})
	c.PreviewButton = widget.NewButtonWithIcon(lang.X("composer.preview", "Preview"), theme.VisibilityIcon(), c.ShowPreview)
	c.restoring = true
	c.MarkdownToggle.SetChecked(c.app.Preferences().BoolWithFallback(prefMarkdown, false))
	c.restoring = false
	c.updatePreviewButton()
}

// formatControls is the toggle and the preview button, for the button row.
func (c *Composer) formatControls() fyne.CanvasObject {
	return container.NewHBox(c.MarkdownToggle, c.PreviewButton)
}

// markdownOn reports whether the body is sent as Markdown.
func (c *Composer) markdownOn() bool { return c.MarkdownToggle.Checked }

// setMarkdown sets the toggle from a restored draft without changing the
// preference for new messages.
func (c *Composer) setMarkdown(on bool) {
	was := c.restoring
	c.restoring = true
	c.MarkdownToggle.SetChecked(on)
	c.restoring = was
	c.updatePreviewButton()
}

func (c *Composer) updatePreviewButton() {
	if c.markdownOn() {
		c.PreviewButton.Enable()
	} else {
		c.PreviewButton.Disable()
	}
}

// ShowPreview shows the body as recipients of the formatted message will
// see it, in a dialog that Esc closes.
func (c *Composer) ShowPreview() {
	c.preview = previewRichText(c.Body.Text)
	scroll := container.NewVScroll(c.preview)
	scroll.SetMinSize(fyne.NewSize(560, 380))
	d := dialog.NewCustom(lang.X("composer.preview.title", "Preview: what recipients will see"),
		lang.X("composer.preview.close", "Close"), scroll, c.Window)
	c.showDialog(d)
}

// previewRichText renders a body as the preview shows it: the Markdown
// above the signature with Fyne's renderer, then the signature line for
// line, as compose.MarkdownHTML writes them. Links and images follow the
// HTML's rules: only http, https and mailto links stay links, and an image
// becomes a link (the preview loads nothing, as the message does not).
func previewRichText(body string) *widget.RichText {
	text, sig, hasSig := compose.SplitSignature(body)
	var rt *widget.RichText
	if compose.MarkdownTooNested(text) {
		// As compose.MarkdownHTML does: too deep to format, shown as typed.
		rt = widget.NewRichText(plainLines(text)...)
	} else {
		rt = widget.NewRichTextFromMarkdown(text)
		rt.Segments = safeSegments(rt.Segments)
	}
	if hasSig {
		rt.Segments = append(rt.Segments, plainLines(compose.SignatureDelimiter+"\n"+sig)...)
	}
	rt.Wrapping = fyne.TextWrapWord
	rt.Refresh()
	return rt
}

// plainLines is text as paragraphs of one line each.
func plainLines(text string) []widget.RichTextSegment {
	var segs []widget.RichTextSegment
	for _, line := range strings.Split(text, "\n") {
		segs = append(segs, &widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: line})
	}
	return segs
}

// safeSegments replaces links whose target is not http, https or mailto by
// their text, and images by links to them (or their title), also inside
// lists and list items.
func safeSegments(segs []widget.RichTextSegment) []widget.RichTextSegment {
	for i, s := range segs {
		switch s := s.(type) {
		case *widget.HyperlinkSegment:
			if s.URL == nil || !compose.SafeLink([]byte(s.URL.String())) {
				segs[i] = &widget.TextSegment{Style: widget.RichTextStyleInline, Text: s.Text}
			}
		case *widget.ImageSegment:
			src := ""
			if s.Source != nil {
				src = s.Source.String()
			}
			if compose.SafeLink([]byte(src)) {
				segs[i] = &widget.HyperlinkSegment{Text: src, URL: parseURL(src)}
			} else {
				segs[i] = &widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: s.Title}
			}
		case *widget.ListSegment:
			s.Items = safeSegments(s.Items)
		case *widget.ParagraphSegment:
			s.Texts = safeSegments(s.Texts)
		}
	}
	return segs
}

// parseURL parses a link target checked by compose.SafeLink.
func parseURL(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}
