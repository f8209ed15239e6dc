package synth

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
)

// Marks are what many US plates print among the registration's characters
// that is not part of it: a symbol in the gap between the character groups
// (a heart, a star, the state's outline, a dot) and, on disabled-person and
// veterans' plates, a wheelchair badge and small letters stacked at the
// left. A reader that has only seen bare registrations reads them as
// characters (a stacked "DP" as a P, a heart as a 3).
type Marks struct {
	Gap       Symbol     // printed in the gap between groups; SymbolNone for none
	GapColour color.RGBA // the gap symbol's colour
	// Stacked is two small letters one above the other, left of the
	// characters ("DP", "DV"); "" for none.
	Stacked    string
	Wheelchair bool       // a wheelchair symbol in a square at the far left
	Badge      color.RGBA // the wheelchair square's colour
}

// Symbol is a shape printed between a plate's character groups.
type Symbol int

// The gap symbols.
const (
	SymbolNone Symbol = iota
	SymbolHeart
	SymbolStar
	SymbolDiamond
	SymbolDot
	SymbolOutline // a blocky state outline
	symbols
)

// stackedLetters are the small stacked markers of special plates.
var stackedLetters = [...]string{"DP", "DV", "DX", "PH", "VT", "MC"}

// RandomMarks draws a plate's marks: a gap symbol on most, a stacked badge
// (with a wheelchair square half the time) on a third.
func RandomMarks(rng *rand.Rand) *Marks {
	m := &Marks{
		GapColour: [...]color.RGBA{rgb(196, 28, 36), rgb(20, 34, 96), rgb(22, 22, 26), rgb(30, 120, 60)}[rng.IntN(4)],
		Badge:     rgb(28, 60, 150),
	}
	if rng.IntN(4) > 0 {
		m.Gap = Symbol(1 + rng.IntN(int(symbols)-1))
	}
	if m.Gap == SymbolNone || rng.IntN(3) == 0 {
		m.Stacked = stackedLetters[rng.IntN(len(stackedLetters))]
		m.Wheelchair = rng.IntN(2) == 0
	}
	return m
}

// drawMarked paints text (as printed, groups split by a space or dash) in
// box with the marks: the badge takes the left of the box, and a gap symbol
// replaces the first space or dash, which plates with symbols print as a
// wider gap. Each group's ink is scaled to the box's height and narrowed by
// condense, as drawText does, and further if the whole would not fit.
func drawMarked(dst *image.RGBA, f *Font, text string, c color.RGBA, box image.Rectangle, condense float64, m *Marks) {
	hgt := float64(box.Dy())
	if m.Wheelchair || m.Stacked != "" {
		x := float64(box.Min.X)
		if m.Wheelchair {
			side := 0.6 * hgt
			y := float64(box.Min.Y) + (hgt-side)/2
			drawWheelchair(dst, m.Badge, x, y, side)
			x += side + 0.06*hgt
		}
		if m.Stacked != "" {
			w := 0.28 * hgt
			for i, r := range m.Stacked[:2] {
				y := float64(box.Min.Y) + float64(i)*0.52*hgt
				drawText(dst, f, string(r), c, rectF(x, y, x+w, y+0.46*hgt), 1)
			}
			x += w + 0.08*hgt
		}
		box.Min.X = int(math.Round(x))
	}
	groups := []string{text}
	if m.Gap != SymbolNone {
		if i := strings.IndexAny(text, " -"); i > 0 && i < len(text)-1 {
			groups = []string{strings.TrimSpace(text[:i]), strings.TrimLeft(text[i+1:], " -")}
		}
	}
	if len(groups) == 1 {
		drawText(dst, f, text, c, box, condense)
		return
	}
	px := math.Max(24, 2.2*hgt)
	masks := make([]*image.Alpha, len(groups))
	widths := make([]float64, len(groups))
	gap := 0.7 * hgt
	total := gap
	for i, g := range groups {
		masks[i] = textMask(f, g, px)
		mb := masks[i].Bounds()
		widths[i] = float64(mb.Dx()) * hgt / float64(mb.Dy()) * condense
		total += widths[i]
	}
	k := math.Min(1, float64(box.Dx())/total)
	x := float64(box.Min.X) + (float64(box.Dx())-k*total)/2
	for i, mask := range masks {
		w := k * widths[i]
		r := rectF(x, float64(box.Min.Y), x+w, float64(box.Max.Y))
		if r.Dx() < 1 {
			return
		}
		paintInk(dst, mask, r, c)
		x += w
		if i == 0 {
			drawSymbol(dst, m.Gap, m.GapColour, x+k*gap/2, float64(box.Min.Y)+hgt/2, 0.3*hgt)
			x += k * gap
		}
	}
}

