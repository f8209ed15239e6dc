package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
)

// LightState is the colour of one status light (policy III.C.6: all green before patrol).
type LightState int

// Light states. Off means nothing has reported yet, which is never mistaken for green.
const (
	Off LightState = iota
	Green
	Amber // working but degraded
	Red   // not working
)

func (s LightState) String() string {
	switch s {
	case Green:
		return "green"
	case Amber:
		return "amber"
	case Red:
		return "red"
	default:
		return "off"
	}
}

func (s LightState) color() color.Color {
	switch s {
	case Green:
		return colorGreen
	case Amber:
		return colorAmber
	case Red:
		return colorRed
	default:
		return colorOff
	}
}

// Names of the status lights, in the order of policy III.C.6.
const (
	LightCam1   = string(alpr.Cam1)
	LightCam2   = string(alpr.Cam2)
	LightCam3   = string(alpr.Cam3)
	LightLEARN  = "LEARN"
	LightGPS    = "GPS"
	LightSystem = "System"
)

var lightNames = []string{LightCam1, LightCam2, LightCam3, LightLEARN, LightGPS, LightSystem}

// statusLight is one named lamp; a tap or a hover shows why it has its colour.
type statusLight struct {
	widget.BaseWidget
	name   string
	state  LightState
	reason string
	show   func(l *statusLight) // opens the reason pop-up
	hide   func()
}

var (
	_ fyne.Tappable     = (*statusLight)(nil)
	_ desktop.Hoverable = (*statusLight)(nil)
)

func newStatusLight(name string, show func(*statusLight), hide func()) *statusLight {
	l := &statusLight{name: name, reason: "No report yet.", show: show, hide: hide}
	l.ExtendBaseWidget(l)
	return l
}

// set changes the light and its reason. Only the colour is drawn, so the light is
// redrawn only when that changes: the cameras' reasons (their frame rates) change every
// second, and each redraw repaints the whole window.
func (l *statusLight) set(s LightState, reason string) {
	changed := s != l.state
	l.state, l.reason = s, reason
	if changed {
		l.Refresh()
	}
}

// Tapped implements fyne.Tappable.
func (l *statusLight) Tapped(*fyne.PointEvent) { l.show(l) }

// MouseIn implements desktop.Hoverable.
func (l *statusLight) MouseIn(*desktop.MouseEvent) { l.show(l) }

// MouseMoved implements desktop.Hoverable.
func (l *statusLight) MouseMoved(*desktop.MouseEvent) {}

// MouseOut implements desktop.Hoverable.
func (l *statusLight) MouseOut() { l.hide() }

// CreateRenderer implements fyne.Widget.
func (l *statusLight) CreateRenderer() fyne.WidgetRenderer {
	lamp := canvas.NewCircle(l.state.color())
	lamp.StrokeColor = colorInk
	lamp.StrokeWidth = 2
	label := canvas.NewText(l.name, theme.Color(theme.ColorNameForeground))
	label.TextStyle.Bold = true
	label.TextSize = theme.TextSize() - 2
	label.Alignment = fyne.TextAlignCenter
	r := &lightRenderer{l: l, lamp: lamp, label: label}
	return r
}

type lightRenderer struct {
	l     *statusLight
	lamp  *canvas.Circle
	label *canvas.Text
}

const lampSize = 26

func (r *lightRenderer) Layout(s fyne.Size) {
	r.lamp.Resize(fyne.NewSquareSize(lampSize))
	r.lamp.Move(fyne.NewPos((s.Width-lampSize)/2, 2))
	r.label.Resize(fyne.NewSize(s.Width, r.label.MinSize().Height))
	r.label.Move(fyne.NewPos(0, lampSize+4))
}

func (r *lightRenderer) MinSize() fyne.Size {
	ls := r.label.MinSize()
	return fyne.NewSize(max(ls.Width+8, lampSize+8, 58), lampSize+4+ls.Height)
}

func (r *lightRenderer) Refresh() {
	r.lamp.FillColor = r.l.state.color()
	r.label.Color = theme.Color(theme.ColorNameForeground)
	r.lamp.Refresh()
	r.label.Refresh()
}

func (r *lightRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.lamp, r.label} }
func (r *lightRenderer) Destroy()                     {}

// statusLights is the row of lamps at the top right of every patrol screen.
type statusLights struct {
	box       *fyne.Container
	lights    map[string]*statusLight
	pop       *widget.PopUp
	popFor    *statusLight
	popTitle  *widget.Label
	popReason *widget.Label
	win       fyne.Window
	driver    fyne.Driver
}

func newStatusLights(win fyne.Window, driver fyne.Driver) *statusLights {
	s := &statusLights{box: container.NewHBox(), lights: map[string]*statusLight{}, win: win, driver: driver}
	for _, n := range lightNames {
		s.add(n)
	}
	return s
}

func (s *statusLights) add(name string) *statusLight {
	l := newStatusLight(name, s.showReason, s.hideReason)
	s.lights[name] = l
	s.box.Add(l)
	return l
}

func (s *statusLights) set(name string, st LightState, reason string) {
	l, ok := s.lights[name]
	if !ok {
		l = s.add(name)
	}
	l.set(st, reason)
	if s.pop != nil && s.pop.Visible() && s.popFor == l {
		// Change the text in place: a new pop-up over the pointer would end the hover
		// that opened it, and a camera's reason (its frame rate) changes every look.
		s.popTitle.SetText(l.name + ": " + l.state.String())
		s.popReason.SetText(l.reason)
		s.pop.Resize(fyne.NewSize(s.pop.Size().Width, s.pop.Content.MinSize().Height+theme.Padding()*2))
	}
}

func (s *statusLights) showReason(l *statusLight) {
	s.hideReason()
	title := widget.NewLabelWithStyle(l.name+": "+l.state.String(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	reason := widget.NewLabel(l.reason)
	reason.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(title, reason)
	c := s.win.Canvas()
	s.pop = widget.NewPopUp(body, c)
	s.popFor, s.popTitle, s.popReason = l, title, reason
	w := float32(320)
	s.pop.Resize(fyne.NewSize(w, body.MinSize().Height+theme.Padding()*2))
	pos := s.driver.AbsolutePositionForObject(l)
	x := min(pos.X, c.Size().Width-w-theme.Padding())
	s.pop.ShowAtPosition(fyne.NewPos(x, pos.Y+l.Size().Height+theme.Padding()))
}

func (s *statusLights) hideReason() {
	if s.pop != nil {
		s.pop.Hide()
		s.pop, s.popFor, s.popTitle, s.popReason = nil, nil, nil, nil
	}
}
