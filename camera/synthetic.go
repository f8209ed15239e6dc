package camera

import (
	"context"
	"fmt"
	"image"
	"sync"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// Synthetic is a Source that films a synth.Scene: the built-in road used by
// tests and classroom mode. Frame n shows the scene at n/FPS seconds, so the
// picture does not depend on how fast frames are taken.
type Synthetic struct {
	scene *synth.Scene
	fps   float64

	mu     sync.Mutex
	rgba   *image.RGBA
	n      int
	truths []synth.Truth
	open   bool
}

// NewSynthetic films scene at fps frames per scene-second (15 when fps <= 0).
func NewSynthetic(scene *synth.Scene, fps float64) *Synthetic {
	if fps <= 0 {
		fps = 15
	}
	return &Synthetic{scene: scene, fps: fps}
}

// Scene is the scene being filmed; the trainer enqueues plates on it.
func (s *Synthetic) Scene() *synth.Scene { return s.scene }

// Open starts filming (again from where it stopped: the road goes on).
func (s *Synthetic) Open(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("open synthetic camera: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rgba == nil {
		s.rgba = image.NewRGBA(s.scene.Bounds())
	}
	s.open = true
	return nil
}

// Read renders the next frame into dst as BGR.
func (s *Synthetic) Read(dst *gocv.Mat) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.open {
		return fmt.Errorf("read synthetic camera: %w", ErrNotOpen)
	}
	truths, err := s.scene.Render(synthFrameTime(s.n, s.fps), s.rgba)
	if err != nil {
		return fmt.Errorf("read synthetic camera: %w", err)
	}
	s.n++
	s.truths = truths
	b := s.rgba.Bounds()
	// The Mat borrows the Go pixels; CvtColor copies them out before they change.
	src, err := gocv.NewMatFromBytes(b.Dy(), b.Dx(), gocv.MatTypeCV8UC4, s.rgba.Pix)
	if err != nil {
		return fmt.Errorf("read synthetic camera: %w", err)
	}
	defer src.Close()
	gocv.CvtColor(src, dst, gocv.ColorRGBAToBGR)
	return nil
}

// Truth is where the plates were in the frame Read returned last.
func (s *Synthetic) Truth() []synth.Truth {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]synth.Truth(nil), s.truths...)
}

// Close stops filming.
func (s *Synthetic) Close() error {
	s.mu.Lock()
	s.open = false
	s.mu.Unlock()
	return nil
}

// synthFrameTime is when in the scene frame n of a fps-paced camera is.
func synthFrameTime(n int, fps float64) time.Duration {
	return time.Duration(float64(n) / fps * float64(time.Second))
}
