package synth

import (
	"image"
	"image/color"

	"golang.org/x/image/draw"
	"golang.org/x/image/vector"
)

// fillPolygon paints the polygon through pts, anti-aliased, in colour c.
func fillPolygon(dst *image.RGBA, c color.RGBA, pts ...pt) {
	b := quadBounds(pts).Inset(-1).Intersect(dst.Bounds())
	if b.Empty() {
		return
	}
	r := vector.NewRasterizer(b.Dx(), b.Dy())
	r.DrawOp = draw.Over
	for i, p := range pts {
		x, y := float32(p.X-float64(b.Min.X)), float32(p.Y-float64(b.Min.Y))
		if i == 0 {
			r.MoveTo(x, y)
		} else {
			r.LineTo(x, y)
		}
	}
	r.ClosePath()
	r.Draw(dst, b, image.NewUniform(c), image.Point{})
}

// fillBox paints the axis-aligned box (x0, y0)–(x1, y1) in c.
func fillBox(dst *image.RGBA, c color.RGBA, x0, y0, x1, y1 float64) {
	fillPolygon(dst, c, pt{x0, y0}, pt{x1, y0}, pt{x1, y1}, pt{x0, y1})
}

// fillGradientBox paints a box fading from top to bottom colour.
func fillGradientBox(dst *image.RGBA, top, bottom color.RGBA, x0, y0, x1, y1 float64) {
	r := rectF(x0, y0, x1, y1).Intersect(dst.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		c := lerpRGBA(top, bottom, float64(y-r.Min.Y)/float64(max(1, r.Dy()-1)))
		draw.Draw(dst, image.Rect(r.Min.X, y, r.Max.X, y+1), image.NewUniform(c), image.Point{}, draw.Over)
	}
}
