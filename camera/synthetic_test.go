package camera

import (
	"context"
	"image"
	"testing"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// The synthetic camera delivers the scene's pixels as BGR, with truth quads
// inside the frame.
func TestSyntheticMatchesScene(t *testing.T) {
	src := newTestSynthetic(t, 5)
	if err := src.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ref, err := synth.NewScene(synth.SceneOptions{Width: 320, Height: 180, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	want := image.NewRGBA(ref.Bounds())
	img := gocv.NewMat()
	defer img.Close()
	sightings := 0
	for n := range 40 {
		if err := src.Read(&img); err != nil {
			t.Fatal(err)
		}
		if _, err := ref.Render(synthFrameTime(n, 10), want); err != nil {
			t.Fatal(err)
		}
		if img.Cols() != 320 || img.Rows() != 180 || img.Type() != gocv.MatTypeCV8UC3 {
			t.Fatalf("frame %d: %dx%d type %v, want 320x180 BGR", n, img.Cols(), img.Rows(), img.Type())
		}
		for _, p := range []image.Point{{10, 10}, {160, 120}, {300, 170}} {
			c := want.RGBAAt(p.X, p.Y)
			v := img.GetVecbAt(p.Y, p.X)
			if v[0] != c.B || v[1] != c.G || v[2] != c.R {
				t.Fatalf("frame %d at %v: BGR %v, scene RGBA %v", n, p, v, c)
			}
		}
		for _, tr := range src.Truth() {
			sightings++
			for _, p := range tr.Quad {
				if !p.In(image.Rect(0, 0, 320, 180)) {
					t.Errorf("frame %d: %s corner %v outside the frame", n, tr.Plate, p)
				}
			}
		}
	}
	if sightings == 0 {
		t.Error("no plate in view in 4 s of synthetic traffic")
	}
}
