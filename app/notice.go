package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// showNotice tells the officer a result in a dialog, under the TRAINING banner in
// classroom mode like every other screen.
func (u *UI) showNotice(title, message string) {
	l := widget.NewLabel(message)
	l.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "OK", u.framed(l), u.win)
	d.Resize(fyne.NewSize(640, 0))
	d.Show()
}
