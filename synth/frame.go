package synth

import (
	"image"
	"image/color"
	"math/rand/v2"
)

// Frame is a dealer's plate frame: a band across the top and a deeper one
// across the bottom, lettered with the dealer's name, and thin sides. The
// bottom band often rides up over the characters' feet, and the top one
// hides the state name: both common on real cars, and hard for a reader
// that has only seen bare plates.
type Frame struct {
	Colour, Lettering color.RGBA
	Top, Bottom       string  // the dealer's lettering; "" for a plain band
	TopDepth          float64 // share of the plate's height the top band covers
	BottomDepth       float64 // the bottom band's, from the bottom edge up
}

// dealerNames are made-up dealers' lettering for frames.
var dealerNames = [...]string{"AUTO MALL", "MOTORS", "HONDA", "TOYOTA", "FORD", "CHEVROLET", "NISSAN",
	"AUTO GROUP", "CAR CENTER", "AUTOPLEX", "DODGE", "SUBARU", "MAZDA", "KIA", "AUTO SALES"}

// RandomFrame is a dealer frame: black or chrome, lettered or plain, its
// bottom band reaching up to the characters' feet or over them a little.
func RandomFrame(rng *rand.Rand) *Frame {
	f := &Frame{
		Colour:      rgb(18, 18, 20),
		Lettering:   rgb(235, 235, 235),
		TopDepth:    0.12 + 0.08*rng.Float64(),
		BottomDepth: 0.16 + 0.12*rng.Float64(), // the characters end at 0.77 of the height
	}
	if rng.IntN(4) == 0 { // chrome with dark lettering
		f.Colour, f.Lettering = rgb(190, 192, 196), rgb(30, 30, 34)
	}
	if rng.IntN(3) > 0 {
		f.Top = dealerNames[rng.IntN(len(dealerNames))]
	}
	if rng.IntN(3) > 0 {
		f.Bottom = dealerNames[rng.IntN(len(dealerNames))]
	}
	return f
}

// draw paints the frame over a plate w×h drawn in img.
func (f *Frame) draw(img *image.RGBA) {
	b := img.Bounds()
	fw, fh := float64(b.Dx()), float64(b.Dy())
	side := 0.025 * fw
	top, bottom := f.TopDepth*fh, fh-f.BottomDepth*fh
	fillRect(img, rectF(0, 0, fw, top), f.Colour)
	fillRect(img, rectF(0, bottom, fw, fh), f.Colour)
	fillRect(img, rectF(0, 0, side, fh), f.Colour)
	fillRect(img, rectF(fw-side, 0, fw, fh), f.Colour)
	letters := builtinFonts()[0]
	if f.Top != "" {
		drawText(img, letters, f.Top, f.Lettering, rectF(0.2*fw, 0.2*top, 0.8*fw, 0.85*top), 1)
	}
	if f.Bottom != "" {
		depth := fh - bottom
		drawText(img, letters, f.Bottom, f.Lettering, rectF(0.12*fw, bottom+0.2*depth, 0.88*fw, fh-0.15*depth), 1)
	}
}
