package synth

import (
	"image/color"
	"math/rand/v2"
)

// Light is the kind of illumination a camera works under.
type Light int

// Lighting conditions.
const (
	Day      Light = iota
	Dusk           // low light: dark, noisy, low contrast
	Infrared       // night with an IR illuminator: grey, high contrast, bloom
)

func (l Light) String() string {
	switch l {
	case Dusk:
		return "dusk"
	case Infrared:
		return "infrared"
	default:
		return "day"
	}
}

// Conditions is how the camera sees a plate: geometry, light and faults.
type Conditions struct {
	PlateWidth  int     // plate width in pixels before rotation
	Yaw         float64 // degrees about the vertical axis (viewing from the side)
	Pitch       float64 // degrees about the horizontal axis (camera above or below)
	Roll        float64 // degrees in the image plane
	Margin      float64 // background around the plate, as a fraction of PlateWidth
	Light       Light
	Exposure    float64 // brightness gain; 1 is as drawn
	Blur        float64 // Gaussian focus blur, sigma in pixels
	Motion      float64 // horizontal motion blur, pixels
	Noise       float64 // sensor noise sigma on the 0–255 scale
	JPEGQuality int     // 0 leaves the image uncompressed
	Glare       float64 // strength of a bright spot on the plate, 0–1
	Frame       bool    // a dealer frame around the plate
	Body        color.RGBA
}

// Clean is a frontal, sharp, well-lit plate 160 px wide: a baseline for tests.
func Clean() Conditions {
	return Conditions{PlateWidth: 160, Margin: 0.2, Exposure: 1, Body: rgb(90, 96, 104)}
}

// RandomConditions draws camera conditions over the range the reader must
// handle (issue 3): plates from 80 px wide, perspective up to about 30°, blur,
// noise, compression, glare, low light and IR night images.
func RandomConditions(rng *rand.Rand) Conditions {
	c := Conditions{
		PlateWidth: 80 + rng.IntN(200),
		Yaw:        30 * (2*rng.Float64() - 1),
		Pitch:      18 * (2*rng.Float64() - 1),
		Roll:       8 * rng.NormFloat64() / 2,
		Margin:     0.05 + 0.3*rng.Float64(),
		Exposure:   0.75 + 0.5*rng.Float64(),
		Body:       bodyColours[rng.IntN(len(bodyColours))],
		Frame:      rng.IntN(3) == 0,
	}
	c.Roll = max(-12, min(12, c.Roll))
	switch p := rng.IntN(10); {
	case p < 6:
		c.Light = Day
	case p < 8:
		c.Light = Dusk
		c.Exposure = 0.3 + 0.3*rng.Float64()
	default:
		c.Light = Infrared
		c.Exposure = 0.9 + 0.3*rng.Float64()
	}
	if rng.IntN(3) > 0 {
		c.Blur = 1.6 * rng.Float64() * rng.Float64()
	}
	if rng.IntN(4) == 0 {
		c.Motion = 2 + 6*rng.Float64()
	}
	c.Noise = 2 + 8*rng.Float64()
	if c.Light == Dusk {
		c.Noise += 6
	}
	if rng.IntN(2) == 0 {
		c.JPEGQuality = 25 + rng.IntN(70)
	}
	if rng.IntN(5) == 0 {
		c.Glare = 0.3 + 0.6*rng.Float64()
	}
	return c
}

// bodyColours are common car paints: the plate sits on one of them.
var bodyColours = [...]color.RGBA{
	{235, 235, 232, 255}, {200, 202, 206, 255}, {120, 124, 130, 255}, {30, 30, 34, 255},
	{150, 20, 28, 255}, {24, 48, 110, 255}, {60, 80, 60, 255}, {190, 170, 130, 255},
}
