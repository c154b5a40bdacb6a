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

func transcriptPanel(t *testing.T) (*sendPanel, fyne.App) {
	t.Helper()
	a := test.NewTempApp(t)
	p := newSendPanel(a)
	p.Window.Resize(fyne.NewSize(960, 760))
	p.Reset(testJob(smtpclient.SecurityTLS, "", "ann@example.com"))
	return p, a
}

func addLines(p *sendPanel, from, n int) {
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
	addLines(p, 0, 1)
	rowHeight := v.grid.PositionForCursorLocation(1, 0).Y - v.grid.PositionForCursorLocation(0, 0).Y
	if visible := int(v.grid.Size().Height / rowHeight); visible < 30 {
		t.Fatalf("the transcript shows %d lines at once (rows of %.0f px in %.0f px), want 30 or more", visible, rowHeight, v.grid.Size().Height)
	}
	addLines(p, 1, 99)
	if last := v.lastVisibleRow(); last != 99 {
		t.Fatalf("after 100 lines the last line in view is %d, want 99 (the end)", last)
	}
	// The person scrolls up to read: new lines do not pull the view away.
	v.grid.ScrollToTop()
	addLines(p, 100, 20)
	if first := v.firstVisibleRow(); first != 0 {
		t.Fatalf("a new line moved a view scrolled up to the top to line %d", first)
	}
	// Back at the end, it follows again.
	v.grid.ScrollToBottom()
	addLines(p, 120, 5)
	if last := v.lastVisibleRow(); last != 124 {
		t.Fatalf("at the end again, the last line in view is %d, want 124", last)
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
	at := func(i int) fyne.Position { return v.grid.PositionForCursorLocation(i, 2).AddXY(1, 1) }
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

// A Chinese line in the transcript gives each wide character two cells,
// so no glyph is drawn over the next one; Latin text keeps one cell a
// character, and Copy gives the line as it was, without the blank cells.
func TestWideCharactersTakeTwoCellsAndCopyAsTyped(t *testing.T) {
	p, a := transcriptPanel(t)
	p.apply(smtpclient.Event{Kind: smtpclient.EventLine, Direction: smtpclient.Local, Text: "以 stamp 的身份登录"})
	p.apply(smtpclient.Event{Kind: smtpclient.EventLine, Direction: smtpclient.Server, Text: "250 OK"})
	p.render()
	v := p.Transcript
	if n := len(v.grid.Rows); n != 2 {
		t.Fatalf("%d rows, want 2", n)
	}
	// "=== " + 以 + " stamp " + 的身份登录: 4 + 1 + 7 + 5 characters, 6 of them wide.
	if got, want := len(v.grid.Rows[0].Cells), 4+2+7+10; got != want {
		t.Errorf("the Chinese line has %d cells, want %d (two for each wide character): %q", got, want, v.grid.RowText(0))
	}
	if got := v.grid.RowText(1); got != "<- 250 OK" {
		t.Errorf("a Latin line shows %q", got)
	}
	test.Tap(p.CopyButton)
	if got := a.Clipboard().Content(); !strings.Contains(got, "以 stamp 的身份登录\n") || strings.Contains(got, "以  stamp") {
		t.Errorf("copied %q, want the line as it was", got)
	}
}
