package apptest

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestWindowTextShowsOnlyVisibleText(t *testing.T) {
	a := test.NewTempApp(t)
	win := a.NewWindow("t")
	hidden := widget.NewLabel("hidden words")
	hidden.Hide()
	entry := widget.NewEntry()
	entry.SetText("7ABC123")
	win.SetContent(container.NewVBox(widget.NewLabel("LAST READ"), canvas.NewText("Cam-1", nil), entry, hidden))
	win.Canvas().Overlays().Add(widget.NewLabel("HIT"))
	got := WindowText(win)
	for _, want := range []string{"LAST READ", "Cam-1", "7ABC123", "HIT"} {
		if !strings.Contains(got, want) {
			t.Errorf("window text %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "hidden words") {
		t.Errorf("window text %q shows a hidden label", got)
	}
}
