package app

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
)

// plateComparison puts the plate as read beside the plate as listed, one box per
// character, the characters that differ in red, and the two states compared under
// them (policy III.D.2: verify both the state and the characters).
func plateComparison(m alpr.Match, readState string) fyne.CanvasObject {
	listedDiffers := []int(nil)
	if len(m.ReadPlate) == len(m.Entry.Plate) {
		listedDiffers = m.Differs // same length: the same positions differ on both sides
	}
	// One plate above the other, so each character stands over the one it is compared with.
	rows := container.New(layout.NewFormLayout(),
		caption("READ"), plateChars(m.ReadPlate, m.Differs),
		caption("LISTED"), plateChars(m.Entry.Plate, listedDiffers))
	out := container.NewVBox(rows, stateComparison(m, readState))
	if m.Edit != "" {
		edit := widget.NewLabelWithStyle("Near match: "+m.Edit, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		edit.Wrapping = fyne.TextWrapWord
		edit.Importance = widget.WarningImportance
		out.Add(edit)
	}
	if m.Alternate {
		alt := widget.NewLabel("Matched an alternate reading, not the best read: look closely.")
		alt.Wrapping = fyne.TextWrapWord
		alt.Importance = widget.WarningImportance
		out.Add(alt)
	}
	return out
}

func caption(s string) fyne.CanvasObject {
	c := newThemedText(s, theme.ColorNamePlaceHolder, theme.CaptionTextSize(), fyne.TextStyle{Bold: true})
	return container.NewCenter(c)
}

// plateChars draws a plate one character per box; the boxes at differ are red.
func plateChars(plate string, differ []int) fyne.CanvasObject {
	row := container.NewHBox()
	for i, r := range plate {
		bg := color.Color(theme.Color(theme.ColorNameInputBackground))
		fg := color.Color(theme.Color(theme.ColorNameForeground))
		if slices.Contains(differ, i) {
			bg, fg = colorRed, colorWhite
		}
		box := canvas.NewRectangle(bg)
		box.StrokeColor = theme.Color(theme.ColorNameSeparator)
		box.StrokeWidth = 1
		box.CornerRadius = 4
		ch := canvas.NewText(string(r), fg)
		ch.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
		ch.TextSize = 30
		ch.Alignment = fyne.TextAlignCenter
		row.Add(container.New(layout.NewGridWrapLayout(fyne.NewSize(30, 46)), container.NewStack(box, container.NewCenter(ch))))
	}
	if len(plate) == 0 {
		row.Add(widget.NewLabel("—"))
	}
	return row
}

// stateComparison says whether the read state agrees with the listed one. A mismatch
// or an unknown state is never hidden: the officer must check it by eye.
func stateComparison(m alpr.Match, readState string) fyne.CanvasObject {
	readState, listedState := orDash(readState), orDash(m.Entry.State)
	text := "State  read " + readState + "  ·  listed " + listedState + "  —  "
	imp := widget.SuccessImportance
	switch m.State {
	case alpr.StateMatch:
		text += "MATCH"
	case alpr.StateMismatch:
		text += "MISMATCH: check the plate's state"
		imp = widget.DangerImportance
	default:
		text += "NOT KNOWN: check the plate's state"
		imp = widget.WarningImportance
	}
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	return l
}
