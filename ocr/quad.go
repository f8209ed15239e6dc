package ocr

import (
	"image"
	"image/color"
	"math"
)

// Where a US plate lies around its row of characters, in character heights:
// the characters take 46 % of the plate's height, centred at 52 % of it (the
// state name is above them), and the plate is twice as wide as high. These
// are medians measured on the alpr-bench crops (whole plates), not on the
// photos the reader is evaluated on.
const (
	plateAbove  = 0.63
	plateBelow  = 0.54
	plateAspect = 2.0
)

// quadf is a quadrilateral, corners clockwise from top-left.
type quadf [4][2]float64

// plateQuad estimates the plate's outline from its character row. A line
// through the characters' centres carries the row's slant, and a line through
// their heights the perspective's change of scale along it, so the crop
// warped from the quad comes out upright. Both are clamped: a short row of
// jagged blobs must not tip the plate over.
func plateQuad(row charRow) quadf {
	var xs, cys, hs []float64
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, c := range row.chars {
		xs = append(xs, c.x+c.w/2)
		cys = append(cys, c.y+c.h/2)
		hs = append(hs, c.h)
		minX, maxX = math.Min(minX, c.x), math.Max(maxX, c.x+c.w)
	}
	ca, cb := fitLine(xs, cys)
	cb = math.Max(-0.6, math.Min(0.6, cb)) // about 30 degrees
	ha, hb := fitLine(xs, hs)
	cx := (minX + maxX) / 2
	ca = mean(cys) - cb*mean(xs)
	_ = ha
	th := median(hs) // one blob merged with the frame must not inflate the plate

	ph := th * (1 + plateAbove + plateBelow)
	w := math.Max(plateAspect*ph, maxX-minX+1.2*th)
	// Heights at the ends may differ by a third at most (a 30 degree yaw).
	hb = math.Max(-th/3/(w/2), math.Min(th/3/(w/2), hb))
	x0, x1 := cx-w/2, cx+w/2
	h := func(x float64) float64 { return th + hb*(x-cx) }
	top := func(x float64) float64 { return ca + cb*x - (0.5+plateAbove)*h(x) }
	bot := func(x float64) float64 { return ca + cb*x + (0.5+plateBelow)*h(x) }
	return quadf{{x0, top(x0)}, {x1, top(x1)}, {x1, bot(x1)}, {x0, bot(x0)}}
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// fitLine fits y = a + b x by least squares; one point gives a flat line.
func fitLine(xs, ys []float64) (a, b float64) {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return sy / n, 0
	}
	b = (n*sxy - sx*sy) / d
	return (sy - b*sx) / n, b
}

// scaled returns the quad in a frame s times larger, as integer points.
func (q quadf) scaled(s float64) [4]image.Point {
	var out [4]image.Point
	for i, p := range q {
		out[i] = image.Pt(int(math.Round(p[0]*s)), int(math.Round(p[1]*s)))
	}
	return out
}

// bounds is the quad's bounding rectangle.
func bounds(q [4]image.Point) image.Rectangle {
	r := image.Rectangle{Min: q[0], Max: q[0]}
	for _, p := range q[1:] {
		r.Min.X, r.Min.Y = min(r.Min.X, p.X), min(r.Min.Y, p.Y)
		r.Max.X, r.Max.Y = max(r.Max.X, p.X), max(r.Max.Y, p.Y)
	}
	return r
}

var color0 = color.RGBA{}

func imagePt(x, y float64) image.Point { return image.Pt(int(x), int(y)) }
