package synth

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"time"
)

// Photo is one still of a street holding one plate, seen under a hard condition, with what
// a reader must not take for a plate (a burned-in clock, a shop sign) painted around it.
type Photo struct {
	Image *image.RGBA
	Case  string // the hard condition, one of HardCases
	Truth Truth
	// Phantoms are the texts painted elsewhere in the photo that are not plates.
	Phantoms []Phantom
	// Conditions are the camera conditions the plate was drawn under.
	Conditions Conditions
}

// Phantom is lettering in a photo that a reader must not report as a plate.
type Phantom struct {
	Kind string // "clock" (a burned-in date and time) or "sign" (a shop's or a van's lettering)
	Text string
	Box  image.Rectangle
}

// HardCases are the conditions the photos of HardPhoto cycle through: what the benchmark
// photos lack (issue 21): night and infrared, motion blur, oblique views, characters 15–20 px
// high, dirt, and dealer frames covering the state name.
var HardCases = [...]string{"night", "infrared", "motion", "oblique", "small", "dirt", "frame"}

// HardPhoto renders photo i of seed at size (0 means 1280×720): a street under the light of
// its case, one vehicle's plate pasted in the lower part of the frame, and on some photos a
// burned-in date and time or a lettered shop sign. The same seed and i give the same pixels.
func HardPhoto(seed int64, i int, size image.Point, fonts []*Font) (Photo, error) {
	if size == (image.Point{}) {
		size = image.Pt(1280, 720)
	}
	if len(fonts) == 0 {
		fonts = builtinFonts()
	}
	rng := DatasetRand(seed, i)
	kind := HardCases[i%len(HardCases)]
	light := Day
	switch kind {
	case "night":
		light = Dusk
	case "infrared":
		light = Infrared
	}
	sc, err := NewScene(SceneOptions{Width: size.X, Height: size.Y, Seed: int64(rng.Uint64() >> 1), Light: light, Fonts: fonts})
	if err != nil {
		return Photo{}, fmt.Errorf("hard photo %d: %w", i, err)
	}
	img := image.NewRGBA(sc.Bounds())
	copy(img.Pix, sc.bg.Pix)

	text := RandomPlateText(rng)
	st := RandomStyleFrom(rng, fonts)
	cond := hardConditions(rng, kind)
	cond.Light = light
	if kind == "frame" {
		f := RandomFrame(rng)
		f.TopDepth = 0.22 + 0.08*rng.Float64() // over the state name
		st.Frame = f
	}
	s, err := RenderSample(rng, text, st, cond)
	if err != nil {
		return Photo{}, fmt.Errorf("hard photo %d: %w", i, err)
	}
	if kind == "dirt" {
		dirty(rng, s.Image, s.Quad)
	}
	sb := s.Image.Bounds()
	at := image.Pt(rng.IntN(max(1, size.X-sb.Dx())), int(0.45*float64(size.Y))+rng.IntN(max(1, int(0.55*float64(size.Y))-sb.Dy())))
	drawOver(img, s.Image, at)
	var q [4]image.Point
	for k, p := range s.Quad {
		q[k] = p.Add(at)
	}
	ph := Photo{Image: img, Case: kind, Conditions: cond, Truth: Truth{Plate: s.Plate, Printed: s.Printed, State: s.State, Quad: q}}
	plateBox := quadBoundsPoints(q)

	if rng.IntN(5) < 2 {
		ph.Phantoms = append(ph.Phantoms, burnClock(rng, img, fonts))
	}
	if rng.IntN(5) < 2 {
		if p, ok := paintSign(rng, img, fonts, plateBox); ok {
			ph.Phantoms = append(ph.Phantoms, p)
		}
	}
	return ph, nil
}

// hardConditions are the camera conditions of one hard case: RandomConditions with the case's
// fault made strong.
func hardConditions(rng *rand.Rand, kind string) Conditions {
	c := RandomConditions(rng)
	c.Frame = false
	c.PlateWidth = 90 + rng.IntN(110)
	switch kind {
	case "night":
		c.Exposure = 0.3 + 0.25*rng.Float64()
	case "infrared":
		c.Exposure = 0.9 + 0.3*rng.Float64()
	case "motion":
		c.Motion = 5 + 7*rng.Float64()
	case "oblique":
		c.Yaw = (30 + 15*rng.Float64()) * sign(rng)
		c.Pitch = (8 + 12*rng.Float64()) * sign(rng)
	case "small":
		// Characters are about 0.22 of the plate's width high: 15–20 px.
		c.PlateWidth = 68 + rng.IntN(23)
	}
	if kind != "night" && kind != "infrared" {
		c.Light, c.Exposure = Day, 0.8+0.4*rng.Float64()
	}
	return c
}

func sign(rng *rand.Rand) float64 {
	if rng.IntN(2) == 0 {
		return -1
	}
	return 1
}

