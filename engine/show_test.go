package engine

import (
	"context"
	"image"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
	"patrol-alpr/camera"
	"patrol-alpr/ocr"
)

func TestPaneFit(t *testing.T) {
	hd := image.Pt(1280, 720)
	for _, tc := range []struct {
		name     string
		frame    image.Point
		room     image.Point
		fallback int
		want     image.Point
	}{
		{"wide room: the height decides", hd, image.Pt(339, 284), 0, image.Pt(339, 191)},
		{"tall room: the width decides", hd, image.Pt(200, 400), 0, image.Pt(200, 113)},
		{"HiDPI room", hd, image.Pt(678, 568), 0, image.Pt(678, 381)},
		{"never larger than the frame", image.Pt(320, 240), image.Pt(678, 568), 0, image.Pt(320, 240)},
		{"room unknown: the fallback width", hd, image.Point{}, 0, image.Pt(480, 270)},
		{"room unknown: a set width", hd, image.Pt(0, 300), 640, image.Pt(640, 360)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := paneFit(tc.frame, tc.room, tc.fallback); got != tc.want {
				t.Errorf("paneFit(%v, %v, %d) = %v, want %v", tc.frame, tc.room, tc.fallback, got, tc.want)
			}
		})
	}
}

// paneScreen keeps the last picture shown, as the app does: a copy.
type paneScreen struct {
	*screenLog
	room image.Point
	mu   sync.Mutex
	last *image.RGBA
}

func (s *paneScreen) PaneSize(alpr.CameraID) image.Point { return s.room }

func (s *paneScreen) ShowFrame(_ alpr.CameraID, img image.Image, _ []image.Rectangle, _ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rgba := img.(*image.RGBA)
	if s.last == nil || s.last.Rect != rgba.Rect {
		s.last = image.NewRGBA(rgba.Rect)
	}
	copy(s.last.Pix, rgba.Pix)
}

// hdFrame is a 1280x720 BGR frame of one colour.
func hdFrame(tb testing.TB, b, g, r float64) camera.Frame {
	tb.Helper()
	m := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(b, g, r, 0), 720, 1280, gocv.MatTypeCV8UC3)
	tb.Cleanup(func() { m.Close() })
	return camera.Frame{Camera: alpr.Cam1, Img: m}
}

type oneFeed struct{ id alpr.CameraID }

func (f oneFeed) ID() alpr.CameraID { return f.id }
func (f oneFeed) Next(ctx context.Context) (camera.Frame, error) {
	<-ctx.Done()
	return camera.Frame{}, ctx.Err()
}
func (f oneFeed) Health() camera.Health { return camera.Health{} }

