package app

import (
	"image"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"patrol-alpr/alpr"
)

func TestCameraPaneDrawsBoxesWherePlatesAre(t *testing.T) {
	tests := []struct {
		name    string
		img     image.Rectangle
		pane    fyne.Size
		box     image.Rectangle
		wantPos fyne.Position
		wantSz  fyne.Size
	}{
		// 640×400 in a 320×248 pane (200 for the picture): scale 0.5, centred.
		{"wide picture", image.Rect(0, 0, 640, 400), fyne.NewSize(320, 200+readBarHeight), image.Rect(100, 200, 220, 240), fyne.NewPos(50, 100), fyne.NewSize(60, 20)},
		// 400×400 in the same pane: scale 0.5, 60 px of black each side.
		{"square picture", image.Rect(0, 0, 400, 400), fyne.NewSize(320, 200+readBarHeight), image.Rect(0, 0, 40, 40), fyne.NewPos(60, 0), fyne.NewSize(20, 20)},
		// A picture whose bounds do not start at 0,0 (a sub-image).
		{"offset bounds", image.Rect(100, 100, 740, 500), fyne.NewSize(320, 200+readBarHeight), image.Rect(200, 300, 320, 340), fyne.NewPos(50, 100), fyne.NewSize(60, 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			test.NewTempApp(t)
			p := newCameraPane(alpr.Cam1, time.Now, nil)
			w := test.NewTempWindow(t, p)
			w.Resize(tt.pane.AddWidthHeight(20, 20))
			p.Resize(tt.pane)
			p.put(frame{img: image.NewRGBA(tt.img), boxes: []image.Rectangle{tt.box}, lastRead: "7ABC123"})
			p.apply()
			r := test.WidgetRenderer(p).(*paneRenderer)
			if len(r.boxes) != 1 || !r.boxes[0].Visible() {
				t.Fatal("no box drawn")
			}
			if got := r.boxes[0].Position(); got != tt.wantPos {
				t.Errorf("box at %v, want %v", got, tt.wantPos)
			}
			if got := r.boxes[0].Size(); got != tt.wantSz {
				t.Errorf("box size %v, want %v", got, tt.wantSz)
			}
			if r.read.Text != "7ABC123" {
				t.Errorf("last read %q", r.read.Text)
			}
			// The next frame without plates hides the box.
			p.put(frame{img: image.NewRGBA(tt.img)})
			p.apply()
			if r.boxes[0].Visible() {
				t.Error("box of the previous frame still shown")
			}
		})
	}
}

func TestCameraPaneKeepsOnlyTheNewestFrame(t *testing.T) {
	test.NewTempApp(t)
	p := newCameraPane(alpr.Cam2, time.Now, nil)
	// Frames put before the Fyne thread comes round replace each other.
	for _, read := range []string{"A", "B", "C"} {
		p.put(frame{img: image.NewRGBA(image.Rect(0, 0, 4, 4)), lastRead: read})
	}
	p.apply()
	if p.shown.lastRead != "C" {
		t.Errorf("shown %q, want the newest frame C", p.shown.lastRead)
	}
	p.apply() // nothing pending: nothing changes
	if p.shown.lastRead != "C" {
		t.Errorf("shown %q after an empty pass", p.shown.lastRead)
	}
}

func TestShowFrameReachesEveryPane(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	for i, c := range alpr.Cameras {
		f.u.ShowFrame(c, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil, string(c)+"-read"+string(rune('0'+i)))
	}
	f.u.ShowFrame("Cam-9", image.NewRGBA(image.Rect(0, 0, 8, 8)), nil, "ignored") // no such pane
	for i, c := range alpr.Cameras {
		if got, want := f.u.panes[c].shown.lastRead, string(c)+"-read"+string(rune('0'+i)); got != want {
			t.Errorf("%s shows %q, want %q", c, got, want)
		}
	}
	if f.u.framesDue.Load() {
		t.Error("a pass is still marked due after every frame was shown")
	}
}

