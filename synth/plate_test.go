package synth

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

func TestRenderPlateColours(t *testing.T) {
	for _, sc := range Schemes() {
		t.Run(sc.Name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 1))
			st := RandomStyle(rng)
			st.Scheme, st.Width, st.Stickers = sc, 300, 0
			img := RenderPlate(rng, "8BHW888", st)
			if got := img.Bounds(); got != image.Rect(0, 0, 300, 150) {
				t.Fatalf("bounds %v, want 300×150 (2:1)", got)
			}
			if a := img.RGBAAt(0, 0).A; a != 0 {
				t.Errorf("corner pixel alpha %d, want transparent outside the rounded corner", a)
			}
			// The character band must hold both the ink and the plate colour.
			band := image.Rect(15, 45, 285, 110)
			ink := countNear(img, band, sc.Text, 40)
			if ink < band.Dx()*band.Dy()/12 {
				t.Errorf("only %d text-coloured pixels in the character band", ink)
			}
			if bg := countNear(img, band, sc.Top, 60) + countNear(img, band, sc.Bottom, 60); bg < band.Dx()*band.Dy()/6 {
				t.Errorf("only %d background pixels in the character band", bg)
			}
		})
	}
}

func TestSchemesCoverBothPolarities(t *testing.T) {
	dark, light := 0, 0
	for _, sc := range Schemes() {
		if sc.DarkOnLight() {
			dark++
		} else {
			light++
		}
	}
	if dark < 3 || light < 2 {
		t.Errorf("%d dark-on-light and %d light-on-dark schemes; the reader needs both", dark, light)
	}
}

func countNear(img *image.RGBA, r image.Rectangle, c color.RGBA, tol int) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.RGBAAt(x, y)
			if abs(int(p.R)-int(c.R)) <= tol && abs(int(p.G)-int(c.G)) <= tol && abs(int(p.B)-int(c.B)) <= tol {
				n++
			}
		}
	}
	return n
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
