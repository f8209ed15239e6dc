package ocr

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"

	"gocv.io/x/gocv"
)

// component is one 8-connected component of a binary image: its bounding
// box and how many pixels it has, as ConnectedComponentsWithStats gives them.
type component struct{ x, y, w, h, area int }

// components labels the 8-connected components of binary images (any
// non-zero pixel is foreground) by runs of pixels along rows. OpenCV's
// labelling writes a label for every pixel and sums centroids the reader
// never uses; on the ink of a noisy frame it was a quarter of the time a
// frame took. Runs skip the background a word at a time and label a
// stroke's pixels together. Its buffers (Go memory, nothing to close) serve
// call after call.
type components struct {
	runs   []pixelRun
	parent []int32 // union-find over runs; a root is its set's first run
	slot   []int32 // each root run's index in acc
	acc    []componentAcc
	kept   []componentAcc
}

// pixelRun is a row's run of foreground pixels, from x0 up to (not
// including) x1.
type pixelRun struct{ y, x0, x1 int32 }

// componentAcc gathers a component's extent from its runs. first is the
// 2x2 block in which OpenCV's labelling (Spaghetti, scanning blocks two
// rows at a time) meets the component first: its components come in that
// order, and the reader keeps it so that ties elsewhere fall as they did.
type componentAcc struct {
	x0, y0, x1, y1, area int32
	first                int64
}

// find returns the components of bin that keep accepts, in the order
// ConnectedComponentsWithStats numbers them, background aside. bin is 8-bit
// and one channel, as a threshold leaves it; any other Mat is a bug. Where
// line is more than 0, bin's horizontal runs at least line pixels long are
// taken out first, as subtracting its opening by a line-wide row of pixels
// takes them (see lineRest).
func (c *components) find(bin gocv.Mat, line int, keep func(component) bool) []component {
	if bin.Type() != gocv.MatTypeCV8UC1 {
		panic(fmt.Sprintf("label components: pixel type %v, want 8-bit grey", bin.Type()))
	}
	if !bin.IsContinuous() {
		bin = bin.Clone()
		defer bin.Close()
	}
	pix, err := bin.DataPtrUint8()
	if err != nil {
		panic(fmt.Sprintf("label components: %v", err)) // continuous, so never
	}
	c.label(pix, bin.Cols(), bin.Rows(), line)
	c.kept = c.kept[:0]
	for _, a := range c.acc {
		if keep(a.component()) {
			c.kept = append(c.kept, a)
		}
	}
	slices.SortFunc(c.kept, func(a, b componentAcc) int { return cmp.Compare(a.first, b.first) })
	out := make([]component, len(c.kept))
	for i, a := range c.kept {
		out[i] = a.component()
	}
	return out
}

func (a componentAcc) component() component {
	return component{int(a.x0), int(a.y0), int(a.x1 - a.x0), int(a.y1 - a.y0), int(a.area)}
}

// label finds the runs of the w x h image pix, less lines (line, lineRest),
// joins the runs that touch (8-connected: overlapping or diagonal across
// rows) and fills c.acc, one entry per component in no particular order.
func (c *components) label(pix []byte, w, h, line int) {
	c.runs, c.parent = c.runs[:0], c.parent[:0]
	prev0, prev1 := 0, 0 // the previous row's runs
	for y := range h {
		row := pix[y*w : (y+1)*w]
		start := len(c.runs)
		j := prev0
		for x := 0; x < w; {
			if x = nextSet(row, x); x == w {
				break
			}
			x0 := x
			x = nextClear(row, x)
			x1 := x
			if line > 0 {
				if x1 = x0 + lineRest(x0, x, w, line); x1 == x0 {
					continue
				}
			}
			n := int32(len(c.runs))
			c.runs = append(c.runs, pixelRun{int32(y), int32(x0), int32(x1)})
			c.parent = append(c.parent, n)
			// A run above touches this one where it ends at or after x0-1 and
			// starts at or before x1: runs of a row are in order of x.
			for j < prev1 && int(c.runs[j].x1) < x0 {
				j++
			}
			for k := j; k < prev1 && int(c.runs[k].x0) <= x1; k++ {
				c.union(n, int32(k))
			}
		}
		prev0, prev1 = start, len(c.runs)
	}

	c.slot = slices.Grow(c.slot[:0], len(c.runs))[:len(c.runs)]
	c.acc = c.acc[:0]
	for i, r := range c.runs {
		// Runs in order, each pointed at its root as it is passed: a run's
		// parent comes before it, so its parent's parent is the root.
		root := c.parent[c.parent[i]]
		c.parent[i] = root
		first := int64(r.y>>1)<<32 | int64(r.x0>>1)
		if root == int32(i) {
			c.slot[i] = int32(len(c.acc))
			c.acc = append(c.acc, componentAcc{r.x0, r.y, r.x1, r.y + 1, r.x1 - r.x0, first})
			continue
		}
		a := &c.acc[c.slot[root]]
		a.x0, a.x1, a.y1 = min(a.x0, r.x0), max(a.x1, r.x1), r.y+1
		a.area += r.x1 - r.x0
		a.first = min(a.first, first)
	}
}

// root is the first run of run i's set, halving the path to it.
func (c *components) root(i int32) int32 {
	p := c.parent
	for p[i] != i {
		p[i] = p[p[i]]
		i = p[i]
	}
	return i
}

// union joins the sets of runs i and j under the earlier root.
func (c *components) union(i, j int32) {
	ri, rj := c.root(i), c.root(j)
	switch {
	case ri < rj:
		c.parent[rj] = ri
	case rj < ri:
		c.parent[ri] = rj
	}
}

// lineRest is how many pixels of the run from x0 to x1 of a w-wide row are
// left of it once the image's opening by a line-wide row of pixels (OpenCV's
// MorphologyEx, its anchor at line/2 and its default border) is subtracted:
// none of a run the line fits in where it starts at the frame's left edge
// (the border counts as foreground then), and otherwise the whole run where
// the line does not fit in it. Where it fits, an even line's opening lies a
// pixel to the right of the run, leaving its first pixel.
func lineRest(x0, x1, w, line int) int {
	n, a := x1-x0, line/2
	var fits bool
	switch {
	case x0 == 0 && x1 == w:
		return 0
	case x0 == 0:
		if n >= line-a {
			return 0
		}
		return n
	case x1 == w:
		fits = n >= a+1
	default:
		fits = n >= line
	}
	if !fits {
		return n
	}
	return 1 - line%2
}

// allOnes has a 1 in every byte of a word; bytesHigh the high bit of every byte.
const (
	allOnes   = 0x0101010101010101
	bytesHigh = 0x8080808080808080
)

// nextSet is the first x from x on where row is foreground, or len(row),
// skipping background a word at a time.
func nextSet(row []byte, x int) int {
	for ; x+8 <= len(row); x += 8 {
		if v := binary.LittleEndian.Uint64(row[x:]); v != 0 {
			return x + bits.TrailingZeros64(v)/8
		}
	}
	for x < len(row) && row[x] == 0 {
		x++
	}
	return x
}

// nextClear is the first x from x on where row is background, or len(row):
// the lowest byte flagged by (v - allOnes) &^ v & bytesHigh is v's first
// zero byte.
func nextClear(row []byte, x int) int {
	for ; x+8 <= len(row); x += 8 {
		v := binary.LittleEndian.Uint64(row[x:])
		if z := (v - allOnes) &^ v & bytesHigh; z != 0 {
			return x + bits.TrailingZeros64(z)/8
		}
	}
	for x < len(row) && row[x] != 0 {
		x++
	}
	return x
}
