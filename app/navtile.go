package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// navTile is a button of the bottom bar: the icon above a short bold word. Eight of
// them fit across a 1024×768 MDC with room to spare (a row of Fyne buttons, icon
// beside text, does not), and each stays a large target for a gloved finger.
type navTile struct {
	widget.BaseWidget
	label    string
	icon     fyne.Resource
	onTapped func()
	selected bool // the view on screen, or a switch that is on
	hovered  bool
}

var (
	_ fyne.Tappable     = (*navTile)(nil)
	_ desktop.Hoverable = (*navTile)(nil)
)

// Sizes of a tile, in Fyne units.
const (
	tileIcon     = 26
	tileText     = 16
	tileMinWidth = 76
)

func newNavTile(label string, icon fyne.Resource, onTapped func()) *navTile {
	t := &navTile{label: label, icon: icon, onTapped: onTapped}
	t.ExtendBaseWidget(t)
	return t
}

// setSelected marks the tile as the view on screen.
func (t *navTile) setSelected(on bool) {
	if t.selected != on {
		t.selected = on
		t.Refresh()
	}
}

// setLabel changes the word under the icon (Day ↔ Night).
func (t *navTile) setLabel(s string) {
	t.label = s
	t.Refresh()
}

// Tapped implements fyne.Tappable.
func (t *navTile) Tapped(*fyne.PointEvent) {
	if t.onTapped != nil {
		t.onTapped()
	}
}

// MouseIn implements desktop.Hoverable.
func (t *navTile) MouseIn(*desktop.MouseEvent) { t.hovered = true; t.Refresh() }

// MouseMoved implements desktop.Hoverable.
func (t *navTile) MouseMoved(*desktop.MouseEvent) {}

// MouseOut implements desktop.Hoverable.
func (t *navTile) MouseOut() { t.hovered = false; t.Refresh() }

// CreateRenderer implements fyne.Widget.
func (t *navTile) CreateRenderer() fyne.WidgetRenderer {
	r := &tileRenderer{t: t, bg: canvas.NewRectangle(nil), hover: canvas.NewRectangle(nil),
		icon: canvas.NewImageFromResource(nil), text: canvas.NewText("", nil)}
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.hover.CornerRadius = theme.InputRadiusSize()
	r.icon.FillMode = canvas.ImageFillContain
	r.text.TextStyle.Bold = true
	r.text.TextSize = tileText
	r.text.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type tileRenderer struct {
	t     *navTile
	bg    *canvas.Rectangle
	hover *canvas.Rectangle
	icon  *canvas.Image
	text  *canvas.Text
}

func (r *tileRenderer) Layout(s fyne.Size) {
	r.bg.Resize(s)
	r.hover.Resize(s)
	th := r.text.MinSize().Height
	top := (s.Height - tileIcon - th) / 2
	r.icon.Resize(fyne.NewSquareSize(tileIcon))
	r.icon.Move(fyne.NewPos((s.Width-tileIcon)/2, top))
	r.text.Resize(fyne.NewSize(s.Width, th))
	r.text.Move(fyne.NewPos(0, top+tileIcon))
}

func (r *tileRenderer) MinSize() fyne.Size {
	pad := theme.InnerPadding()
	ts := r.text.MinSize()
	return fyne.NewSize(max(ts.Width+pad, tileMinWidth), tileIcon+ts.Height+pad)
}

func (r *tileRenderer) Refresh() {
	t := r.t
	fg, bg := theme.ColorNameForeground, theme.ColorNameButton
	if t.selected {
		fg, bg = theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary
	}
	r.bg.FillColor = theme.Color(bg)
	r.hover.FillColor = theme.Color(theme.ColorNameHover)
	r.hover.Hidden = !t.hovered
	r.text.Text = t.label
	r.text.Color = theme.Color(fg)
	if t.icon != nil {
		r.icon.Resource = theme.NewColoredResource(t.icon, fg)
	}
	r.Layout(t.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *tileRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.hover, r.icon, r.text}
}

func (r *tileRenderer) Destroy() {}
