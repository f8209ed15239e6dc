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
	binarisations                   []binarisation
	grey, bin, labels, stats, cents gocv.Mat
	erodeK                          gocv.Mat
}

func newRowFinder(b []binarisation) *rowFinder {
	return &rowFinder{
		binarisations: b,
		grey:          gocv.NewMat(), bin: gocv.NewMat(),
		labels: gocv.NewMat(), stats: gocv.NewMat(), cents: gocv.NewMat(),
		erodeK: gocv.GetStructuringElement(gocv.MorphRect, image.Pt(2, 2)),
	}
}

func (f *rowFinder) Close() {
	for _, m := range []*gocv.Mat{&f.grey, &f.bin, &f.labels, &f.stats, &f.cents, &f.erodeK} {
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
		found, k := f.findAt(grey, area, k, band)
		for _, row := range found {
			for i, c := range row.chars {
				row.chars[i] = charBox{c.x/k + float64(area.Min.X), c.y/k + float64(area.Min.Y), c.w / k, c.h / k}
			}
			rows = addRow(rows, row)
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].score > rows[j].score })
	}
	if len(rows) > rowsPerProposal {
		rows = rows[:rowsPerProposal]
	}
	return rows
}

// addRow adds row unless a better one covering the same place is there.
func addRow(rows []charRow, row charRow) []charRow {
	for i, o := range rows {
		if iou(o.bounds(), row.bounds()) > 0.3 {
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
		for _, typ := range []gocv.ThresholdType{gocv.ThresholdBinaryInv, gocv.ThresholdBinary} {
			gocv.AdaptiveThreshold(f.grey, &f.bin, 255, gocv.AdaptiveThresholdMean, typ, b.block, b.c)
			if b.erode {
				gocv.Erode(f.bin, &f.bin, f.erodeK)
			}
			if row, ok := bestRow(f.blobs(minH, maxH)); ok {
				rows = addRow(rows, row)
			}
		}
		if bestScore(rows) >= goodRow {
			break // the rest exist for plates this one could not separate
		}
	}
	return rows, k
}

// blobs returns the character-like connected components of f.bin, from
// minH to maxH pixels high.
func (f *rowFinder) blobs(minH, maxH float64) []charBox {
	n := gocv.ConnectedComponentsWithStatsWithParams(f.bin, &f.labels, &f.stats, &f.cents, 8, gocv.MatTypeCV32S, gocv.CCL_DEFAULT)
	var out []charBox
	for i, st := range componentStats(f.stats, n) {
		if i == 0 {
			continue // the background
		}
		w, h, a := float64(st[2]), float64(st[3]), float64(st[4])
		if h < minH || h > maxH || w < 2 || w > 1.1*h || w < 0.1*h {
			continue
		}
		if fill := a / (w * h); fill < 0.2 || fill > 0.92 {
			continue
		}
		out = append(out, charBox{float64(st[0]), float64(st[1]), w, h})
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
	s := math.Min(n, 7) - 3*cv
	if n > 8 {
		s -= n - 8
	}
	return s
}

func bestScore(rows []charRow) float64 {
	best := math.Inf(-1)
	for _, r := range rows {
		best = math.Max(best, r.score)
	}
	return best
}
