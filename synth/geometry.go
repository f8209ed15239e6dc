package synth

import (
	"image"
	"math"
)

// pt is a point in continuous pixel coordinates.
type pt struct{ X, Y float64 }

// homography maps points of one plane to another: (x, y) -> (u, v) with
// u = (h0 x + h1 y + h2) / (h6 x + h7 y + h8) and v likewise with h3..h5.
type homography [9]float64

func (h homography) apply(p pt) pt {
	w := h[6]*p.X + h[7]*p.Y + h[8]
	return pt{(h[0]*p.X + h[1]*p.Y + h[2]) / w, (h[3]*p.X + h[4]*p.Y + h[5]) / w}
}

// homographyFromQuads solves for the homography taking src[i] to dst[i]; ok is
// false when the points are degenerate (three in a line).
func homographyFromQuads(src, dst [4]pt) (h homography, ok bool) {
	var a [8][9]float64
	for i := 0; i < 4; i++ {
		x, y, u, v := src[i].X, src[i].Y, dst[i].X, dst[i].Y
		a[2*i] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		a[2*i+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	// Gaussian elimination with partial pivoting on the 8×8 system.
	for c := 0; c < 8; c++ {
		p := c
		for r := c + 1; r < 8; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return h, false
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 8; r++ {
			if r == c {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k < 9; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	for i := 0; i < 8; i++ {
		h[i] = a[i][8] / a[i][i]
	}
	h[8] = 1
	return h, true
}

// rotatedQuad turns points of a plane figure w wide, centred on the origin, by yaw (about the
// vertical axis), pitch (about the horizontal) and roll (in the image plane),
// all in degrees, and projects it through a pinhole whose focal length is
// focal×w; the unrotated figure keeps its size.
func rotatedQuad(w, yaw, pitch, roll, focal float64, pts []pt) []pt {
	toRad := math.Pi / 180
	cy, sy := math.Cos(yaw*toRad), math.Sin(yaw*toRad)
	cp, sp := math.Cos(pitch*toRad), math.Sin(pitch*toRad)
	cr, sr := math.Cos(roll*toRad), math.Sin(roll*toRad)
	f := focal * w
	out := make([]pt, len(pts))
	for i, p := range pts {
		x, y, z := p.X, p.Y, 0.0
		// yaw: rotate about Y
		x, z = cy*x+sy*z, -sy*x+cy*z
		// pitch: rotate about X
		y, z = cp*y-sp*z, sp*y+cp*z
		// roll: rotate in the image plane
		x, y = cr*x-sr*y, sr*x+cr*y
		k := f / (f + z)
		out[i] = pt{x * k, y * k}
	}
	return out
}

// warpOver draws src onto dst through inv, the homography from dst pixel
// centres to src coordinates, compositing premultiplied colour Over dst
// inside region. Sampling is bilinear; outside src is transparent, which
// anti-aliases the plate's edges.
func warpOver(dst, src *image.RGBA, inv homography, region image.Rectangle) {
	region = region.Intersect(dst.Bounds())
	sb := src.Bounds()
	for y := region.Min.Y; y < region.Max.Y; y++ {
		for x := region.Min.X; x < region.Max.X; x++ {
			s := inv.apply(pt{float64(x) + 0.5, float64(y) + 0.5})
			sx, sy := s.X-0.5, s.Y-0.5
			if sx < -1 || sy < -1 || sx > float64(sb.Dx()) || sy > float64(sb.Dy()) {
				continue
			}
			c := bilinear(src, sx, sy)
			if c[3] <= 0 {
				continue
			}
			i := dst.PixOffset(x, y)
			p := dst.Pix[i : i+4 : i+4]
			k := 1 - c[3]/255
			for ch := 0; ch < 4; ch++ {
				p[ch] = uint8(math.Min(255, float64(p[ch])*k+c[ch]+0.5))
			}
		}
	}
}

// bilinear samples premultiplied RGBA at (x, y), treating outside as transparent.
func bilinear(img *image.RGBA, x, y float64) (c [4]float64) {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	b := img.Bounds()
	for j := 0; j < 2; j++ {
		for i := 0; i < 2; i++ {
			px, py := b.Min.X+x0+i, b.Min.Y+y0+j
			if px < b.Min.X || py < b.Min.Y || px >= b.Max.X || py >= b.Max.Y {
				continue
			}
			wgt := (1 - math.Abs(float64(i)-fx)) * (1 - math.Abs(float64(j)-fy))
			o := img.PixOffset(px, py)
			for ch := 0; ch < 4; ch++ {
				c[ch] += wgt * float64(img.Pix[o+ch])
			}
		}
	}
	return c
}

// quadBounds is the smallest integer rectangle holding q.
func quadBounds(q []pt) image.Rectangle {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range q {
		minX, minY = math.Min(minX, p.X), math.Min(minY, p.Y)
		maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
}

// toPoints rounds a quadrilateral to whole pixels.
func toPoints(q []pt) (out [4]image.Point) {
	for i := range out {
		out[i] = image.Pt(int(math.Round(q[i].X)), int(math.Round(q[i].Y)))
	}
	return out
}
