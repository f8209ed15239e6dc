package camera

import (
	"context"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// writeVideo records n frames of the synthetic road into an MJPEG AVI.
func writeVideo(t *testing.T, path string, n int) {
	t.Helper()
	src := newTestSynthetic(t, 1)
	if err := src.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	w, err := gocv.VideoWriterFile(path, "MJPG", 10, 320, 180, true)
	if err != nil {
		t.Fatalf("video writer: %v", err)
	}
	defer w.Close()
	img := gocv.NewMat()
	defer img.Close()
	for range n {
		if err := src.Read(&img); err != nil {
			t.Fatal(err)
		}
		if err := w.Write(img); err != nil {
			t.Fatal(err)
		}
	}
}

func newTestSynthetic(t *testing.T, seed int64) *Synthetic {
	t.Helper()
	scene, err := synth.NewScene(synth.SceneOptions{Width: 320, Height: 180, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return NewSynthetic(scene, 10)
}

func TestFileReadsAndLoops(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drive.avi")
	writeVideo(t, path, 5)
	src := NewFile(path)
	if err := src.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	img := gocv.NewMat()
	defer img.Close()
	// Twice round the five-frame file: the end rewinds to the start.
	for i := range 10 {
		if err := src.Read(&img); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if img.Cols() != 320 || img.Rows() != 180 || img.Channels() != 3 {
			t.Fatalf("frame %d is %dx%dx%d, want 320x180 BGR", i, img.Cols(), img.Rows(), img.Channels())
		}
	}
}

func TestCaptureBadInput(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.mp4")
	junk := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range junk {
		junk[i] = byte(rng.UintN(256))
	}
	if err := os.WriteFile(corrupt, junk, 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.avi")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		src  *Capture
		want error
	}{
		{"corrupt video", NewFile(corrupt), ErrCannotOpen},
		{"empty video", NewFile(empty), ErrCannotOpen},
		{"missing video", NewFile(filepath.Join(dir, "gone.mp4")), fs.ErrNotExist},
		{"missing device", NewDevice("/dev/video-not-here"), fs.ErrNotExist},
		{"stream nobody serves", NewURL("http://127.0.0.1:1/cam.mjpg"), ErrCannotOpen},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.src.Open(context.Background())
			if err == nil {
				// Some containers open and only fail on the first frame.
				img := gocv.NewMat()
				err = tc.src.Read(&img)
				img.Close()
				tc.src.Close()
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func TestReadBeforeOpen(t *testing.T) {
	img := gocv.NewMat()
	defer img.Close()
	for name, src := range map[string]Source{
		"file":      NewFile("x.avi"),
		"folder":    NewFolder("."),
		"synthetic": newTestSynthetic(t, 1),
	} {
		if err := src.Read(&img); !errors.Is(err, ErrNotOpen) {
			t.Errorf("%s: Read before Open: %v, want ErrNotOpen", name, err)
		}
	}
}

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"rtsp://admin:secret@10.0.0.5/stream1", "rtsp://admin:***@10.0.0.5/stream1"},
		{"rtsp://10.0.0.5/stream1", "rtsp://10.0.0.5/stream1"},
		{"http://user@cam/x", "http://user@cam/x"},
	}
	for _, tc := range cases {
		if got := redact(tc.in); got != tc.want {
			t.Errorf("redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
