package synth

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand/v2"
)

// The filters below work in place on opaque *image.RGBA images; they are the
// camera's faults (focus, motion, sensor noise, compression, glare) that a
// reader meets on the road.

// gaussianBlur blurs img with a separable Gaussian of the given sigma in pixels.
func gaussianBlur(img *image.RGBA, sigma float64) {
	if sigma < 0.3 {
		return
	}
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := -r; i <= r; i++ {
		k[i+r] = math.Exp(-float64(i*i) / (2 * sigma * sigma))
		sum += k[i+r]
	}
	for i := range k {
		k[i] /= sum
	}
	convolve(img, k, true)
	convolve(img, k, false)
}

// motionBlur smears img horizontally over length pixels, as a plate crossing
// the frame during the exposure does.
func motionBlur(img *image.RGBA, length float64) {
	n := int(math.Round(length))
	if n < 2 {
		return
	}
	k := make([]float64, n|1) // odd so the blur stays centred
	for i := range k {
		k[i] = 1 / float64(len(k))
	}
	convolve(img, k, true)
}

// convolve applies the 1-D kernel k along rows (horizontal) or columns,
// repeating the edge pixels beyond the border.
func convolve(img *image.RGBA, k []float64, horizontal bool) {
	b := img.Bounds()
	r := len(k) / 2
	n, lines := b.Dx(), b.Dy()
	step, lineStep := 4, img.Stride
	if !horizontal {
		n, lines = b.Dy(), b.Dx()
		step, lineStep = img.Stride, 4
	}
	kf := make([]float32, len(k))
	for i, v := range k {
		kf[i] = float32(v)
	}
	// One padded line of pixels, four float32 channels each.
	buf := make([]float32, (n+2*r)*4)
	base := img.PixOffset(b.Min.X, b.Min.Y)
	for l := 0; l < lines; l++ {
		o := base + l*lineStep
		for i := -r; i < n+r; i++ {
			p := o + min(max(i, 0), n-1)*step
			d := (i + r) * 4
			buf[d], buf[d+1], buf[d+2], buf[d+3] = float32(img.Pix[p]), float32(img.Pix[p+1]), float32(img.Pix[p+2]), float32(img.Pix[p+3])
		}
		for i := 0; i < n; i++ {
			var a0, a1, a2, a3 float32
			win := buf[i*4 : (i+len(kf))*4]
			for j, kv := range kf {
				a0 += kv * win[j*4]
				a1 += kv * win[j*4+1]
				a2 += kv * win[j*4+2]
				a3 += kv * win[j*4+3]
			}
			p := o + i*step
			img.Pix[p], img.Pix[p+1], img.Pix[p+2], img.Pix[p+3] = u8(a0), u8(a1), u8(a2), u8(a3)
		}
	}
}

// u8 rounds a non-negative channel value to a byte, saturating at 255.
func u8(v float32) uint8 {
	if v >= 254.5 {
		return 255
	}
	return uint8(v + 0.5)
}

// addNoise adds Gaussian sensor noise of the given sigma (0–255 scale); mono
// noise is the same on all channels, as on a grey IR sensor.
func addNoise(rng *rand.Rand, img *image.RGBA, sigma float64, mono bool) {
	if sigma <= 0 {
		return
	}
	for i := 0; i < len(img.Pix); i += 4 {
		n := rng.NormFloat64() * sigma
		for ch := 0; ch < 3; ch++ {
			if !mono && ch > 0 {
				n = rng.NormFloat64() * sigma
			}
			img.Pix[i+ch] = clampByte(float64(img.Pix[i+ch]) + n)
		}
	}
}

// scaleLight multiplies brightness by gain and applies gamma (v' = 255 (v/255)^gamma).
func scaleLight(img *image.RGBA, gain, gamma float64) {
	var lut [256]uint8
	for v := range lut {
		lut[v] = clampByte(255 * math.Pow(float64(v)/255, gamma) * gain)
	}
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = lut[img.Pix[i]], lut[img.Pix[i+1]], lut[img.Pix[i+2]]
	}
}

// toInfrared turns img into what a near-IR camera with its own illuminator
// sees: grey, and stretched so the retroreflective plate glows against dark
// surroundings while the ink stays dark.
func toInfrared(img *image.RGBA, contrast float64) {
	for i := 0; i < len(img.Pix); i += 4 {
		a := float64(img.Pix[i+3])
		if a == 0 {
			continue
		}
		// Un-premultiply, take luma, stretch around mid-grey, re-premultiply.
		r, g, b := float64(img.Pix[i])*255/a, float64(img.Pix[i+1])*255/a, float64(img.Pix[i+2])*255/a
		y := 0.299*r + 0.587*g + 0.114*b
		y = 128 + (y-128)*contrast
		v := clampByte(y * a / 255)
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = v, v, v
	}
}

// bloom adds a blurred copy of everything brighter than threshold, the halo
// an over-exposed plate throws at night.
func bloom(img *image.RGBA, threshold, sigma, strength float64) {
	bright := image.NewRGBA(img.Bounds())
	for i := 0; i < len(img.Pix); i += 4 {
		for ch := 0; ch < 3; ch++ {
			bright.Pix[i+ch] = clampByte(float64(img.Pix[i+ch]) - threshold)
		}
		bright.Pix[i+3] = 255
	}
	gaussianBlur(bright, sigma)
	for i := 0; i < len(img.Pix); i += 4 {
		for ch := 0; ch < 3; ch++ {
			img.Pix[i+ch] = clampByte(float64(img.Pix[i+ch]) + strength*float64(bright.Pix[i+ch]))
		}
	}
}

// glare brightens an elliptical spot centred at c (sun or headlight on the
// plate's film) by up to strength×255, screen-blended so it never clips hard.
func glare(img *image.RGBA, c pt, rx, ry, strength float64) {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		dy := (float64(y) + 0.5 - c.Y) / ry
		for x := b.Min.X; x < b.Max.X; x++ {
			dx := (float64(x) + 0.5 - c.X) / rx
			g := strength * math.Exp(-2*(dx*dx+dy*dy))
			if g < 0.004 {
				continue
			}
			o := img.PixOffset(x, y)
			for ch := 0; ch < 3; ch++ {
				v := float64(img.Pix[o+ch]) / 255
				img.Pix[o+ch] = clampByte(255 * (1 - (1-v)*(1-g)))
			}
		}
	}
}

// jpegRoundTrip compresses img at quality and decodes it back, leaving the
// block artefacts a network camera's stream carries.
func jpegRoundTrip(img *image.RGBA, quality int) error {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return fmt.Errorf("jpeg encode: %w", err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		return fmt.Errorf("jpeg decode: %w", err)
	}
	draw.Draw(img, img.Bounds(), dec, dec.Bounds().Min, draw.Src)
	return nil
}

func clampByte(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}
