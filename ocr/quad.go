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

// The crop quad of plateQuad keeps a margin round the plate, as the
// recognizer was trained to expect; the plate's own outline, which a read
// reports, is this share of it about its centre. Medians of labelled plate
// boxes over the crop quads found for them on the "tune" half of
// alpr-bench/dev (the other half gave 0.887 and 0.916).
const (
	outlineW = 0.88
	outlineH = 0.91
)

// outline is the plate's own outline inside crop quad q.
func (q quadf) outline() quadf {
	var c [2]float64
	for _, p := range q {
		c[0] += p[0] / 4
		c[1] += p[1] / 4
	}
	var o quadf
	for i, p := range q {
		o[i] = [2]float64{c[0] + (p[0]-c[0])*outlineW, c[1] + (p[1]-c[1])*outlineH}
	}
	return o
}

// widened is q stretched k times along the plate, about its centre.
func (q quadf) widened(k float64) quadf {
	var o quadf
	for _, pair := range [][2]int{{0, 1}, {3, 2}} {
		a, b := q[pair[0]], q[pair[1]]
		for i := range 2 {
			mid := (a[i] + b[i]) / 2
			o[pair[0]][i] = mid + (a[i]-mid)*k
			o[pair[1]][i] = mid + (b[i]-mid)*k
		}
	}
	return o
}

// span is the part of q from u0 to u1 of the way along the plate (either
// may lie beyond q's ends).
func (q quadf) span(u0, u1 float64) quadf {
	at := func(a, b [2]float64, u float64) [2]float64 {
		return [2]float64{a[0] + (b[0]-a[0])*u, a[1] + (b[1]-a[1])*u}
	}
	return quadf{at(q[0], q[1], u0), at(q[0], q[1], u1), at(q[3], q[2], u1), at(q[3], q[2], u0)}
}

// views are crops of the same place moved as far as a localiser's outline
// strays: a little taller, shorter, higher and lower. They give a read in
// doubt a second opinion.
func (q quadf) views() []quadf {
	h := func(p, o [2]float64, k float64) [2]float64 {
		return [2]float64{o[0] + (p[0]-o[0])*k, o[1] + (p[1]-o[1])*k}
	}
	var out []quadf
	for _, k := range []float64{1.1, 0.92} { // taller and shorter about the middle line
		var v quadf
		for _, pair := range [][2]int{{0, 3}, {1, 2}} {
			a, b := q[pair[0]], q[pair[1]]
			mid := [2]float64{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
			v[pair[0]], v[pair[1]] = h(a, mid, k), h(b, mid, k)
		}
		out = append(out, v)
	}
	for _, d := range []float64{-0.06, 0.06} { // moved up and down by a share of the height
		var v quadf
		for _, pair := range [][2]int{{0, 3}, {1, 2}} {
			a, b := q[pair[0]], q[pair[1]]
			dx, dy := (b[0]-a[0])*d, (b[1]-a[1])*d
			v[pair[0]] = [2]float64{a[0] + dx, a[1] + dy}
			v[pair[1]] = [2]float64{b[0] + dx, b[1] + dy}
		}
		out = append(out, v)
	}
	return out
}

// times is q with every coordinate multiplied by k.
func (q quadf) times(k float64) quadf {
	for i := range q {
		q[i] = [2]float64{q[i][0] * k, q[i][1] * k}
	}
	return q
}

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

// plateShaped tells whether a proposal band has the proportions of a whole
// plate (2:1 face on, about 1.7:1 turned 30 degrees, a little more or less
// where the band takes in some of the surround), not of a row of characters
// alone, which is wider.
func plateShaped(b image.Rectangle) bool {
	if b.Dy() <= 0 {
		return false
	}
	a := float64(b.Dx()) / float64(b.Dy())
	return a >= 1.5 && a <= 3.2
}

// bandQuad is the crop quad for band b taken as a plate's outline: b with
// the margin plateQuad's crops keep round a plate (outline undoes it).
func bandQuad(b image.Rectangle) quadf {
	cx, cy := float64(b.Min.X+b.Max.X)/2, float64(b.Min.Y+b.Max.Y)/2
	hw, hh := float64(b.Dx())/2/outlineW, float64(b.Dy())/2/outlineH
	return quadf{{cx - hw, cy - hh}, {cx + hw, cy - hh}, {cx + hw, cy + hh}, {cx - hw, cy + hh}}
}

// innerShare is how much of a small rowless band innerBand drops, half of it at
// either side and half at top and bottom. Of 0.1, 0.15, 0.2 and 0.25 tried on the
// tune half of the synthetic hard photos, 0.15 found as many plates as any and
// read the most right.
const innerShare = 0.15

// innerBand is band b less innerShare of its width and height, about its
// centre: the plate alone, where b took in some of its surround.
func innerBand(b image.Rectangle) image.Rectangle {
	dx, dy := int(float64(b.Dx())*innerShare/2), int(float64(b.Dy())*innerShare/2)
	return image.Rect(b.Min.X+dx, b.Min.Y+dy, b.Max.X-dx, b.Max.Y-dy)
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
