package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/driver/desktop"

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
