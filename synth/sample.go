package synth

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"patrol-alpr/alpr"
)

// Sample is one rendered plate crop with its ground truth.
type Sample struct {
	Image   *image.RGBA
	Plate   string // the label: alpr.NormalizePlate(Printed)
	Printed string // as drawn, with any gap or dash
	State   string // issuing state's two-letter code
	// Quad is the plate's corners in Image: top-left, top-right, bottom-right,
	// bottom-left as seen on the plate.
	Quad       [4]image.Point
	Style      Style
	Conditions Conditions
}

// RandomSample draws a plate text, style and conditions from rng and renders them.
func RandomSample(rng *rand.Rand) (Sample, error) {
	text := RandomPlateText(rng)
	st := RandomStyle(rng)
	return RenderSample(rng, text, st, RandomConditions(rng))
}

// RenderSample renders the plate printing text in style st as a camera under
// cond sees it: set in a patch of the car's body, rotated in 3-D, lit and
// degraded. st.Width is chosen here to suit cond.PlateWidth.
func RenderSample(rng *rand.Rand, text string, st Style, cond Conditions) (Sample, error) {
	if cond.PlateWidth < 8 {
		return Sample{}, fmt.Errorf("render sample %q: plate width %d px is too small", text, cond.PlateWidth)
	}
	// Draw the flat plate at about 1.5× its final size so the warp
	// down-samples rather than magnifies.
	st.Width = min(max(cond.PlateWidth*3/2, 120), 480)
	flat := RenderPlate(rng, text, st)
	if cond.Light == Infrared {
		toInfrared(flat, 1.6)
	}
	asm, plateRect := mountPlate(rng, flat, cond.Frame)

	proj := projectPlate(asm, plateRect, cond.PlateWidth, cond.Yaw, cond.Pitch, cond.Roll)

	// The crop is the rotated assembly's bounds plus a margin, shifted a little
	// at random so the plate is not always centred.
	bounds := quadBounds(proj[:4])
	m := int(cond.Margin * float64(cond.PlateWidth))
	jx, jy := 0, 0
	if m > 1 {
		jx, jy = rng.IntN(m)-m/2, rng.IntN(m)-m/2
	}
	off := pt{float64(m - bounds.Min.X + jx), float64(m - bounds.Min.Y + jy)}
	size := image.Rect(0, 0, bounds.Dx()+2*m, bounds.Dy()+2*m)
	for i := range proj {
		proj[i] = pt{proj[i].X + off.X, proj[i].Y + off.Y}
	}

	img := image.NewRGBA(size)
	body := cond.Body
	if body.A == 0 {
		body = bodyColours[0]
	}
	paintBody(rng, img, body, cond.Light == Infrared)

	if err := warpAssembly(img, asm, proj[:4]); err != nil {
		return Sample{}, fmt.Errorf("render sample %q: %w (yaw %.0f°, pitch %.0f°)", text, err, cond.Yaw, cond.Pitch)
	}
	plateQuad := proj[4:]

	if err := degrade(rng, img, plateQuad, cond); err != nil {
		return Sample{}, fmt.Errorf("render sample %q: %w", text, err)
	}
	return Sample{
		Image:      img,
		Plate:      alpr.NormalizePlate(text),
		Printed:    text,
		State:      st.State,
		Quad:       toPoints(plateQuad),
		Style:      st,
		Conditions: cond,
	}, nil
}

// projectPlate rotates the mounted plate asm (the plate itself at plateRect)
// about the plate's centre and scales it so the plate is width pixels wide. It
// returns the board's corners then the plate's corners (TL, TR, BR, BL each),
// relative to the plate's centre.
func projectPlate(asm *image.RGBA, plateRect image.Rectangle, width int, yaw, pitch, roll float64) []pt {
	fw := float64(plateRect.Dx())
	cx, cy := float64(plateRect.Min.X)+fw/2, float64(plateRect.Min.Y)+float64(plateRect.Dy())/2
	corners := func(r image.Rectangle) []pt {
		return []pt{
			{float64(r.Min.X) - cx, float64(r.Min.Y) - cy}, {float64(r.Max.X) - cx, float64(r.Min.Y) - cy},
			{float64(r.Max.X) - cx, float64(r.Max.Y) - cy}, {float64(r.Min.X) - cx, float64(r.Max.Y) - cy},
		}
	}
	proj := rotatedQuad(fw, yaw, pitch, roll, 2.5, append(corners(asm.Bounds()), corners(plateRect)...))
	k := float64(width) / fw
	for i := range proj {
		proj[i] = pt{proj[i].X * k, proj[i].Y * k}
	}
	return proj
}

// errDegenerate reports a perspective that folds the plate onto a line.
var errDegenerate = errors.New("degenerate perspective")

