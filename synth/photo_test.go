package synth

import (
	"bytes"
	"image"
	"testing"
)

func TestHardPhoto(t *testing.T) {
	size := image.Pt(1280, 720)
	seen := map[string]bool{}
	clocks, signs := 0, 0
	for i := 0; i < 2*len(HardCases); i++ {
		ph, err := HardPhoto(7, i, size, nil)
		if err != nil {
			t.Fatalf("photo %d: %v", i, err)
		}
		seen[ph.Case] = true
		if ph.Image.Bounds().Size() != size {
			t.Fatalf("photo %d is %v, want %v", i, ph.Image.Bounds().Size(), size)
		}
		plate := quadBoundsPoints(ph.Truth.Quad)
		if !plate.In(ph.Image.Bounds()) || ph.Truth.Plate == "" || ph.Truth.State == "" {
			t.Errorf("photo %d: truth %+v out of the frame or unlabelled", i, ph.Truth)
		}
		if ph.Case == "small" {
			// Characters are about 0.22 of the plate's width high: 15-20 px.
			if w := ph.Conditions.PlateWidth; w < 68 || w > 90 {
				t.Errorf("small photo %d: plate %d px wide, want 68-90", i, w)
			}
		}
		for _, p := range ph.Phantoms {
			if p.Box.Overlaps(plate) || p.Text == "" {
				t.Errorf("photo %d: phantom %+v over the plate %v", i, p, plate)
			}
			switch p.Kind {
			case "clock":
				clocks++
			case "sign":
				signs++
			default:
				t.Errorf("photo %d: phantom of kind %q", i, p.Kind)
			}
		}
		again, err := HardPhoto(7, i, size, nil)
		if err != nil || !bytes.Equal(again.Image.Pix, ph.Image.Pix) {
			t.Fatalf("photo %d drawn twice differs (err %v)", i, err)
		}
	}
	if len(seen) != len(HardCases) {
		t.Errorf("cases seen %v, want all of %v", seen, HardCases)
	}
	if clocks == 0 || signs == 0 {
		t.Errorf("%d clocks and %d signs over %d photos, want some of each", clocks, signs, 2*len(HardCases))
	}
}
