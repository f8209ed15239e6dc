package ocr

import (
	"image"
	"math"
	"sort"

	"gocv.io/x/gocv"
)

// binarisation is one way of separating characters from the plate: an
// adaptive threshold's block and offset, and an optional erosion that breaks
// the thin bridges joining small characters to the plate's frame. The offset
// is whole: light characters' threshold is then dark characters' inverted
// (findAt).
type binarisation struct {
	block int
	c     int
	erode bool
}

// The binarisations tried in every proposal, at the normalised scale below.
// Each rescues plates the others miss: the low offset finds faint plates, the
// small block thin strokes, the large block big characters, the erosion
// characters touching the frame.
var defaultBinarisations = []binarisation{{15, 5, false}, {9, 3, false}, {25, 10, false}, {15, 5, true}}

// bandHeight is the height proposals are rescaled to, so one set of
// thresholds serves plates from 60 to 300 px wide. A proposal's edge band
// spans anything from the characters alone to the whole plate, so characters
// may be a third of it to all of it.
const (
	bandHeight = 30
	minBand    = 10 // px in the frame: below this no characters are readable
	minCharH   = 0.28 * bandHeight
	maxCharH   = 1.15 * bandHeight
)

// charBox is one character-like blob.
type charBox struct{ x, y, w, h float64 }

// charRow is a run of character-like blobs in a line: a plate's text.
type charRow struct {
	chars []charBox
	score float64
}

// rowFinder finds the best row of characters inside a proposal.
type rowFinder struct {
	binarisations []binarisation
	grey, dark    gocv.Mat
	bin           gocv.Mat // light characters, or either eroded
	erodeK        gocv.Mat
	comps         components
}

func newRowFinder(b []binarisation) *rowFinder {
	return &rowFinder{
		binarisations: b,
		grey:          gocv.NewMat(), dark: gocv.NewMat(), bin: gocv.NewMat(),
		erodeK: gocv.GetStructuringElement(gocv.MorphRect, image.Pt(2, 2)),
	}
}

func (f *rowFinder) Close() {
	for _, m := range []*gocv.Mat{&f.grey, &f.dark, &f.bin, &f.erodeK} {
		m.Close()
	}
}

// rowsPerProposal is how many distinct rows a proposal may yield: a plate's
// frame or state name can form a row as tidy as its number, and only the
// recognizer can tell them apart.
const rowsPerProposal = 2

// goodRow is the score of a row of five or more characters of one height.
const goodRow = 4.8

// find returns the best character rows around proposal r of grey, in grey's
// coordinates, best first.
func (f *rowFinder) find(grey gocv.Mat, r image.Rectangle) []charRow {
	area := image.Rect(r.Min.X-r.Dx()/7, r.Min.Y-r.Dy()*3/10, r.Max.X+r.Dx()/7, r.Max.Y+r.Dy()*3/10).
		Intersect(image.Rect(0, 0, grey.Cols(), grey.Rows()))
	if area.Dx() < 8 || area.Dy() < 8 {
		return nil
	}
	var rows []charRow
	// The band is the characters alone or the whole plate with its
	// surroundings: try both readings of its height.
	for _, band := range []float64{float64(r.Dy()), float64(r.Dy()) / 2.5} {
		if band < minBand || bestScore(rows) >= goodRow {
			// Too small to read, or the band's first reading already gave a
			// plate-like row: the second costs more than all the rest.
			continue
		}
		k := bandHeight / band
		if r.Dy() < 3*bandHeight {
			// Never shrink a small plate: its characters are only a few
			// pixels apart and would merge.
			k = math.Max(k, 1)
		}
		rows = f.addRowsAt(rows, grey, area, k, band, 0)
	}
	if band := float64(r.Dy()) / 2.5; len(rows) == 0 && r.Dy() < 3*bandHeight && bandHeight/band < smallMagnify {
		// A small plate's characters, 15 px high, are a few pixels apart: the
		// adaptive thresholds' blocks take in two of them, and blur or noise
		// joins them to each other or to the plate's edge. Where neither
		// reading found a row, look once more at a larger magnification.
		rows = f.addRowsAt(rows, grey, area, smallMagnify, band, magnifiedBelow)
	}
	if len(rows) > rowsPerProposal {
		rows = rows[:rowsPerProposal]
	}
	return rows
}

// smallMagnify is the magnification of a small proposal's last look for rows
// (find): the second reading of a band 38 to 90 px high magnifies it less.
// Of 2, 2.5 and 3 tried on the tune half of the synthetic hard photos, only 2
// found more plates.
const smallMagnify = 2

// magnifiedBelow is how far a row found only by that last look ranks below
// the rows found as usual: it is the row finder's last resort, more often in
// a junk band than a plate's, and must not push a better candidate past
// Options.MaxCandidates. It still ranks above a band with no row at all.
const magnifiedBelow = 100.0

// addRowsAt adds the rows findAt finds in area magnified k times, band being
// the proposal's band height, to rows in grey's coordinates, each scoring
// below less than found, and returns rows best first.
func (f *rowFinder) addRowsAt(rows []charRow, grey gocv.Mat, area image.Rectangle, k, band, below float64) []charRow {
	found, k := f.findAt(grey, area, k, band)
	for _, row := range found {
		for i, c := range row.chars {
			row.chars[i] = charBox{c.x/k + float64(area.Min.X), c.y/k + float64(area.Min.Y), c.w / k, c.h / k}
		}
		row.score -= below
		rows = addRow(rows, row)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].score > rows[j].score })
	return rows
}

