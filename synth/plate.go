package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"golang.org/x/image/draw"
)

// RenderPlate draws a flat, frontal plate printing text in style st: rounded
// corners (transparent outside), background, optional rim, bolts and stickers,
// the state name on top, the characters, and the caption underneath. rng only
// varies small details (sticker colours, bolt positions); the layout follows st.
func RenderPlate(rng *rand.Rand, text string, st Style) *image.RGBA {
	w := st.Width
	if w <= 0 {
		w = DefaultWidth
	}
	h := w / 2
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fw, fh := float64(w), float64(h)
	sc := st.Scheme

	fillPlate(img, sc.Top, sc.Bottom, 0.045*fw)
	if st.Rim {
		strokeRect(img, 0.018*fw, math.Max(1, 0.008*fw), sc.Text)
	}
	if st.Bolts {
		hole := shade(sc.Top, 0.45)
		dy := 0.02 * fh * (rng.Float64() - 0.5)
		for _, p := range [...][2]float64{{0.21, 0.1}, {0.79, 0.1}, {0.21, 0.9}, {0.79, 0.9}} {
			fillEllipse(img, p[0]*fw, p[1]*fh+dy, 0.02*fw, 0.02*fw, hole)
		}
	}
	for i := 0; i < st.Stickers; i++ {
		x0 := 0.04 * fw
		if i == 1 {
			x0 = 0.85 * fw
		}
		stickerColours := [...]color.RGBA{rgb(220, 40, 60), rgb(40, 120, 200), rgb(250, 200, 40), rgb(60, 170, 90), rgb(240, 120, 30)}
		fillRect(img, image.Rect(int(x0), int(0.05*fh), int(x0+0.11*fw), int(0.2*fh)), stickerColours[rng.IntN(len(stickerColours))])
	}

	font := st.Font
	if font == nil {
		font = builtinFonts()[0]
	}
	if st.StateFont != nil && st.StateName != "" {
		drawText(img, st.StateFont, st.StateName, sc.StateName,
			rectF(0.2*fw, 0.04*fh, 0.8*fw, 0.2*fh), 1)
	}
	condense := st.Condense
	if condense <= 0 {
		condense = 1
	}
	chars := rectF(0.05*fw, 0.27*fh, 0.95*fw, 0.77*fh)
	if st.Marks != nil {
		drawMarked(img, font, text, sc.Text, chars, condense, st.Marks)
	} else {
		drawText(img, font, text, sc.Text, chars, condense)
	}
	if st.Caption != "" {
		drawText(img, builtinFonts()[0], st.Caption, sc.Caption, rectF(0.22*fw, 0.82*fh, 0.78*fw, 0.93*fh), 0.9)
	}
	if st.Frame != nil {
		st.Frame.draw(img)
	}
	return img
}

// drawText scales the ink of s to the height of box (narrowed by condense, and
// further if it would not fit the width), centres it and paints it in c.
func drawText(dst *image.RGBA, f *Font, s string, c color.RGBA, box image.Rectangle, condense float64) {
	// Rasterise at about twice the target size: enough detail for a clean
	// down-scale without paying for a huge mask.
	mask := textMask(f, s, math.Max(24, 2.2*float64(box.Dy())))
	mb := mask.Bounds()
	hgt := box.Dy()
	wid := int(math.Round(float64(mb.Dx()) * float64(hgt) / float64(mb.Dy()) * condense))
	if wid > box.Dx() {
		wid = box.Dx()
	}
	if wid < 1 || hgt < 1 {
		return
	}
	x0 := box.Min.X + (box.Dx()-wid)/2
	paintInk(dst, mask, image.Rect(x0, box.Min.Y, x0+wid, box.Min.Y+hgt), c)
}

