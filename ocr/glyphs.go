package ocr

import (
	"image"

	"gocv.io/x/gocv"
)

// glyphFinder is the second way of finding plates: character-like blobs
// across the whole frame chained into rows, with no edge band needed first.
// It finds what the proposer misses: plates set in a dark surround whose
// edges merge with it, plates inside a frame or a bumper recess that makes
// the band too big, and plates so close that their characters are far apart.
// It looks at a pyramid of the frame so one blob size range covers many
// character sizes: levels 0.75, 0.5 and 0.25 (the reader's) cover characters
// 12 to 120 px high in the work frame; smaller ones are the proposer's.
type glyphFinder struct {
	levels []float64 // scales of the work frame
	bufs   []glyphBuffers
}

// glyphBuffers are one pyramid level's images. Each level keeps its own:
// sharing them between levels of different sizes would reallocate every
// buffer at every level of every frame, which costs more than the search.
// Ink is thresholded in place.
type glyphBuffers struct {
	small, mean, ink gocv.Mat
	comps            components
}

// Character heights sought at every level of the pyramid, in pixels of that
// level (levels a factor two apart overlap by half), and the ink test: a
// pixel differing from its glyphBlock-wide neighbourhood's mean by more
// than glyphC.
const (
	glyphMinH  = 9
	glyphMaxH  = 30
	glyphBlock = 21
	glyphC     = 7
)

func newGlyphFinder(levels []float64) *glyphFinder {
	g := &glyphFinder{levels: levels}
	for range levels {
		g.bufs = append(g.bufs, glyphBuffers{
			small: gocv.NewMat(), mean: gocv.NewMat(), ink: gocv.NewMat(),
		})
	}
	return g
}

func (g *glyphFinder) Close() {
	for i := range g.bufs {
		b := &g.bufs[i]
		for _, m := range []*gocv.Mat{&b.small, &b.mean, &b.ink} {
			m.Close()
		}
	}
}

// lightBelow is the largest pyramid level searched for light-on-dark
// characters: such plates are rarer, and the proposer's rows find small ones.
const lightBelow = 0.5

// rows returns the character rows of grey, in grey's coordinates. half is
// grey at half size (the proposer makes one): levels at or below a half are
// taken from it, which costs less.
func (g *glyphFinder) rows(grey, half gocv.Mat) []charRow {
	var out []charRow
	for i, s := range g.levels {
		b := &g.bufs[i]
		src := grey
		switch {
		case s == 0.5:
			src = half
		case s < 0.5:
			gocv.Resize(half, &b.small, image.Pt(int(float64(grey.Cols())*s), int(float64(grey.Rows())*s)), 0, 0, gocv.InterpolationArea)
			src = b.small
		case s != 1:
			gocv.Resize(grey, &b.small, image.Pt(int(float64(grey.Cols())*s), int(float64(grey.Rows())*s)), 0, 0, gocv.InterpolationLinear)
			src = b.small
		}
		if src.Cols() < 32 || src.Rows() < 16 {
			continue
		}
		// Ink is what differs from its neighbourhood's mean by more than
		// glyphC: darker (dark-on-light plates) or lighter (light-on-dark
		// plates, infrared); one mean serves both.
		gocv.BoxFilter(src, &b.mean, -1, image.Pt(glyphBlock, glyphBlock))
		for _, dark := range []bool{false, true} {
			if !dark && s > lightBelow {
				continue
			}
			if dark {
				gocv.Subtract(b.mean, src, &b.ink)
			} else {
				gocv.Subtract(src, b.mean, &b.ink)
			}
			gocv.Threshold(b.ink, &b.ink, glyphC, 255, gocv.ThresholdBinary)
			line := 0
			if dark {
				// A dark frame pressed against dark characters is common;
				// light-on-dark plates rarely have a light one.
				line = glyphLine
			}
			for _, row := range chains(b.comps.charBlobs(b.ink, glyphMinH, glyphMaxH, line)) {
				for i, c := range row.chars {
					row.chars[i] = charBox{c.x / s, c.y / s, c.w / s, c.h / s}
				}
				out = append(out, row)
			}
		}
	}
	return out
}

// glyphLine is the length of the horizontal runs taken out of the dark ink
// before its blobs are found: characters pressed against the top or bottom
// of a plate's frame (a dealer's frame often covers them) otherwise join it
// in one blob that is no character. Longer than any character sought is
// wide, only a plate's frame, a bumper edge or a number's underline runs so
// far. The sides are left: plates keep a margin there for bolts and stickers.
// The runs go as opening the ink by a row of glyphLine pixels and taking the
// opening away dropped them (components.find).
const glyphLine = glyphMaxH + 6
