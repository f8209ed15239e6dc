package car

import (
	"image"

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
func (s screen) AddDetection(d alpr.Detection) { s.ui.AddDetection(d) }
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
