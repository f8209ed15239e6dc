package camera

import (
	"context"
	"path/filepath"
	"testing"

	"patrol-alpr/alpr"
)

// A Camera over real OpenCV feeds: a recorded video and a folder of stills.
func TestCameraRealSources(t *testing.T) {
	dir := t.TempDir()
	video := filepath.Join(dir, "drive.avi")
	writeVideo(t, video, 4)
	stills := filepath.Join(dir, "stills")
	mkdir(t, stills)
	writeStills(t, stills, 2)
	cases := []struct {
		name string
		src  Source
		opt  Options
	}{
		{"video file", NewFile(video), Options{}},
		{"folder", NewFolder(stills), Options{FPS: 200}},
		{"synthetic", newTestSynthetic(t, 3), Options{FPS: 100}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			runCamera(t, tc.src, tc.opt, 8)
		})
	}
}

// runCamera takes n frames from a camera over src, checking each, then closes it.
func runCamera(t *testing.T, src Source, opt Options, n int) {
	t.Helper()
	cam := Start(context.Background(), alpr.Cam1, src, opt)
	defer cam.Close()
	var last uint64
	for range n {
		f, err := cam.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if f.Img.Empty() || f.Img.Channels() != 3 || f.Seq <= last || f.At.IsZero() {
			t.Errorf("frame %d: %dx%dx%d at %v after %d", f.Seq, f.Img.Cols(), f.Img.Rows(), f.Img.Channels(), f.At, last)
		}
		last = f.Seq
		f.Close()
	}
	if h := cam.Health(); h.State != OK {
		t.Errorf("health %v (%s, %v), want OK", h.State, h.Reason, h.Err)
	}
}
