package ocr

import (
	"image"

	"gocv.io/x/gocv"
)

// proposer finds plate-like regions cheaply: a plate's characters make a
// compact band of strong vertical edges. It works at half resolution because
// that costs a quarter as much and a band of 8+ px characters survives it.
// Several edge thresholds are tried because dim, dirty and night plates have
// weak edges while bright ones merge with the bumper at low thresholds.
type proposer struct {
	thresholds []float32
	// Every buffer keeps one size and type from frame to frame (sobel holds
	// 16-bit gradients, the rest bytes), so none is reallocated.
	half, sobel, edges, bin, tmp gocv.Mat
	closeK, openK                gocv.Mat
	comps                        components
}

func newProposer(thresholds []float32) *proposer {
	return &proposer{
		thresholds: thresholds,
		half:       gocv.NewMat(), sobel: gocv.NewMat(), edges: gocv.NewMat(), bin: gocv.NewMat(), tmp: gocv.NewMat(),
		closeK: gocv.GetStructuringElement(gocv.MorphRect, image.Pt(9, 3)),
		openK:  gocv.GetStructuringElement(gocv.MorphRect, image.Pt(5, 3)),
	}
}

func (p *proposer) Close() {
	for _, m := range []*gocv.Mat{&p.half, &p.sobel, &p.edges, &p.bin, &p.tmp, &p.closeK, &p.openK} {
		m.Close()
	}
}

// propose returns candidate plate bands in grey's coordinates, without
// near-duplicates.
func (p *proposer) propose(grey gocv.Mat) []image.Rectangle {
	gocv.Resize(grey, &p.half, image.Pt(grey.Cols()/2, grey.Rows()/2), 0, 0, gocv.InterpolationArea)
	gocv.Sobel(p.half, &p.sobel, gocv.MatTypeCV16S, 1, 0, 3, 1, 0, gocv.BorderDefault)
	gocv.ConvertScaleAbs(p.sobel, &p.bin, 1, 0)
	// Closing joins a plate's character strokes into one band; opening drops
	// thin lines. Both are done once on the grey edge image: with flat
	// kernels they commute with thresholding, so every threshold shares them.
	gocv.MorphologyEx(p.bin, &p.tmp, gocv.MorphClose, p.closeK)
	gocv.MorphologyEx(p.tmp, &p.edges, gocv.MorphOpen, p.openK)
	// A plate's band of characters: big enough, not too big, wider than high
	// and mostly filled.
	maxW, maxH := p.half.Cols()/3, p.half.Rows()/4
	bandShaped := func(st component) bool {
		if st.w < 18 || st.h < 6 || st.w > maxW || st.h > maxH {
			return false
		}
		if r := float64(st.w) / float64(st.h); r < 1.2 || r > 8 {
			return false
		}
		return float64(st.area) >= 0.4*float64(st.w*st.h)
	}
	var out []image.Rectangle
	for _, t := range p.thresholds {
		gocv.Threshold(p.edges, &p.bin, t, 255, gocv.ThresholdBinary)
		for _, st := range p.comps.find(p.bin, 0, bandShaped) {
			x, y, w, h := st.x, st.y, st.w, st.h
			out = appendDistinct(out, image.Rect(2*x, 2*y, 2*(x+w), 2*(y+h)), 0.7)
		}
	}
	return out
}

// appendDistinct appends r unless it overlaps an earlier rectangle by more
// than the given intersection over union.
func appendDistinct(rs []image.Rectangle, r image.Rectangle, maxIoU float64) []image.Rectangle {
	for _, q := range rs {
		if IoU(q, r) > maxIoU {
			return rs
		}
	}
	return append(rs, r)
}

// IoU is the intersection over union of two rectangles: how the reader, its evaluation
// (a read over a labelled plate at 0.5 or more) and its tools measure overlap.
func IoU(a, b image.Rectangle) float64 {
	in := a.Intersect(b)
	if in.Empty() {
		return 0
	}
	i := float64(in.Dx() * in.Dy())
	return i / (float64(a.Dx()*a.Dy()+b.Dx()*b.Dy()) - i)
}
