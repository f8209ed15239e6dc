package car

import (
	"image"
	"sync"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/app"
	"patrol-alpr/engine"
)

// display is what the car puts in front of the officer: the app's UI (through screen), or
// a recorder wrapped around it in tests.
type display interface {
	engine.Screen
	engine.HitScreen
	SetLight(name string, l engine.Level, reason string)
	// ShowCameraFault puts why a pane has no picture on the pane itself.
	ShowCameraFault(cam alpr.CameraID, reason string)
}

// screen lets the engine paint on the UI without importing Fyne: it maps the engine's light
// levels to the UI's.
type screen struct{ ui *app.UI }

func (s screen) ShowFrame(cam alpr.CameraID, img image.Image, boxes []image.Rectangle, lastRead string) {
	s.ui.ShowFrame(cam, img, boxes, lastRead)
}
func (s screen) PaneSize(cam alpr.CameraID) image.Point { return s.ui.PaneSize(cam) }
func (s screen) AddDetection(d alpr.Detection)          { s.ui.AddDetection(d) }
func (s screen) ShowCameraFault(cam alpr.CameraID, reason string) {
	s.ui.ShowCameraFault(cam, reason)
}
func (s screen) RaiseHit(h alpr.Hit, d alpr.Detection) { s.ui.RaiseHit(h, d) }

func (s screen) SetLight(name string, l engine.Level, reason string) {
	state := app.Red
	switch l {
	case engine.Green:
		state = app.Green
	case engine.Amber:
		state = app.Amber
	}
	s.ui.SetLight(name, state, reason)
}

// readClock passes everything on to the display and notes when each camera last read a
// plate, which that camera's light reports.
type readClock struct {
	display
	mu sync.Mutex
	at map[alpr.CameraID]time.Time
}

func (r *readClock) AddDetection(d alpr.Detection) {
	r.mu.Lock()
	if d.SeenAt.After(r.at[d.Camera]) {
		r.at[d.Camera] = d.SeenAt
	}
	r.mu.Unlock()
	r.display.AddDetection(d)
}

// last is when cam last read a plate; zero before the first (or before attach).
func (r *readClock) last(cam alpr.CameraID) time.Time {
	if r == nil {
		return time.Time{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.at[cam]
}
