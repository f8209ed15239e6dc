package ocr

import (
	"image"
	"path/filepath"
	"testing"

	"gocv.io/x/gocv"
)

// TestLocaliseDev measures localisation alone on the benchmark photos: the
// share of labelled plates among the candidates handed to the recognizer
// (box IoU >= 0.5), whatever the recognizer then makes of them.
func TestLocaliseDev(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("reads 113 photos; run without -short and -race")
	}
	dir := benchDir(t)
	labels, err := LoadLabels(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := openTestReader(t)
	var hit, cands int
	for _, l := range labels {
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadGrayScale)
		if img.Empty() {
			t.Fatalf("cannot read %s", l.File)
		}
		scale := 1.0
		if side := max(img.Cols(), img.Rows()); side > r.opt.MaxWorkSide {
			scale = float64(side) / float64(r.opt.MaxWorkSide)
			gocv.Resize(img, &r.grey, imagePt(float64(img.Cols())/scale, float64(img.Rows())/scale), 0, 0, gocv.InterpolationArea)
		} else {
			img.CopyTo(&r.grey)
		}
		img.Close()
		cs := r.localise()
		cands += len(cs)
		best := 0.0
		var bestBox image.Rectangle
		for _, c := range cs {
			if v := iou(bounds(c.quad.outline().scaled(scale)), l.Box); v > best {
				best, bestBox = v, bounds(c.quad.outline().scaled(scale))
			}
		}
		if best >= 0.5 {
			hit++
		} else {
			t.Logf("not localised: %s (best IoU %.2f of %d candidates: %v for %v)", l.File, best, len(cs), bestBox, l.Box)
		}
	}
	recall := float64(hit) / float64(len(labels))
	t.Logf("localisation recall %.3f (%d/%d), %.1f candidates/photo", recall, hit, len(labels), float64(cands)/float64(len(labels)))
	if recall < 0.85 {
		t.Errorf("localisation recall %.2f", recall)
	}
}