func TestWrapWords(t *testing.T) {
	measure := func(s string) float32 { return float32(len(s)) }
	tests := []struct {
		name  string
		in    string
		width float32
		want  []string
	}{
		{"fits", "Cameras off", 20, []string{"Cameras off"}},
		{"wraps at words", "not trained and certified", 12, []string{"not trained", "and", "certified"}},
		{"keeps newlines", "CAMERAS OFF\nsee admin", 40, []string{"CAMERAS OFF", "see admin"}},
		{"long word alone", "abcdefghijkl x", 5, []string{"abcdefghijkl", "x"}},
		{"empty", "", 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrapWords(tt.in, tt.width, measure)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatusLightsShowReasonOnTap(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	f.u.SetLight(LightGPS, Red, "No fix for 12 s: antenna?")
	f.u.SetLight("Sync", Amber, "12 items waiting") // a light the screen did not know
	l := f.u.lights.lights[LightGPS]
	if l.state != Red {
		t.Fatalf("GPS light %v, want red", l.state)
	}
	if _, ok := f.u.lights.lights["Sync"]; !ok {
		t.Error("an unknown light was dropped")
	}
	test.Tap(l)
	if !strings.Contains(f.screenText(), "No fix for 12 s: antenna?") || !strings.Contains(f.screenText(), "GPS: red") {
		t.Error("tapping the GPS light does not show why it is red")
	}
	f.u.SetLight(LightGPS, Green, "3D fix, 9 satellites")
	if !strings.Contains(f.screenText(), "3D fix, 9 satellites") {
		t.Error("the open reason did not follow the light")
	}
	l.MouseOut()
	if strings.Contains(f.screenText(), "3D fix, 9 satellites") {
		t.Error("reason still shown after the pointer left")
	}
}

// TestCameraPaneCopiesAndReusesItsPictures: the pane shows a copy of the picture handed
// over, so the engine can paint its next frame into the same image, and after the first
// frames it copies into its own two pictures without allocating one a frame.
func TestCameraPaneCopiesAndReusesItsPictures(t *testing.T) {
	test.NewTempApp(t)
	p := newCameraPane(alpr.Cam1, time.Now, nil)
	w := test.NewTempWindow(t, p)
	w.Resize(fyne.NewSize(360, 300))
	src := image.NewRGBA(image.Rect(0, 0, 339, 191))
	paint := func(v uint8) {
		for i := range src.Pix {
			src.Pix[i] = v
		}
	}
	paint(10)
	p.put(frame{img: src})
	paint(20) // the engine's next frame, before the Fyne thread came round
	p.apply()
	shown := p.shown.img.(*image.RGBA)
	if shown == src || shown.Pix[0] != 10 || shown.Rect != src.Rect {
		t.Fatalf("pane shows the caller's image or a changed copy (first byte %d, bounds %v)", shown.Pix[0], shown.Rect)
	}
	p.put(frame{img: src})
	if shown.Pix[0] != 10 {
		t.Error("put wrote into the picture on screen")
	}
	p.apply()
	if p.shown.img.(*image.RGBA).Pix[0] != 20 {
		t.Error("the newest frame is not shown")
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const frames = 50
	for i := range frames {
		paint(uint8(i))
		p.put(frame{img: src, lastRead: "7ABC123"})
		p.apply()
	}
	runtime.ReadMemStats(&after)
	// A picture is 259 KB; what is left is the frame's small change.
	if per := (after.TotalAlloc - before.TotalAlloc) / frames; per > 4<<10 {
		t.Errorf("%d bytes allocated a frame, want none for the picture (< 4 KB)", per)
	}
}

func TestPaneSizeIsThePicturesRoomInPixels(t *testing.T) {
	f := newFixture(t, nil)
	if got := f.u.PaneSize(alpr.Cam1); got != (image.Point{}) {
		t.Errorf("PaneSize before sign-in = %v, want zero (not laid out)", got)
	}
	f.signIn(officer)
	for _, c := range alpr.Cameras {
		p := f.u.panes[c]
		want := image.Pt(int(p.Size().Width), int(p.Size().Height-readBarHeight)) // the test canvas's scale is 1
		if got := f.u.PaneSize(c); got != want || got.X < 200 {
			t.Errorf("PaneSize(%s) = %v, want %v", c, got, want)
		}
	}
	if got := f.u.PaneSize("Cam-9"); got != (image.Point{}) {
		t.Errorf("PaneSize of no pane = %v, want zero", got)
	}
}