// TestShowScalesToThePaneAndReusesItsBuffers: the display side hands the pane a picture of
// the pane's pixels, in RGBA with the frame's colours, and after the first frame allocates
// no picture a frame (the pane copies what it is handed).
func TestShowScalesToThePaneAndReusesItsBuffers(t *testing.T) {
	sc := &paneScreen{screenLog: newScreenLog(), room: image.Pt(339, 284)}
	e := &Engine{Screen: sc}
	l := e.newLoop(oneFeed{alpr.Cam1}, nil)
	defer l.pane.Close()
	defer l.rgba.Close()
	f := hdFrame(t, 30, 60, 90) // BGR
	at := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	f.At = at
	l.show(f)
	if sc.last == nil || sc.last.Rect.Size() != image.Pt(339, 191) {
		t.Fatalf("pane picture %v, want 339x191 (the room, at the frame's shape)", sc.last.Bounds())
	}
	if got := sc.last.RGBAAt(100, 100); got.R != 90 || got.G != 60 || got.B != 30 || got.A != 255 {
		t.Errorf("pixel %v, want R 90 G 60 B 30 A 255", got)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	const frames = 30
	for i := range frames {
		f.At = at.Add(time.Duration(i+1) * time.Second)
		l.show(f)
	}
	runtime.ReadMemStats(&after)
	// The pane's picture is 259 KB; a frame may allocate only its small change.
	if per := (after.TotalAlloc - before.TotalAlloc) / frames; per > 4<<10 {
		t.Errorf("%d bytes allocated a frame, want no picture (< 4 KB)", per)
	}
}

// nullReader reads nothing, counting the frames it was given.
type nullReader struct{ n *atomic.Int64 }

func (r nullReader) Read(gocv.Mat) ([]ocr.PlateRead, error) { r.n.Add(1); return nil, nil }

// TestReaderKeepsToReadFPS: however fast frames come, a camera's reader reads at most
// ReadFPS a second (an upper bound, so a slow machine cannot fail it).
func TestReaderKeepsToReadFPS(t *testing.T) {
	var n atomic.Int64
	e := &Engine{Screen: newScreenLog(), ReadFPS: 10}
	l := e.newLoop(oneFeed{alpr.Cam1}, nullReader{&n})
	defer l.pane.Close()
	defer l.rgba.Close()
	ctx, cancel := context.WithCancel(context.Background())
	work := make(chan camera.Frame, 1)
	done := make(chan struct{})
	start := time.Now()
	go func() { defer close(done); l.readFrames(ctx, work) }()
	for time.Since(start) < 500*time.Millisecond {
		m := gocv.NewMatWithSize(48, 64, gocv.MatTypeCV8UC3)
		handOver(work, camera.Frame{Camera: alpr.Cam1, At: time.Now(), Img: m})
		time.Sleep(2 * time.Millisecond) // a 500 frames/s camera
	}
	cancel()
	close(work)
	<-done
	elapsed := time.Since(start)
	if got, most := n.Load(), int64(elapsed.Seconds()*10)+1; got < 1 || got > most {
		t.Errorf("read %d frames in %v at ReadFPS 10, want 1 to %d", got, elapsed, most)
	}
}

func TestFramesHandedOverOnlyShortlyBeforeARead(t *testing.T) {
	l := (&Engine{Screen: newScreenLog()}).newLoop(oneFeed{alpr.Cam1}, nil)
	defer l.pane.Close()
	defer l.rgba.Close()
	now := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	if !l.readDue(now) {
		t.Error("before the first read: not due")
	}
	l.readAt.Store(now.Add(125 * time.Millisecond).UnixNano()) // reading at 8 a second
	for _, tc := range []struct {
		after time.Duration
		want  bool
	}{{0, false}, {24 * time.Millisecond, false}, {25 * time.Millisecond, true}, {200 * time.Millisecond, true}} {
		if got := l.readDue(now.Add(tc.after)); got != tc.want {
			t.Errorf("%v after a read due at +125 ms: due %v, want %v", tc.after, got, tc.want)
		}
	}
}

// closeDisplay frees the display side's buffers of a loop that never ran.
func closeDisplay(l *loop) {
	l.half.Close()
	l.pane.Close()
	l.rgba.Close()
}

// TestPacerShowsACameraAtTheRateAndThinsAFasterOne: frames of a camera at the display rate
// are all shown however late some come (up to a period); a faster camera is thinned to
// the rate, and a slower one loses nothing.
func TestPacerShowsACameraAtTheRateAndThinsAFasterOne(t *testing.T) {
	const fps = 15
	period := time.Second / fps
	start := time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC)
	// late(i) is how late frame i of a camera due every period comes.
	for _, tc := range []struct {
		name      string
		every     time.Duration
		late      func(i int) time.Duration
		frames    int
		wantShown int
	}{
		{"at the rate, on time", period, func(int) time.Duration { return 0 }, 150, 150},
		{"at the rate, every third frame 40 ms late", period, func(i int) time.Duration {
			return time.Duration(i%3/2) * 40 * time.Millisecond
		}, 150, 150},
		{"at the rate, late by up to 60 ms at random", period, func(i int) time.Duration {
			return time.Duration((i*7919)%61) * time.Millisecond
		}, 150, 150},
		{"twice the rate: every other frame", period / 2, func(int) time.Duration { return 0 }, 300, 151},
		{"20 a second: 15 of them", time.Second / 20, func(int) time.Duration { return 0 }, 200, 151},
		{"half the rate: all", 2 * period, func(int) time.Duration { return 0 }, 75, 75},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p pacer
			shown := 0
			for i := range tc.frames {
				if p.due(start.Add(time.Duration(i)*tc.every+tc.late(i)), fps) {
					shown++
				}
			}
			if shown != tc.wantShown {
				t.Errorf("%d of %d frames shown, want %d", shown, tc.frames, tc.wantShown)
			}
		})
	}
}
