package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"stamp/smtpclient"
)

func transcriptPanel(t *testing.T) (*SendPanel, fyne.App) {
	t.Helper()
	a := test.NewTempApp(t)
	p := NewSendPanel(a)
	p.Window.Resize(fyne.NewSize(960, 760))
	p.Reset(testJob(smtpclient.SecurityTLS, "", "ann@example.com"))
	return p, a
}

func addLines(p *SendPanel, from, n int) {
	for i := from; i < from+n; i++ {
		dir := smtpclient.Client
		if i%2 == 1 {
			dir = smtpclient.Server
		}
		p.apply(smtpclient.Event{Kind: smtpclient.EventLine, Direction: dir, Text: fmt.Sprintf("line %d", i)})
	}
	p.render()
}

func TestTheTranscriptShowsAShortSessionWholeAndFollowsUnlessScrolledUp(t *testing.T) {
	p, _ := transcriptPanel(t)
	v := p.Transcript
	rowHeight := v.grid.MinSize().Height
	addLines(p, 0, 1)
	rowHeight = v.grid.MinSize().Height
	if visible := int(v.scroll.Size().Height / rowHeight); visible < 30 {
		t.Fatalf("the transcript shows %d lines at once (rows of %.0f px in %.0f px), want 30 or more", visible, rowHeight, v.scroll.Size().Height)
	}
	addLines(p, 1, 99)
	bottom := v.grid.MinSize().Height - v.scroll.Size().Height
	if v.scroll.Offset.Y < bottom-1 {
		t.Fatalf("after 100 lines the view is at %.0f, want the end (%.0f)", v.scroll.Offset.Y, bottom)
	}
	// The person scrolls up to read: new lines do not pull the view away.
	v.scroll.ScrollToTop()
	addLines(p, 100, 20)
	if v.scroll.Offset.Y != 0 {
		t.Fatalf("a new line moved a view scrolled up to %.0f", v.scroll.Offset.Y)
	}
	// Back at the end, it follows again.
	v.scroll.ScrollToBottom()
	addLines(p, 120, 5)
	if bottom := v.grid.MinSize().Height - v.scroll.Size().Height; v.scroll.Offset.Y < bottom-1 {
		t.Fatalf("at the end again the view stays at %.0f, want %.0f", v.scroll.Offset.Y, bottom)
	}
	if got := v.grid.RowText(1); got != "<- line 1" {
		t.Fatalf("row 1 shows %q", got)
	}
	if v.grid.Rows[0].Style.TextColor() == v.grid.Rows[1].Style.TextColor() {
		t.Fatal("what Stamp sent and what the server answered have the same colour")
	}
}

func TestTranscriptLinesCanBeSelectedAndCopied(t *testing.T) {
	p, a := transcriptPanel(t)
	addLines(p, 0, 10)
	v := p.Transcript
	row := v.grid.MinSize().Height / 10
	at := func(i int) fyne.Position { return fyne.NewPos(20, row*float32(i)+row/2) }
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at(2)}, Button: desktop.MouseButtonPrimary})
	v.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at(4)}, Button: desktop.MouseButtonPrimary, Modifier: fyne.KeyModifierShift})
	if p.CopyButton.Text != "Copy selected lines" {
		t.Fatalf("with a selection the copy button says %q", p.CopyButton.Text)
	}
	test.Tap(p.CopyButton)
	if got, want := a.Clipboard().Content(), "-> line 2\n<- line 3\n-> line 4\n"; got != want {
		t.Fatalf("copied %q, want %q", got, want)
	}
	if v.grid.Rows[3].Style.BackgroundColor() == v.grid.Rows[5].Style.BackgroundColor() {
		t.Fatal("the selected lines do not look selected")
	}
	p.Reset(testJob(smtpclient.SecurityTLS, "", "ann@example.com"))
	if p.CopyButton.Text != "Copy transcript" || !strings.Contains(p.TranscriptText(), "") {
		t.Fatalf("a new attempt keeps the old selection: %q", p.CopyButton.Text)
	}
}

func TestBeforeDataTheProgressSaysNotStartedInsteadOfAnEmptyBar(t *testing.T) {
	p, _ := transcriptPanel(t)
	if p.Progress.Visible() || !p.progressIdle.Visible() {
		t.Fatalf("before DATA: bar visible=%v, not-started note visible=%v", p.Progress.Visible(), p.progressIdle.Visible())
	}
	p.Apply(smtpclient.Event{Kind: smtpclient.EventProgress, Step: smtpclient.StepMessage, Sent: 500, Total: 1000})
	if !p.Progress.Visible() || p.progressIdle.Visible() || p.Progress.Value != 0.5 {
		t.Fatalf("during DATA: bar visible=%v at %v, note visible=%v", p.Progress.Visible(), p.Progress.Value, p.progressIdle.Visible())
	}
}
