package ocr

import (
	"image"
	"math"
	"sort"

	"gocv.io/x/gocv"
)

// binarisation is one way of separating characters from the plate: an
// adaptive threshold's block and offset, and an optional erosion that breaks
// the thin bridges joining small characters to the plate's frame.
type binarisation struct {
	block int
	c     float32
	erode bool
}

// The binarisations tried in every proposal, at the normalised scale below.
// Each rescues plates the others miss: the low offset finds faint plates, the
// small block thin strokes, the large block big characters, the erosion
// characters touching the frame.
var defaultBinarisations = []binarisation{{15, 5, false}, {9, 3, false}, {25, 10, false}, {15, 5, true}}

// textHeight is the height proposals are rescaled to, so one set of
// thresholds serves plates from 60 to 300 px wide.
const textHeight = 20

// charBox is one character-like blob.
type charBox struct{ x, y, w, h float64 }

// charRow is a run of character-like blobs in a line: a plate's text.
type charRow struct {
	chars []charBox
	score float64
}

// rowFinder finds the best row of characters inside a proposal.
type rowFinder struct {
	binarisations                         []binarisation
	roi, grey, bin, labels, stats, cents  gocv.Mat
	erodeK                                gocv.Mat
}

func newRowFinder(b []binarisation) *rowFinder {
	return &rowFinder{
		binarisations: b,
		roi:           gocv.NewMat(), grey: gocv.NewMat(), bin: gocv.NewMat(),
		labels: gocv.NewMat(), stats: gocv.NewMat(), cents: gocv.NewMat(),
		erodeK: gocv.GetStructuringElement(gocv.MorphRect, image.Pt(2, 2)),
	}
}

func (f *rowFinder) Close() {
	for _, m := range []*gocv.Mat{&f.roi, &f.grey, &f.bin, &f.labels, &f.stats, &f.cents, &f.erodeK} {
		m.Close()
	}
}

// find returns the best character row around proposal r of grey, in grey's
// coordinates, and whether there was one.
func (f *rowFinder) find(grey gocv.Mat, r image.Rectangle) (charRow, bool) {
	area := image.Rect(r.Min.X-r.Dx()/4, r.Min.Y-r.Dy()*3/5, r.Max.X+r.Dx()/4, r.Max.Y+r.Dy()*3/5).
		Intersect(image.Rect(0, 0, grey.Cols(), grey.Rows()))
	if area.Dx() < 8 || area.Dy() < 8 {
		return charRow{}, false
	}
	k := math.Max(0.4, math.Min(3, textHeight/float64(r.Dy())))
	region := grey.Region(area)
	gocv.Resize(region, &f.grey, image.Pt(int(float64(area.Dx())*k), int(float64(area.Dy())*k)), 0, 0, gocv.InterpolationLinear)
	region.Close()

	var best charRow
	found := false
	for _, b := range f.binarisations {
		for _, typ := range []gocv.ThresholdType{gocv.ThresholdBinaryInv, gocv.ThresholdBinary} {
			gocv.AdaptiveThreshold(f.grey, &f.bin, 255, gocv.AdaptiveThresholdMean, typ, b.block, b.c)
			if b.erode {
				gocv.Erode(f.bin, &f.bin, f.erodeK)
			}
			row, ok := bestRow(f.blobs())
			if ok && (!found || row.score > best.score) {
				best, found = row, true
			}
		}
	}
	if !found {
		return charRow{}, false
	}
	for i, c := range best.chars {
		best.chars[i] = charBox{c.x/k + float64(area.Min.X), c.y/k + float64(area.Min.Y), c.w / k, c.h / k}
	}
	return best, true
}

// blobs returns the character-like connected components of f.bin.
func (f *rowFinder) blobs() []charBox {
	n := gocv.ConnectedComponentsWithStatsWithParams(f.bin, &f.labels, &f.stats, &f.cents, 8, gocv.MatTypeCV32S, gocv.CCL_DEFAULT)
	var out []charBox
	for i := 1; i < n; i++ {
		w, h := float64(f.stats.GetIntAt(i, 2)), float64(f.stats.GetIntAt(i, 3))
		a := float64(f.stats.GetIntAt(i, 4))
		if h < textHeight*0.45 || h > textHeight*2.2 || w < 2 || w > 1.1*h || w < 0.1*h {
			continue
		}
		if fill := a / (w * h); fill < 0.2 || fill > 0.92 {
			continue
		}
		out = append(out, charBox{float64(f.stats.GetIntAt(i, 0)), float64(f.stats.GetIntAt(i, 1)), w, h})
	}
	return out
}

// bestRow chains blobs left to right (similar height, same line, gaps no
// wider than a plate's dash or sticker) and returns the best chain of 4 to 9.
func bestRow(cs []charBox) (charRow, bool) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].x < cs[j].x })
	var best charRow
	found := false
	used := make([]bool, len(cs))
	for i := range cs {
		if used[i] {
			continue
		}
		chain := []int{i}
		for cur := i; ; {
			c := cs[cur]
			next, nd := -1, math.Inf(1)
			for j := cur + 1; j < len(cs); j++ {
				d := cs[j]
				if d.x > c.x+c.w+1.5*c.h {
					break
				}
				if d.x < c.x+c.w*0.5 || d.h < 0.75*c.h || d.h > 1.33*c.h {
					continue
				}
				dy := math.Abs(d.y + d.h/2 - c.y - c.h/2)
				if dy > 0.3*c.h {
					continue
				}
				if dist := d.x - c.x + 2*dy; dist < nd {
					next, nd = j, dist
				}
			}
			if next < 0 {
				break
			}
			chain = append(chain, next)
			cur = next
		}
		if len(chain) < 4 || len(chain) > 9 {
			continue
		}
		row := charRow{}
		for _, j := range chain {
			used[j] = true
			row.chars = append(row.chars, cs[j])
		}
		row.score = rowScore(row.chars)
		if !found || row.score > best.score {
			best, found = row, true
		}
	}
	return best, found
}

// rowScore prefers rows of plate length whose characters agree in height.
func rowScore(cs []charBox) float64 {
	n := float64(len(cs))
	var sum, sq float64
	for _, c := range cs {
		sum += c.h
		sq += c.h * c.h
	}
	mean := sum / n
	cv := math.Sqrt(math.Max(0, sq/n-mean*mean)) / mean
	s := math.Min(n, 7) - 3*cv
	if n > 8 {
		s -= n - 8
	}
	return s
}
