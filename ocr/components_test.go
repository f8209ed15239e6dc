package ocr

import (
	"fmt"
	"image"
	"math/rand/v2"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// TestComponentsMatchOpenCV checks the run labelling against OpenCV's: the
// same components, boxes and areas, in the same order, on noise of every
// density (blobs touching only at corners, runs at the edges, widths no
// multiple of a word), on streaks of every length and on the ink and edges
// of real frames; and with lines taken out, against OpenCV's labelling of
// what subtracting the opening by a line leaves (the glyph finder's
// dropping of lines, done so before).
func TestComponentsMatchOpenCV(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	// grey cases have foreground of any value; lines are taken out of
	// black and white images only, as out of the glyph finder's ink.
	type binCase struct {
		name string
		bin  gocv.Mat
		grey bool
	}
	var cases []binCase
	add := func(name string, m gocv.Mat) { cases = append(cases, binCase{name, m, false}) }
	for _, size := range []image.Point{{1, 1}, {7, 3}, {33, 17}, {64, 40}, {203, 121}} {
		for _, density := range []float64{0, 0.05, 0.3, 0.5, 0.7, 1} {
			m := gocv.NewMatWithSize(size.Y, size.X, gocv.MatTypeCV8UC1)
			for y := range size.Y {
				for x := range size.X {
					if rng.Float64() < density {
						m.SetUCharAt(y, x, uint8(1+rng.IntN(255)))
					}
				}
			}
			cases = append(cases, binCase{size.String() + " noise", m, true})
		}
		// Streaks: runs of 1 to 80 pixels, 1 to 4 apart, some from the edges.
		m := gocv.NewMatWithSize(size.Y, size.X, gocv.MatTypeCV8UC1)
		for y := range size.Y {
			for x := rng.IntN(3); x < size.X; x += 1 + rng.IntN(4) {
				for n := 1 + rng.IntN(80); n > 0 && x < size.X; n-- {
					m.SetUCharAt(y, x, 255)
					x++
				}
			}
		}
		add(size.String()+" streaks", m)
	}
	frames := renderScene(t, synth.SceneOptions{Seed: 5}, 3, 500*time.Millisecond, 80)
	defer closeFrames(frames)
	for i, f := range frames {
		grey, mean := gocv.NewMat(), gocv.NewMat()
		gocv.CvtColor(f.img, &grey, gocv.ColorBGRToGray)
		gocv.BoxFilter(grey, &mean, -1, image.Pt(glyphBlock, glyphBlock))
		ink, edges := gocv.NewMat(), gocv.NewMat()
		gocv.Subtract(mean, grey, &ink)
		gocv.Threshold(ink, &ink, glyphC, 255, gocv.ThresholdBinary)
		gocv.Sobel(grey, &edges, gocv.MatTypeCV8U, 1, 0, 3, 1, 0, gocv.BorderDefault)
		gocv.Threshold(edges, &edges, 50, 255, gocv.ThresholdBinary)
		add("frame "+string(rune('0'+i))+" ink", ink)
		add("frame "+string(rune('0'+i))+" edges", edges)
		grey.Close()
		mean.Close()
	}

	var c components
	for _, tc := range cases {
		for _, line := range []int{0, 35, glyphLine} {
			if line > 0 && tc.grey {
				continue
			}
			t.Run(fmt.Sprintf("%s line %d", tc.name, line), func(t *testing.T) {
				want := tc.bin.Clone()
				defer want.Close()
				if line > 0 {
					k := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(line, 1))
					defer k.Close()
					open := gocv.NewMat()
					defer open.Close()
					gocv.MorphologyEx(tc.bin, &open, gocv.MorphOpen, k)
					gocv.Subtract(tc.bin, open, &want)
				}
				checkComponents(t, c.find(tc.bin, line, func(component) bool { return true }), want)
			})
		}
		tc.bin.Close()
	}
}

// checkComponents compares got with OpenCV's components of bin.
func checkComponents(t *testing.T, got []component, bin gocv.Mat) {
	t.Helper()
	labels, stats, cents := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer labels.Close()
	defer stats.Close()
	defer cents.Close()
	n := gocv.ConnectedComponentsWithStatsWithParams(bin, &labels, &stats, &cents, 8, gocv.MatTypeCV32S, gocv.CCL_DEFAULT)
	if len(got) != n-1 {
		t.Fatalf("%d components, OpenCV finds %d", len(got), n-1)
	}
	for i, g := range got {
		want := component{
			int(stats.GetIntAt(i+1, 0)), int(stats.GetIntAt(i+1, 1)), int(stats.GetIntAt(i+1, 2)),
			int(stats.GetIntAt(i+1, 3)), int(stats.GetIntAt(i+1, 4)),
		}
		if g != want {
			t.Fatalf("component %d is %+v, OpenCV's %+v", i, g, want)
		}
	}
}