// warpAssembly draws asm onto dst so that its corners land on quad.
func warpAssembly(dst, asm *image.RGBA, quad []pt) error {
	ab := asm.Bounds()
	srcQuad := [4]pt{{0, 0}, {float64(ab.Dx()), 0}, {float64(ab.Dx()), float64(ab.Dy())}, {0, float64(ab.Dy())}}
	inv, ok := homographyFromQuads([4]pt(quad), srcQuad)
	if !ok {
		return errDegenerate
	}
	warpOver(dst, asm, inv, quadBounds(quad).Inset(-1))
	return nil
}

// mountPlate puts the plate on a transparent board with room around it and,
// when frame is set, a dealer frame, returning the board and where the plate
// lies on it.
func mountPlate(rng *rand.Rand, flat *image.RGBA, frame bool) (*image.RGBA, image.Rectangle) {
	w, h := flat.Bounds().Dx(), flat.Bounds().Dy()
	pad := w / 14
	asm := image.NewRGBA(image.Rect(0, 0, w+2*pad, h+2*pad+pad/2))
	plate := image.Rect(pad, pad, pad+w, pad+h)
	if frame {
		frameColours := [...]color.RGBA{rgb(18, 18, 20), rgb(170, 172, 176), rgb(40, 40, 44)}
		c := frameColours[rng.IntN(len(frameColours))]
		fillPlate(asm, c, shade(c, 0.8), float64(pad))
	}
	drawOver(asm, flat, plate.Min)
	return asm, plate
}

// paintBody fills img with car paint: a vertical sheen, a panel crease or
// bumper edge, and slight texture.
func paintBody(rng *rand.Rand, img *image.RGBA, c color.RGBA, infrared bool) {
	if infrared {
		// The IR illuminator lights the plate's retroreflective film far more
		// than the paint around it.
		l := uint8(luma(c)*0.25 + 10)
		c = rgb(l, l, l)
	}
	b := img.Bounds()
	h := float64(b.Dy())
	crease := -1
	if rng.IntN(2) == 0 {
		crease = rng.IntN(b.Dy())
	}
	for y := 0; y < b.Dy(); y++ {
		k := 1.15 - 0.3*float64(y)/math.Max(1, h)
		if crease >= 0 && y > crease {
			k *= 0.8
		}
		row := shade(c, k)
		for x := 0; x < b.Dx(); x++ {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = row.R, row.G, row.B, 255
		}
	}
}

// degrade applies the camera: light, glare, bloom, blur, noise, compression.
func degrade(rng *rand.Rand, img *image.RGBA, plate []pt, cond Conditions) error {
	gain := cond.Exposure
	if gain == 0 {
		gain = 1
	}
	gamma := 1.0
	if cond.Light == Dusk {
		gamma = 1.3
	}
	scaleLight(img, gain, gamma)
	if cond.Glare > 0 {
		b := quadBounds(plate)
		c := pt{float64(b.Min.X) + rng.Float64()*float64(b.Dx()), float64(b.Min.Y) + rng.Float64()*float64(b.Dy())}
		glare(img, c, float64(b.Dx())*(0.15+0.3*rng.Float64()), float64(b.Dy())*(0.3+0.5*rng.Float64()), cond.Glare)
	}
	if cond.Light == Infrared {
		bloom(img, 170, math.Max(1.5, float64(cond.PlateWidth)/40), 0.8)
	}
	motionBlur(img, cond.Motion)
	gaussianBlur(img, cond.Blur)
	addNoise(rng, img, cond.Noise, cond.Light == Infrared)
	if cond.JPEGQuality > 0 {
		return jpegRoundTrip(img, cond.JPEGQuality)
	}
	return nil
}

// drawOver composites src (premultiplied) over dst with src's origin at at,
// clipped to dst. Opaque pixels are copied, transparent ones skipped: sprites
// are mostly one or the other, which keeps a 720p frame cheap.
func drawOver(dst, src *image.RGBA, at image.Point) {
	sb := src.Bounds()
	r := sb.Sub(sb.Min).Add(at).Intersect(dst.Bounds())
	if r.Empty() {
		return
	}
	n := r.Dx() * 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		s := src.PixOffset(sb.Min.X+r.Min.X-at.X, sb.Min.Y+y-at.Y)
		d := dst.PixOffset(r.Min.X, y)
		sp, dp := src.Pix[s:s+n:s+n], dst.Pix[d:d+n:d+n]
		for i := 0; i < n; i += 4 {
			switch a := uint32(sp[i+3]); a {
			case 0:
			case 255:
				// Copy the whole opaque run at once.
				j := i + 4
				for j < n && sp[j+3] == 255 {
					j += 4
				}
				copy(dp[i:j], sp[i:j])
				i = j - 4
			default:
				k := 255 - a
				dp[i] = uint8((uint32(dp[i])*k+127)/255 + uint32(sp[i]))
				dp[i+1] = uint8((uint32(dp[i+1])*k+127)/255 + uint32(sp[i+1]))
				dp[i+2] = uint8((uint32(dp[i+2])*k+127)/255 + uint32(sp[i+2]))
				dp[i+3] = uint8((uint32(dp[i+3])*k+127)/255 + a)
			}
		}
	}
}
