package synth

import (
	"image"
	"math/rand/v2"
	"testing"
)

func TestRenderPlateInFrame(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	st := RandomStyle(rng)
	st.Scheme, st.Width, st.Stickers = WhiteBlack, 300, 0
	st.Frame = &Frame{Colour: rgb(18, 18, 20), Lettering: rgb(235, 235, 235), Top: "MOTORS", Bottom: "AUTO MALL",
		TopDepth: 0.15, BottomDepth: 0.3}
	img := RenderPlate(rng, "4KXM219", st)
	bands := []struct {
		name string
		r    image.Rectangle
	}{
		{"top band", image.Rect(10, 2, 290, 20)},
		{"bottom band", image.Rect(10, 110, 290, 147)},
		{"left side", image.Rect(1, 30, 7, 100)},
	}
	for _, b := range bands {
		// Mostly frame colour; the lettering takes the rest.
		if n := countNear(img, b.r, st.Frame.Colour, 30); n < b.r.Dx()*b.r.Dy()/2 {
			t.Errorf("%s: %d of %d pixels in the frame's colour", b.name, n, b.r.Dx()*b.r.Dy())
		}
	}
	if n := countNear(img, image.Rect(10, 110, 290, 147), st.Frame.Lettering, 40); n == 0 {
		t.Error("the bottom band carries no lettering")
	}
	// The band rides over the characters' feet, but their tops still show.
	if ink := countNear(img, image.Rect(15, 45, 285, 100), WhiteBlack.Text, 40); ink < 270*55/12 {
		t.Errorf("only %d text-coloured pixels above the bottom band", ink)
	}
}