// paintInk scales the ink mask to fill r and paints it in c.
func paintInk(dst *image.RGBA, mask *image.Alpha, r image.Rectangle, c color.RGBA) {
	scaled := image.NewAlpha(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.CatmullRom.Scale(scaled, scaled.Bounds(), mask, mask.Bounds(), draw.Src, nil)
	draw.DrawMask(dst, r, image.NewUniform(c), image.Point{}, scaled, image.Point{}, draw.Over)
}

// fillPlate paints the plate's body with a vertical gradient and anti-aliased
// rounded corners; outside the corners stays transparent.
func fillPlate(img *image.RGBA, top, bottom color.RGBA, radius float64) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	for y := 0; y < b.Dy(); y++ {
		c := lerpRGBA(top, bottom, float64(y)/math.Max(1, h-1))
		for x := 0; x < b.Dx(); x++ {
			cov := cornerCoverage(float64(x)+0.5, float64(y)+0.5, w, h, radius)
			if cov <= 0 {
				continue
			}
			i := img.PixOffset(x, y)
			a := cov
			img.Pix[i+0] = uint8(float64(c.R)*a + 0.5)
			img.Pix[i+1] = uint8(float64(c.G)*a + 0.5)
			img.Pix[i+2] = uint8(float64(c.B)*a + 0.5)
			img.Pix[i+3] = uint8(255*a + 0.5)
		}
	}
}

// cornerCoverage is how much of the pixel centred at (x, y) lies inside a
// w×h rectangle with corners rounded to radius r.
func cornerCoverage(x, y, w, h, r float64) float64 {
	cx := math.Min(math.Max(x, r), w-r)
	cy := math.Min(math.Max(y, r), h-r)
	d := math.Hypot(x-cx, y-cy)
	return clamp01(r - d + 0.5)
}

func strokeRect(img *image.RGBA, inset, width float64, c color.RGBA) {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	fillRect(img, rectF(inset, inset, w-inset, inset+width), c)
	fillRect(img, rectF(inset, h-inset-width, w-inset, h-inset), c)
	fillRect(img, rectF(inset, inset, inset+width, h-inset), c)
	fillRect(img, rectF(w-inset-width, inset, w-inset, h-inset), c)
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r.Intersect(img.Bounds()), image.NewUniform(c), image.Point{}, draw.Over)
}

// fillEllipse paints an anti-aliased ellipse centred at (cx, cy).
func fillEllipse(img *image.RGBA, cx, cy, rx, ry float64, c color.RGBA) {
	r := rectF(cx-rx-1, cy-ry-1, cx+rx+2, cy+ry+2).Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
			d := (math.Sqrt(dx*dx+dy*dy) - 1) * math.Min(rx, ry)
			blendPixel(img, x, y, c, clamp01(0.5-d))
		}
	}
}

// blendPixel composites c with coverage a over the pixel at (x, y).
func blendPixel(img *image.RGBA, x, y int, c color.RGBA, a float64) {
	if a <= 0 {
		return
	}
	i := img.PixOffset(x, y)
	p := img.Pix[i : i+4 : i+4]
	p[0] = uint8(float64(p[0])*(1-a) + float64(c.R)*a + 0.5)
	p[1] = uint8(float64(p[1])*(1-a) + float64(c.G)*a + 0.5)
	p[2] = uint8(float64(p[2])*(1-a) + float64(c.B)*a + 0.5)
	p[3] = uint8(float64(p[3])*(1-a) + 255*a + 0.5)
}

func rectF(x0, y0, x1, y1 float64) image.Rectangle {
	return image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x1)), int(math.Round(y1)))
}

func lerpRGBA(a, b color.RGBA, t float64) color.RGBA {
	l := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), l(a.A, b.A)}
}

// shade darkens (k < 1) or lightens (k > 1) a colour.
func shade(c color.RGBA, k float64) color.RGBA {
	s := func(v uint8) uint8 { return uint8(math.Min(255, float64(v)*k)) }
	return color.RGBA{s(c.R), s(c.G), s(c.B), c.A}
}

func clamp01(v float64) float64 { return math.Min(1, math.Max(0, v)) }
