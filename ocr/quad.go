package ocr

import (
	"image"
	"image/color"
	"math"
)

// Where a US plate lies around its row of characters, in character heights:
// the characters take about half the plate's height, sitting a little low
// (the state name is above them), and the plate is twice as wide as high.
const (
	plateAbove  = 0.55
	plateBelow  = 0.40
	plateAspect = 2.0
)

// quadf is a quadrilateral, corners clockwise from top-left.
type quadf [4][2]float64

// plateQuad estimates the plate's outline from its character row. Lines
// fitted through the characters' tops and bottoms carry the row's slant and
// the perspective's change of height along it, so the crop warped from the
// quad comes out upright.
func plateQuad(row charRow) quadf {
	var tx, ty, bx, by []float64
	minX, maxX := math.Inf(1), math.Inf(-1)
	for _, c := range row.chars {
		cx := c.x + c.w/2
		tx, ty = append(tx, cx), append(ty, c.y)
		bx, by = append(bx, cx), append(by, c.y+c.h)
		minX, maxX = math.Min(minX, c.x), math.Max(maxX, c.x+c.w)
	}
	ta, tb := fitLine(tx, ty)
	ba, bb := fitLine(bx, by)
	cx := (minX + maxX) / 2
	th := (ba + bb*cx) - (ta + tb*cx)
	h := th * (1 + plateAbove + plateBelow)
	w := math.Max(plateAspect*h, maxX-minX+1.2*th)
	x0, x1 := cx-w/2, cx+w/2
	top := func(x float64) float64 { t := ta + tb*x; b := ba + bb*x; return t - plateAbove*(b-t) }
	bot := func(x float64) float64 { t := ta + tb*x; b := ba + bb*x; return b + plateBelow*(b-t) }
	return quadf{{x0, top(x0)}, {x1, top(x1)}, {x1, bot(x1)}, {x0, bot(x0)}}
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
