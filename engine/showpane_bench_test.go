package engine

import (
	"image"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
)

// keptScreen keeps a reference to the last picture, as the app did before it copied
// pictures: the copy is the app's work, measured in app's BenchmarkShowFrame.
type keptScreen struct {
	*screenLog
	mu   sync.Mutex
	last image.Image
}

func (s *keptScreen) PaneSize(alpr.CameraID) image.Point { return image.Pt(339, 284) }

func (s *keptScreen) ShowFrame(_ alpr.CameraID, img image.Image, _ []image.Rectangle, _ string) {
	s.mu.Lock()
	s.last = img
	s.mu.Unlock()
}

// BenchmarkShowPane is the display side's work per frame: a 1280x720 camera frame scaled
// for a pane of the car's 1024x768 window (339x284 pixels of room) and handed to the
// screen. With -benchmem it shows the picture no longer allocated a frame.
func BenchmarkShowPane(b *testing.B) {
	e := &Engine{Screen: &keptScreen{screenLog: newScreenLog()}}
	l := e.newLoop(oneFeed{alpr.Cam1}, nil)
	defer closeDisplay(l)
	f := hdFrame(b, 30, 60, 90)
	at := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	i := 0
	for b.Loop() {
		i++
		f.At = at.Add(time.Duration(i) * time.Second)
		l.show(f)
	}
}
