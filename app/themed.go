package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// themedRect is a background that follows the night/day switch: a bare
// canvas.Rectangle keeps the colour it was made with.
type themedRect struct {
	widget.BaseWidget
	color  fyne.ThemeColorName
	radius float32
}

func newThemedRect(c fyne.ThemeColorName, radius float32) *themedRect {
	r := &themedRect{color: c, radius: radius}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer implements fyne.Widget.
func (r *themedRect) CreateRenderer() fyne.WidgetRenderer {
	rect := canvas.NewRectangle(theme.Color(r.color))
	rect.CornerRadius = r.radius
	return &themedRectRenderer{r: r, rect: rect}
}

type themedRectRenderer struct {
	r    *themedRect
	rect *canvas.Rectangle
}

func (t *themedRectRenderer) Layout(s fyne.Size)           { t.rect.Resize(s) }
func (t *themedRectRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (t *themedRectRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{t.rect} }
func (t *themedRectRenderer) Destroy()                     {}
func (t *themedRectRenderer) Refresh() {
	t.rect.FillColor = theme.Color(t.r.color)
	t.rect.Refresh()
}

// themedText is a canvas.Text whose colour follows the night/day switch.
type themedText struct {
	widget.BaseWidget
	text  *canvas.Text
	color fyne.ThemeColorName
}

func newThemedText(s string, c fyne.ThemeColorName, size float32, style fyne.TextStyle) *themedText {
	t := &themedText{text: canvas.NewText(s, theme.Color(c)), color: c}
	t.text.TextSize = size
	t.text.TextStyle = style
	t.ExtendBaseWidget(t)
	return t
}

func (t *themedText) align(a fyne.TextAlign) *themedText {
	t.text.Alignment = a
	return t
}

// CreateRenderer implements fyne.Widget.
func (t *themedText) CreateRenderer() fyne.WidgetRenderer { return &themedTextRenderer{t: t} }

type themedTextRenderer struct{ t *themedText }

func (r *themedTextRenderer) Layout(s fyne.Size)           { r.t.text.Resize(s) }
func (r *themedTextRenderer) MinSize() fyne.Size           { return r.t.text.MinSize() }
func (r *themedTextRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t.text} }
func (r *themedTextRenderer) Destroy()                     {}
func (r *themedTextRenderer) Refresh() {
	r.t.text.Color = theme.Color(r.t.color)
	r.t.text.Refresh()
}