// drawSymbol paints s centred at (cx, cy), about 2r across.
func drawSymbol(dst *image.RGBA, s Symbol, c color.RGBA, cx, cy, r float64) {
	switch s {
	case SymbolHeart:
		fillEllipse(dst, cx-0.45*r, cy-0.3*r, 0.5*r, 0.5*r, c)
		fillEllipse(dst, cx+0.45*r, cy-0.3*r, 0.5*r, 0.5*r, c)
		fillPolygon(dst, c, pt{cx - 0.93*r, cy - 0.15*r}, pt{cx + 0.93*r, cy - 0.15*r}, pt{cx, cy + r})
	case SymbolStar:
		var pts []pt
		for i := range 10 {
			rad := r
			if i%2 == 1 {
				rad = 0.42 * r
			}
			a := -math.Pi/2 + float64(i)*math.Pi/5
			pts = append(pts, pt{cx + rad*math.Cos(a), cy + rad*math.Sin(a)})
		}
		fillPolygon(dst, c, pts...)
	case SymbolDiamond:
		fillPolygon(dst, c, pt{cx, cy - r}, pt{cx + 0.7*r, cy}, pt{cx, cy + r}, pt{cx - 0.7*r, cy})
	case SymbolDot:
		fillEllipse(dst, cx, cy, 0.35*r, 0.35*r, c)
	case SymbolOutline:
		fillPolygon(dst, c, pt{cx - 0.8*r, cy - r}, pt{cx + 0.1*r, cy - r}, pt{cx + 0.1*r, cy - 0.3*r},
			pt{cx + 0.8*r, cy - 0.2*r}, pt{cx + 0.6*r, cy + 0.9*r}, pt{cx - 0.2*r, cy + r}, pt{cx - 0.7*r, cy + 0.3*r})
	}
}

// drawWheelchair paints the international symbol of access, simplified: a
// white seated figure and wheel on a square of colour bg, side px wide at
// (x, y).
func drawWheelchair(dst *image.RGBA, bg color.RGBA, x, y, side float64) {
	fillBox(dst, bg, x, y, x+side, y+side)
	white := rgb(246, 246, 246)
	s := side
	// Head, back and seat.
	fillEllipse(dst, x+0.45*s, y+0.17*s, 0.08*s, 0.08*s, white)
	fillBox(dst, white, x+0.40*s, y+0.28*s, x+0.50*s, y+0.58*s)
	fillBox(dst, white, x+0.40*s, y+0.52*s, x+0.72*s, y+0.60*s)
	// The leg reaching down to the footrest.
	fillPolygon(dst, white, pt{x + 0.66*s, y + 0.52*s}, pt{x + 0.74*s, y + 0.52*s}, pt{x + 0.84*s, y + 0.82*s}, pt{x + 0.76*s, y + 0.84*s})
	// The wheel: a ring.
	fillEllipse(dst, x+0.42*s, y+0.68*s, 0.2*s, 0.2*s, white)
	fillEllipse(dst, x+0.42*s, y+0.68*s, 0.13*s, 0.13*s, bg)
}
