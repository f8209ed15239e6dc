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
			test.NewTempApp(t).Settings().SetTheme(patrolTheme{night: true}) // its monospace bold, for the last read
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

// TestCameraPaneQueuesFramesInOrder: frames put before a pass wait in order, paneQueue
// at most (the oldest dropped and counted), and each keeps its own picture while it
// waits, however many frames the engine paints into the same image after it.
func TestCameraPaneQueuesFramesInOrder(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(patrolTheme{night: true}) // its monospace bold, for the last read
	p := newCameraPane(alpr.Cam2, time.Now, nil)
	src := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := range paneQueue + 1 {
		src.Pix[0] = byte(10 * (i + 1)) // the engine paints each frame into the same image
		p.put(frame{img: src, lastRead: string(rune('A' + i))})
	}
	if n := p.droppedN.Load(); n != 1 {
		t.Errorf("%d frames dropped, want 1 (A, the oldest)", n)
	}
	for i := 1; i <= paneQueue; i++ { // B, C, …: in the order put, each with its own picture
		more := p.apply()
		if want := string(rune('A' + i)); p.shown.lastRead != want || more != (i < paneQueue) {
			t.Errorf("shown %q (more waiting %v), want %q (%v)", p.shown.lastRead, more, want, i < paneQueue)
		}
		if px, want := p.shown.img.(*image.RGBA).Pix[0], byte(10*(i+1)); px != want {
			t.Errorf("frame %s shows pixel %d, want its own %d", p.shown.lastRead, px, want)
		}
	}
	last := p.shown.lastRead
	if p.apply() || p.shown.lastRead != last {
		t.Errorf("an empty pass changed the pane from %q to %q", last, p.shown.lastRead)
	}
	// The buffer on screen is not filled while it is shown: a full queue of frames goes
	// elsewhere.
	onScreen := p.shown.img.(*image.RGBA)
	before := onScreen.Pix[0]
	for i := range paneQueue + 1 {
		src.Pix[0] = byte(200 + i)
		p.put(frame{img: src, lastRead: "Z"})
	}
	if onScreen.Pix[0] != before {
		t.Errorf("the picture on screen was overwritten (pixel %d, was %d) while shown", onScreen.Pix[0], before)
	}
	if got := p.shownN.Load(); got != paneQueue {
		t.Errorf("%d frames counted shown, want %d", got, paneQueue)
	}
}

func TestShowFrameReachesEveryPane(t *testing.T) {
	f := newFixture(t, nil)
	f.signIn(officer)
	for i, c := range alpr.Cameras {
		f.u.ShowFrame(c, image.NewRGBA(image.Rect(0, 0, 8, 8)), nil, string(c)+"-read"+string(rune('0'+i)))
	}
	f.u.ShowFrame("Cam-9", image.NewRGBA(image.Rect(0, 0, 8, 8)), nil, "ignored") // no such pane
	f.settle()
	for i, c := range alpr.Cameras {
		if got, want := f.u.panes[c].shown.lastRead, string(c)+"-read"+string(rune('0'+i)); got != want {
			t.Errorf("%s shows %q, want %q", c, got, want)
		}
	}
	if f.u.framesDue.Load() {
		t.Error("a pass is still marked due after every frame was shown")
	}
}

// TestFramePassesShowThePanesTogether: frames from the three cameras arriving one after
// another between two passes are shown by one pass, not three; a pane's second frame in
// that time waits for the pass after instead of being dropped; and passes come no more
// often than FramePasses a second.
func TestFramePassesShowThePanesTogether(t *testing.T) {
	const rate = 4 // passes a second: 250 ms apart, far more than the test takes to put its frames
	f := newFixture(t, func(d *Deps) { d.FramePasses = rate })
	f.signIn(officer)
	pic := image.NewRGBA(image.Rect(0, 0, 8, 8))
	passes := func() (n []uint64) {
		for _, c := range alpr.Cameras {
			n = append(n, f.u.panes[c].shownN.Load())
		}
		return n
	}
	start := time.Now()
	f.u.ShowFrame(alpr.Cam1, pic, nil, "1a") // the first pass runs at once
	f.u.ShowFrame(alpr.Cam1, pic, nil, "1b") // these wait for the next
	f.u.ShowFrame(alpr.Cam2, pic, nil, "2a")
	f.u.ShowFrame(alpr.Cam3, pic, nil, "3a")
	if got := passes(); got[0] != 1 || got[1] != 0 || got[2] != 0 {
		t.Fatalf("frames shown before the second pass %v, want [1 0 0]", got)
	}
	f.settle()
	took := time.Since(start)
	if got := passes(); got[0] != 2 || got[1] != 1 || got[2] != 1 {
		t.Errorf("frames shown after the second pass %v, want [2 1 1]", got)
	}
	for c, want := range map[alpr.CameraID]string{alpr.Cam1: "1b", alpr.Cam2: "2a", alpr.Cam3: "3a"} {
		if got := f.u.panes[c].shown.lastRead; got != want {
			t.Errorf("%s shows %q, want %q", c, got, want)
		}
	}
	if n := f.u.panes[alpr.Cam1].droppedN.Load(); n != 0 {
		t.Errorf("Cam-1 dropped %d frames, want none", n)
	}
	if took < time.Second/rate {
		t.Errorf("the second pass came %v after the first, sooner than 1/%d s", took, rate)
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
	test.NewTempApp(t).Settings().SetTheme(patrolTheme{night: true}) // its monospace bold, for the last read
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

// TestLastReadFitsThePane: a long read with its state shrinks to fit a narrow pane and
// keeps the full size where there is room; the next, shorter read grows back.
func TestLastReadFitsThePane(t *testing.T) {
	for _, tc := range []struct {
		name     string
		width    float32
		read     string
		wantFull bool
	}{
		{"wide pane", 700, "D6680M2M (PA)", true},
		{"narrow pane, long read", 260, "D6680M2M (PA)", false},
		{"narrow pane, short read", 260, "7ABC", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test.NewTempApp(t).Settings().SetTheme(patrolTheme{night: true}) // its monospace bold
			p := newCameraPane(alpr.Cam1, time.Now, nil)
			w := test.NewTempWindow(t, p)
			size := fyne.NewSize(tc.width, 200+readBarHeight)
			w.Resize(size.AddWidthHeight(20, 20))
			p.Resize(size)
			p.put(frame{img: image.NewRGBA(image.Rect(0, 0, 64, 40)), lastRead: "D6680M2M (PA)"})
			p.apply()
			p.put(frame{img: image.NewRGBA(image.Rect(0, 0, 64, 40)), lastRead: tc.read})
			p.apply()
			r := test.WidgetRenderer(p).(*paneRenderer)
			if r.read.Text != tc.read {
				t.Fatalf("read %q, want %q", r.read.Text, tc.read)
			}
			if full := r.read.TextSize == readTextSize; full != tc.wantFull {
				t.Errorf("type size %v (full %v), want full %v", r.read.TextSize, full, tc.wantFull)
			}
			if got, room := r.read.MinSize().Width, r.read.Size().Width; got > room {
				t.Errorf("read %q is %v wide in a room of %v", tc.read, got, room)
			}
		})
	}
}
