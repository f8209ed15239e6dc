package ocr

import (
	"image"
	"image/draw"
	"math/rand/v2"
	"testing"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// TestReadCropNamesCalifornia reads synthetic California plates edge to edge: the reader
// reads their characters, names no other state, and names California on most.
func TestReadCropNamesCalifornia(t *testing.T) {
	r := openTestReader(t)
	const n = 12
	named, right := 0, 0
	for i := range n {
		rng := rand.New(rand.NewPCG(uint64(i), 21))
		st := synth.RandomStyle(rng)
		st.Scheme, st.State, st.StateName, st.Frame = synth.California, "CA", "California", nil
		cond := synth.Clean()
		cond.PlateWidth = 200
		text := "7ABC" + string(rune('0'+i%10)) + "23"
		m := plateCrop(t, rng, text, st, cond)
		rd, err := r.ReadCrop(m)
		m.Close()
		if err != nil {
			t.Fatal(err)
		}
		rd.Crop.Close()
		if rd.Plate == text {
			right++
		}
		switch rd.State {
		case "CA":
			named++
		case "":
		default:
			t.Errorf("plate %d: state %s (%.2f), want CA or none", i, rd.State, rd.StateConfidence)
		}
	}
	t.Logf("%d of %d read right, California named on %d", right, n, named)
	if right < n*3/4 || named < n/2 {
		t.Errorf("%d of %d read right and %d named California, want 3/4 and half at least", right, n, named)
	}
}

// BenchmarkNameState is the state classifier's cost for one read's crop (the reader runs it
// once per plate read, after the phantom filter).
func BenchmarkNameState(b *testing.B) {
	r := openTestReader(b)
	crop := gocv.NewMatWithSize(2*cropH, 2*cropW, gocv.MatTypeCV8UC3)
	defer crop.Close()
	b.ResetTimer()
	for range b.N {
		p, err := r.states.scores(crop)
		if err != nil {
			b.Fatal(err)
		}
		r.states.nameFrom(p, "7ABC123")
	}
}

// plateCrop renders text on a synthetic plate and cuts the plate out edge to edge, as a
// labelled crop is.
func plateCrop(t *testing.T, rng *rand.Rand, text string, st synth.Style, cond synth.Conditions) gocv.Mat {
	t.Helper()
	s, err := synth.RenderSample(rng, text, st, cond)
	if err != nil {
		t.Fatal(err)
	}
	b := bounds(s.Quad)
	plate := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(plate, plate.Bounds(), s.Image, b.Min, draw.Src)
	m, err := gocv.ImageToMatRGB(plate)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
