// Package apptest reads a Fyne window as tests need it: the text an officer
// would see on it. It imports only Fyne, so the app's own tests and the
// whole-system tests of package main share it.
package apptest

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// WindowText is every piece of text visible on win, pop-ups and overlays
// included, one piece a line. Labels and entries give their text as well as
// what their renderers draw, so a piece may appear twice.
func WindowText(win fyne.Window) string {
	var b strings.Builder
	c := win.Canvas()
	collect(&b, c.Content())
	for _, o := range c.Overlays().List() {
		collect(&b, o)
	}
	return b.String()
}

// Text is the visible text of one object and everything in it, as WindowText.
func Text(o fyne.CanvasObject) string {
	var b strings.Builder
	collect(&b, o)
	return b.String()
}

func collect(b *strings.Builder, o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch x := o.(type) {
	case *canvas.Text:
		b.WriteString(x.Text + "\n")
		return
	case *widget.Label:
		b.WriteString(x.Text + "\n")
	case *widget.Entry:
		b.WriteString(x.Text + "\n")
	case *fyne.Container:
		for _, c := range x.Objects {
			collect(b, c)
		}
		return
	}
	if w, ok := o.(fyne.Widget); ok {
		for _, c := range test.WidgetRenderer(w).Objects() {
			collect(b, c)
		}
	}
}
