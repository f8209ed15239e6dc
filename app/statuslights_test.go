package app

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"patrol-alpr/app/apptest"
)

// TestLightHoverFollowsTheReading: hovering a camera light shows what it measures, and as
// the reading changes (every half second) the same pop-up shows the new one; a new pop-up
// under the pointer would end the hover and close at once.
func TestLightHoverFollowsTheReading(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	s := f.u.lights
	s.set(LightCam1, Green, "Cam-1 14 fps, last read 3 s ago")
	s.lights[LightCam1].MouseIn(&desktop.MouseEvent{})
	pop := s.pop
	if pop == nil || !strings.Contains(apptest.Text(pop), "Cam-1 14 fps, last read 3 s ago") {
		t.Fatal("hovering the light shows no reading")
	}
	s.set(LightCam1, Green, "Cam-1 15 fps, last read 4 s ago")
	if s.pop != pop || !pop.Visible() {
		t.Fatal("a new reading replaced the pop-up under the pointer")
	}
	if !strings.Contains(apptest.Text(pop), "Cam-1 15 fps, last read 4 s ago") {
		t.Errorf("pop-up shows %q, want the new reading", apptest.Text(pop))
	}
	s.lights[LightCam1].MouseOut()
	if s.pop != nil {
		t.Error("the pop-up stayed after the pointer left")
	}
}

// TestLightRedrawsOnlyWhenItsColourChanges: a light whose reason changes and colour does
// not (a camera's frame rate, every second) is not redrawn, since each redraw repaints
// the whole window; the new reason is kept for the pop-up.
func TestLightRedrawsOnlyWhenItsColourChanges(t *testing.T) {
	test.NewTempApp(t)
	l := newStatusLight(LightCam1, func(*statusLight) {}, func() {})
	r := test.WidgetRenderer(l).(*lightRenderer)
	l.set(Green, "Cam-1 15 fps")
	if r.lamp.FillColor != Green.color() {
		t.Fatalf("lamp %v after turning green, want %v", r.lamp.FillColor, Green.color())
	}
	marker := color.NRGBA{1, 2, 3, 255}
	r.lamp.FillColor = marker // a redraw would paint over this
	l.set(Green, "Cam-1 14 fps")
	if r.lamp.FillColor != marker {
		t.Error("the light was redrawn although only its reason changed")
	}
	if l.reason != "Cam-1 14 fps" {
		t.Errorf("reason %q, want the new one", l.reason)
	}
	l.set(Red, "no frames for 4 s")
	if r.lamp.FillColor != Red.color() {
		t.Errorf("lamp %v after turning red, want %v", r.lamp.FillColor, Red.color())
	}
}