// addRow adds row unless a better one covering the same place is there.
func addRow(rows []charRow, row charRow) []charRow {
	for i, o := range rows {
		if IoU(o.bounds(), row.bounds()) > 0.3 {
			if row.score > o.score {
				rows[i] = row
			}
			return rows
		}
	}
	return append(rows, row)
}

func (r charRow) bounds() image.Rectangle {
	b := image.Rectangle{}
	for i, c := range r.chars {
		cb := image.Rect(int(c.x), int(c.y), int(c.x+c.w+1), int(c.y+c.h+1))
		if i == 0 {
			b = cb
		} else {
			b = b.Union(cb)
		}
	}
	return b
}

// findAt looks for rows in area of grey magnified k times, returning them
// in the magnified coordinates relative to area, and the k used. band is
// the proposal's band height in grey's pixels: the character heights sought
// follow it wherever k could not bring it to bandHeight.
func (f *rowFinder) findAt(grey gocv.Mat, area image.Rectangle, k, band float64) ([]charRow, float64) {
	k = math.Max(0.3, math.Min(3, k))
	scaled := math.Max(bandHeight, band*k)
	minH, maxH := minCharH*scaled/bandHeight, maxCharH*scaled/bandHeight
	w, h := int(float64(area.Dx())*k), int(float64(area.Dy())*k)
	if w < 16 || h < 16 || w*h > 1<<20 {
		return nil, k
	}
	region := grey.Region(area)
	gocv.Resize(region, &f.grey, image.Pt(w, h), 0, 0, gocv.InterpolationLinear)
	region.Close()

	var rows []charRow
	for _, b := range f.binarisations {
		// Dark characters, then light ones: a pixel is dark where it is at
		// least the offset below its block's mean and light elsewhere (OpenCV
		// rounds the offset down for the one and up for the other, the same
		// for a whole offset), so the light threshold is the dark one
		// inverted, which costs much less than thresholding again.
		gocv.AdaptiveThreshold(f.grey, &f.dark, 255, gocv.AdaptiveThresholdMean, gocv.ThresholdBinaryInv, b.block, float32(b.c))
		for _, light := range []bool{false, true} {
			bin := f.dark
			if light {
				gocv.BitwiseNot(f.dark, &f.bin)
				bin = f.bin
			}
			if b.erode {
				gocv.Erode(bin, &f.bin, f.erodeK)
				bin = f.bin
			}
			if row, ok := bestRow(f.comps.charBlobs(bin, minH, maxH, 0)); ok {
				rows = addRow(rows, row)
			}
		}
		if bestScore(rows) >= goodRow {
			break // the rest exist for plates this one could not separate
		}
	}
	return rows, k
}

// charBlobs returns the components of bin shaped like a character, minH to
// maxH pixels high: no wider than high, not a sliver, neither hollow nor solid.
// Where line is more than 0, horizontal runs of that length are no ink
// (components.find).
func (c *components) charBlobs(bin gocv.Mat, minH, maxH float64, line int) []charBox {
	var out []charBox
	for _, st := range c.find(bin, line, func(st component) bool {
		w, h, a := float64(st.w), float64(st.h), float64(st.area)
		if h < minH || h > maxH || w < 2 || w > 1.1*h || w < 0.1*h {
			return false
		}
		fill := a / (w * h)
		return fill >= 0.2 && fill <= 0.92
	}) {
		out = append(out, charBox{float64(st.x), float64(st.y), float64(st.w), float64(st.h)})
	}
	return out
}

// bestRow returns the best chain of 4 to 9 character-like blobs (see chains).
func bestRow(cs []charBox) (charRow, bool) {
	var best charRow
	found := false
	for _, row := range chains(cs) {
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
	s := math.Min(n, 7) - 3*cv - aspectPenalty*aspectStray(cs)
	if n > 8 {
		s -= n - 8
	}
	return s
}

// A plate's characters are about half as wide as high (a 1 is narrower, a W
// wider, but not most of them): a row whose median blob is a sliver (grille
// bars, railings) or a square (a grid, a tread pattern) is probably no
// plate. charAspect bounds the typical median; aspectPenalty weighs how far,
// in log ratio, a row's median strays outside it.
var charAspect = [2]float64{0.3, 0.8}

const aspectPenalty = 10

func aspectStray(cs []charBox) float64 {
	as := make([]float64, len(cs))
	for i, c := range cs {
		as[i] = c.w / c.h
	}
	m := median(as)
	switch {
	case m < charAspect[0]:
		return math.Log(charAspect[0] / m)
	case m > charAspect[1]:
		return math.Log(m / charAspect[1])
	}
	return 0
}

func bestScore(rows []charRow) float64 {
	best := math.Inf(-1)
	for _, r := range rows {
		best = math.Max(best, r.score)
	}
	return best
}

// chains links blobs left to right into rows (similar height, same line,
// gaps no wider than a plate's dash or sticker) and returns every row of 4 to 9.
func chains(cs []charBox) []charRow {
	sort.Slice(cs, func(i, j int) bool { return cs[i].x < cs[j].x })
	var rows []charRow
	used := make([]bool, len(cs))
	for i := range cs {
		if used[i] {
			continue
		}
		chain := []int{i}
		for cur := i; ; {
			next := nextGlyph(cs, cur)
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
		rows = append(rows, row)
	}
	return rows
}

// nextGlyph is the blob that best continues a row after cs[cur] (cs sorted
// by x): similar height, on the same line, no further than a plate's dash or
// sticker. -1 if none.
func nextGlyph(cs []charBox, cur int) int {
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
	return next
}