// dirty splashes road dirt over a plate: translucent brown blotches and a darker film along
// its bottom edge.
func dirty(rng *rand.Rand, img *image.RGBA, quad [4]image.Point) {
	b := quadBoundsPoints(quad)
	mud := []color.RGBA{rgb(92, 74, 52), rgb(70, 60, 48), rgb(120, 104, 80)}
	for n := 6 + rng.IntN(10); n > 0; n-- {
		c := mud[rng.IntN(len(mud))]
		cx := float64(b.Min.X) + rng.Float64()*float64(b.Dx())
		cy := float64(b.Min.Y) + rng.Float64()*float64(b.Dy())
		rx := float64(b.Dx()) * (0.03 + 0.12*rng.Float64())
		ry := float64(b.Dy()) * (0.05 + 0.2*rng.Float64())
		a := 0.2 + 0.3*rng.Float64()
		r := rectF(cx-rx, cy-ry, cx+rx+1, cy+ry+1).Intersect(img.Bounds())
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				dx, dy := (float64(x)+0.5-cx)/rx, (float64(y)+0.5-cy)/ry
				blendPixel(img, x, y, c, a*clamp01(1-dx*dx-dy*dy)*2)
			}
		}
	}
	film := rgb(80, 66, 50)
	for y := b.Min.Y + b.Dy()*2/3; y < b.Max.Y; y++ {
		a := 0.45 * float64(y-b.Min.Y-b.Dy()*2/3) / float64(max(1, b.Dy()/3))
		for x := b.Min.X; x < b.Max.X; x++ {
			blendPixel(img, x, y, film, a)
		}
	}
}

// clockFormats are ways dash and traffic cameras print the date and time.
var clockFormats = [...]string{"2006-01-02 15:04:05", "01/02/2006 15:04:05", "15:04:05 01-02-2006", "01022006 150405", "2006/01/02  15:04", "02.01.2006 15:04:05"}

// burnClock prints a date and time in one corner of img, white on a dark outline, and
// returns the text: on one line at the top left, or at the bottom right on one line or small,
// the date over the time.
func burnClock(rng *rand.Rand, img *image.RGBA, fonts []*Font) Phantom {
	at := time.Date(2014+rng.IntN(10), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), rng.IntN(60), 0, time.UTC)
	format := clockFormats[rng.IntN(len(clockFormats))]
	w, h := float64(img.Bounds().Dx()), float64(img.Bounds().Dy())
	f := fonts[rng.IntN(len(fonts))]
	if rng.IntN(3) == 0 { // stacked in the bottom right corner
		th := h * (0.012 + 0.008*rng.Float64())
		x0, y0 := w*(0.8+0.08*rng.Float64()), h-2.3*th-0.01*h
		day, clock := at.Format("2006-01-02"), at.Format("15:04:05")
		a, b := rectF(x0, y0, w, y0+th), rectF(x0, y0+1.2*th, w, y0+2.2*th)
		return Phantom{"clock", day + " " + clock, outlined(img, f, day, a).Union(outlined(img, f, clock, b))}
	}
	text := at.Format(format)
	th := h * (0.02 + 0.02*rng.Float64())
	x0, y0 := 0.012*w, 0.016*h
	if rng.IntN(2) == 0 { // bottom right
		x0, y0 = w*(0.5+0.1*rng.Float64()), h-th-0.02*h
	}
	return Phantom{"clock", text, outlined(img, f, text, rectF(x0, y0, w*0.98, y0+th))}
}

// outlined paints text from box's left edge at its height, white on a dark outline, as
// camera overlays print, and returns where it painted.
func outlined(img *image.RGBA, f *Font, text string, box image.Rectangle) image.Rectangle {
	for _, d := range []image.Point{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
		drawTextLeft(img, f, text, rgb(20, 20, 20), box.Add(d))
	}
	return drawTextLeft(img, f, text, rgb(245, 245, 245), box).Inset(-1)
}

// signWords are the lettering of shops and vans a camera sees beside the road, some of them
// words of state names.
var signWords = [...]string{"JERSEY", "GARAGE", "PHARMACY", "BAKERY", "DINER", "MOTEL", "LIQUOR", "TEXAS BBQ",
	"CAROLINA", "PIZZA", "EXIT 16", "OPEN 24 HRS", "AUTO BODY", "PLUMBING", "DAKOTA", "HARDWARE", "TIRES"}

// paintSign paints a shop sign or a van's lettering somewhere above or beside the plate
// (never over it) and returns it; ok is false when there was no room.
func paintSign(rng *rand.Rand, img *image.RGBA, fonts []*Font, plate image.Rectangle) (Phantom, bool) {
	word := signWords[rng.IntN(len(signWords))]
	b := img.Bounds()
	th := 14 + rng.IntN(30)
	tw := th * len(word) * 6 / 10
	for try := 0; try < 20; try++ {
		x := rng.IntN(max(1, b.Dx()-tw-2*th))
		y := int(0.08*float64(b.Dy())) + rng.IntN(max(1, b.Dy()*8/10-th))
		r := image.Rect(x, y, x+tw+2*th, y+th*2)
		if r.Inset(-th).Overlaps(plate) || !r.In(b) {
			continue
		}
		schemes := [][2]color.RGBA{{rgb(245, 245, 240), rgb(20, 20, 24)}, {rgb(150, 20, 28), rgb(250, 250, 250)},
			{rgb(24, 48, 110), rgb(250, 220, 80)}, {rgb(20, 20, 24), rgb(235, 235, 235)}}
		s := schemes[rng.IntN(len(schemes))]
		fillRect(img, r, s[0])
		drawText(img, fonts[rng.IntN(len(fonts))], word, s[1], r.Inset(th/2), 1)
		return Phantom{"sign", word, r}, true
	}
	return Phantom{}, false
}

func quadBoundsPoints(q [4]image.Point) image.Rectangle {
	r := image.Rectangle{Min: q[0], Max: q[0]}
	for _, p := range q[1:] {
		r.Min.X, r.Min.Y = min(r.Min.X, p.X), min(r.Min.Y, p.Y)
		r.Max.X, r.Max.Y = max(r.Max.X, p.X), max(r.Max.Y, p.Y)
	}
	return r
}
